import { describe, expect, it } from "vitest";
import { mannWhitneyCdf, unpairedRatio } from "../../src/stats/unpaired.js";

describe("mannWhitneyCdf (exact null distribution of the rank-sum statistic)", () => {
  it("counts the interleavings by hand for 5 and 5 values", () => {
    // U = u for samples of 5 and 5 in as many of the C(10, 5) = 252 orders as
    // there are partitions of u into at most 5 parts of at most 5:
    // u = 0: 1, 1: 1, 2: 2 ({2}, {1,1}), 3: 3 ({3}, {2,1}, {1,1,1})
    const cdf = mannWhitneyCdf(5, 5);
    expect(cdf).toHaveLength(26);
    expect(cdf[0]).toBeCloseTo(1 / 252, 12);
    expect(cdf[2]).toBeCloseTo(4 / 252, 12);
    expect(cdf[3]).toBeCloseTo(7 / 252, 12);
    expect(cdf[25]).toBeCloseTo(1, 12);
    // symmetric about nm / 2
    expect(cdf[12]).toBeCloseTo(0.5, 12);
    // 4 and 6 values: C(10, 4) = 210 orders, the same partition counts 1, 1, 2, 3
    const uneven = mannWhitneyCdf(4, 6);
    expect(uneven.slice(0, 4).map((p) => p * 210)).toEqual(
      [1, 2, 4, 7].map((v) => expect.closeTo(v, 9)),
    );
    expect(mannWhitneyCdf(6, 4)[3]).toBeCloseTo(7 / 210, 12);
  });

  it("gives the textbook critical values", () => {
    // Hollander & Wolfe / R's qwilcox(0.025, 3, 3) = 0 and pwilcox(0, 3, 3) = 1/20
    expect(mannWhitneyCdf(3, 3)[0]).toBeCloseTo(0.05, 12);
    // one value against four: U is uniform on 0..4
    expect(mannWhitneyCdf(1, 4)).toEqual([0.2, 0.4, 0.6, 0.8, 1].map((v) => expect.closeTo(v, 12)));
  });
});

describe("unpairedRatio (Hodges–Lehmann ratio, Mann–Whitney interval on the logs)", () => {
  it("matches a hand-computed example for 5 and 5 runs", () => {
    // a = 2^x, x = 2..6; b = 2^y, y = 0.5..4.5: the 25 log2 ratios x - y are
    // -2.5 (once), -1.5 (2), -0.5 (3), 0.5 (4), 1.5 (5), 2.5 (4), 3.5 (3), 4.5 (2), 5.5 (1).
    // The median (13th) is 1.5; k = 3 since 2·P(U <= 2) = 8/252 <= 0.05 < 2·P(U <= 3) = 14/252,
    // so the interval is [D(3), D(23)] = [2^-1.5, 2^4.5] at 1 - 8/252 = 0.96825.
    // R: exp(wilcox.test(log(a), log(b), conf.int = TRUE)$conf.int) gives the same.
    const a = [2, 3, 4, 5, 6].map((x) => 2 ** x);
    const b = [0.5, 1.5, 2.5, 3.5, 4.5].map((y) => 2 ** y);
    const e = unpairedRatio(a, b);
    expect(e.value).toBeCloseTo(2 ** 1.5, 10);
    expect(e.low).toBeCloseTo(2 ** -1.5, 10);
    expect(e.high).toBeCloseTo(2 ** 4.5, 10);
    expect(e.level).toBeCloseTo(1 - 8 / 252, 10);
    expect(e).toMatchObject({ n: 10, method: "rank-sum-log" });
  });

  it("says what coverage 3 and 3 runs really give (0.90: [min, max] of the ratios)", () => {
    // ratios a_i / b_j of a = 10, 11, 12 and b = 8, 9, 10, sorted:
    // 1, 1.1, 1.111, 1.2, 1.222, 1.25, 1.333, 1.375, 1.5; the median is 11/9
    const e = unpairedRatio([10, 12, 11], [8, 9, 10]);
    expect(e.value).toBeCloseTo(11 / 9, 12);
    expect(e.low).toBeCloseTo(1, 12);
    expect(e.high).toBeCloseTo(1.5, 12);
    expect(e.level).toBeCloseTo(0.9, 12);
  });

  it("has no interval for one run against one, and refuses a zero", () => {
    expect(unpairedRatio([3], [2])).toMatchObject({ value: 1.5, low: 1.5, high: 1.5, level: 0 });
    expect(() => unpairedRatio([1, 0], [1, 2])).toThrow(RangeError);
    expect(() => unpairedRatio([], [1])).toThrow(RangeError);
  });
});
