import { describe, expect, it } from "vitest";
import {
  binomialHalfCdf,
  meanInterval,
  medianInterval,
  pairedRatio,
  relativeHalfWidth,
  verdict,
} from "../../src/stats/interval.js";

describe("medianInterval (distribution-free, order statistics)", () => {
  const ranks = (n: number) => {
    const values = Array.from({ length: n }, (_, i) => i + 1);
    const e = medianInterval(values.reverse());
    return [e.low, e.high, e.level] as const;
  };

  it("takes the ranks the published tables give for 95 %", () => {
    // Conover, Practical Nonparametric Statistics (3rd ed.), Table A3 / the
    // binomial sign-test interval: n = 10 -> x(2)..x(9), coverage 0.9785;
    // n = 20 -> x(6)..x(15), coverage 0.9586; n = 6 -> x(1)..x(6), 0.9688
    expect(ranks(10).slice(0, 2)).toEqual([2, 9]);
    expect(ranks(10)[2]).toBeCloseTo(1 - 22 / 1024, 10);
    expect(ranks(20).slice(0, 2)).toEqual([6, 15]);
    expect(ranks(20)[2]).toBeCloseTo(0.9586105, 6);
    expect(ranks(6)).toEqual([1, 6, 1 - 2 / 64]);
  });

  it("says what coverage few values really give, and none for one", () => {
    // [min, max] of 5 misses the median only when all 5 fall on one side: 2/32
    expect(ranks(5)).toEqual([1, 5, 0.9375]);
    expect(ranks(3)).toEqual([1, 3, 0.75]);
    expect(medianInterval([7])).toMatchObject({ value: 7, low: 7, high: 7, level: 0, n: 1 });
  });

  it("reports the median, whatever the input order", () => {
    expect(medianInterval([3, 1, 2]).value).toBe(2);
    expect(medianInterval([4, 1, 3, 2]).value).toBe(2.5);
  });
});

describe("binomialHalfCdf", () => {
  it("matches exact binomial sums", () => {
    expect(binomialHalfCdf(0, 10)).toBeCloseTo(1 / 1024, 12);
    expect(binomialHalfCdf(1, 10)).toBeCloseTo(11 / 1024, 12);
    // R: pbinom(5, 20, 0.5) = 0.02069473
    expect(binomialHalfCdf(5, 20)).toBeCloseTo(0.02069473, 8);
    expect(binomialHalfCdf(-1, 4)).toBe(0);
    expect(binomialHalfCdf(4, 4)).toBe(1);
  });
});

describe("meanInterval (Student's t)", () => {
  it("reproduces R's paired t.test on the sleep data", () => {
    // R: with(sleep, t.test(extra[group == 1], extra[group == 2], paired = TRUE))
    // mean of the differences -1.58, 95 percent confidence interval -2.4598858 -0.7001142
    const g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
    const g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
    const m = meanInterval(g1.map((v, i) => v - (g2[i] as number)));
    expect(m.mean).toBeCloseTo(-1.58, 10);
    expect(m.low).toBeCloseTo(-2.4598858, 6);
    expect(m.high).toBeCloseTo(-0.7001142, 6);
  });
});

describe("pairedRatio", () => {
  it("is the geometric mean ratio with the t interval of the log ratios", () => {
    const b = [100, 200, 400, 800];
    const a = [110, 220, 440, 880];
    const e = pairedRatio(a, b);
    // every pair is exactly 1.1: no spread, a zero-width interval
    expect(e.value).toBeCloseTo(1.1, 12);
    expect(e.low).toBeCloseTo(1.1, 12);
    expect(e.high).toBeCloseTo(1.1, 12);
    expect(e).toMatchObject({ level: 0.95, n: 4, method: "paired-t-log" });
  });

  it("cancels a load that hits both sides of a round alike", () => {
    // the rates move 4x between rounds, the ratio stays within 1.29-1.31
    const b = [100, 400, 250, 150, 300];
    const a = [131, 516, 326, 194, 392];
    const e = pairedRatio(a, b);
    expect(e.low).toBeGreaterThan(1.28);
    expect(e.high).toBeLessThan(1.32);
    // the same figures unpaired would straddle anything: the medians' intervals overlap
    expect(medianInterval(a).low).toBeLessThan(medianInterval(b).high);
  });

  it("has no interval from one pair and refuses non-positive figures", () => {
    expect(pairedRatio([2], [1])).toMatchObject({ value: 2, level: 0, n: 1 });
    expect(() => pairedRatio([1, 2], [1])).toThrow(RangeError);
    expect(() => pairedRatio([0, 1], [1, 1])).toThrow(RangeError);
  });
});

describe("verdict", () => {
  const e = (low: number, high: number, level = 0.95) => ({
    value: (low + high) / 2,
    low,
    high,
    level,
    n: 5,
    method: "paired-t-log" as const,
  });
  it("holds, fails or cannot tell, by where the interval lies", () => {
    expect(verdict(e(1.1, 1.3), 1, "above")).toBe("held");
    expect(verdict(e(0.8, 0.95), 1, "above")).toBe("failed");
    expect(verdict(e(0.95, 1.05), 1, "above")).toBe("inconclusive");
    expect(verdict(e(0.8, 0.95), 1, "below")).toBe("held");
    expect(verdict(e(1.1, 1.3), 1, "below")).toBe("failed");
    expect(verdict(e(1.1, 1.3, 0), 1, "above")).toBe("inconclusive");
  });
  it("measures the interval's width against its value", () => {
    expect(relativeHalfWidth(e(0.97, 1.03))).toBeCloseTo(0.03, 12);
  });
});
