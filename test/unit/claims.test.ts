import { describe, expect, it } from "vitest";
import type { Estimate } from "../../src/model/estimate.js";
import { changeCell, valueCell } from "../../src/report/text/cells.js";
import { claimSentence, ratioText, standing } from "../../src/report/text/claims.js";

/** A paired ratio over 5 rounds at 95 %. */
const ratio = (value: number, low: number, high: number, n = 5): Estimate => ({
  value,
  low,
  high,
  level: n > 1 ? 0.95 : 0,
  n,
  method: "paired-t-log",
});
const one = (value: number) => ratio(value, value, value, 1);
const rate = { who: "Measured requests/s", a: "send_zc", b: "send", kind: "rate" as const };
const cost = { who: "CPU per request", a: "send_zc", b: "send", kind: "cost" as const };

describe("claim sentences", () => {
  it("states a win with its ratio and interval, and no difference where the interval holds 1", () => {
    expect(
      claimSentence(rate, [
        { size: 8000, ratio: ratio(1.31, 1.24, 1.38) },
        { size: 600, ratio: ratio(0.98, 0.9, 1.07) },
        { size: 1200, ratio: ratio(1.02, 0.97, 1.08) },
        { size: 4000, ratio: ratio(1.04, 0.99, 1.1) },
      ]),
    ).toBe(
      "Measured requests/s: no significant difference between send_zc and send at 600–4000 B; send_zc beats send at 8000 B (ratio 1.31, 95 % CI 1.24–1.38).",
    );
  });

  it("names a crossover only between a significant loss and a significant win", () => {
    expect(
      claimSentence(rate, [
        { size: 600, ratio: ratio(0.8, 0.75, 0.86) },
        { size: 1200, ratio: ratio(1.0, 0.95, 1.05) },
        { size: 4000, ratio: ratio(1.1, 1.02, 1.19) },
        { size: 8000, ratio: ratio(1.31, 1.24, 1.38) },
      ]),
    ).toBe(
      "Measured requests/s: send_zc loses to send at 600 B (ratio 0.80, 95 % CI 0.75–0.86); no significant difference between send_zc and send at 1200 B; send_zc beats send at 4000 B (ratio 1.10, 95 % CI 1.02–1.19) and 8000 B (ratio 1.31, 95 % CI 1.24–1.38): a crossover between 600 B and 4000 B.",
    );
    // wins below, losses above: the crossover the other way round
    expect(
      claimSentence(rate, [
        { size: 600, ratio: ratio(1.2, 1.1, 1.3) },
        { size: 8000, ratio: ratio(0.8, 0.75, 0.86) },
      ]),
    ).toMatch(/: a crossover between 600 B and 8000 B, send_zc ahead below it\.$/);
  });

  it("calls a win below a loss and above it again not monotone, and keeps every win", () => {
    // the report this replaces said "did not beat send at any size" over a +120 % at 600 B
    expect(
      claimSentence(rate, [
        { size: 600, ratio: ratio(2.2, 2.1, 2.3) },
        { size: 1000, ratio: ratio(0.9, 0.85, 0.95) },
        { size: 4000, ratio: ratio(1.05, 1.01, 1.09) },
      ]),
    ).toBe(
      "Measured requests/s: send_zc beats send at 600 B (ratio 2.20, 95 % CI 2.10–2.30); send_zc loses to send at 1000 B (ratio 0.90, 95 % CI 0.85–0.95); send_zc beats send at 4000 B (ratio 1.05, 95 % CI 1.01–1.09): not monotone in size.",
    );
  });

  it("with one run makes no claim, only gives the figures", () => {
    expect(
      claimSentence(rate, [
        { size: 600, ratio: one(2.2) },
        { size: 8000, ratio: one(0.9) },
      ]),
    ).toBe(
      "Measured requests/s: one run per case, no interval, so no claim (send_zc/send 2.20 at 600 B, 0.90 at 8000 B).",
    );
    // beside sizes that have intervals, such a size says so
    expect(
      claimSentence(rate, [
        { size: 600, ratio: one(2.2) },
        { size: 8000, ratio: ratio(1.31, 1.24, 1.38) },
      ]),
    ).toBe(
      "Measured requests/s: one run, no interval at 600 B (ratio 2.20); send_zc beats send at 8000 B (ratio 1.31, 95 % CI 1.24–1.38).",
    );
  });

  it("turns the verbs round for a cost, where below 1 is the win", () => {
    expect(
      claimSentence(cost, [
        { size: 600, ratio: ratio(1.1, 1.05, 1.15) },
        { size: 8000, ratio: ratio(0.57, 0.55, 0.6) },
      ]),
    ).toBe(
      "CPU per request: send_zc costs more than send at 600 B (ratio 1.10, 95 % CI 1.05–1.15); send_zc is cheaper than send at 8000 B (ratio 0.57, 95 % CI 0.55–0.60): a crossover between 600 B and 8000 B.",
    );
  });

  it("does not run a range of no difference across a size that was not compared", () => {
    expect(
      claimSentence(rate, [
        { size: 600, ratio: ratio(1, 0.9, 1.1) },
        { size: 1200, ratio: undefined },
        { size: 4000, ratio: ratio(1, 0.9, 1.1) },
        { size: 8000, ratio: ratio(1, 0.9, 1.1) },
      ]),
    ).toBe(
      "Measured requests/s: no significant difference between send_zc and send at 600 B; no significant difference between send_zc and send at 4000–8000 B.",
    );
    expect(claimSentence(rate, [{ size: 600, ratio: undefined }])).toBeUndefined();
  });

  it("writes a bound next to 1 with the digits that keep it on its side", () => {
    expect(ratioText(ratio(1.02, 1.003, 1.04))).toBe("ratio 1.020, 95 % CI 1.003–1.040");
    expect(standing(ratio(1.02, 1.003, 1.04))).toBe("above");
    expect(standing(ratio(1.02, 0.99, 1.04))).toBe("even");
    expect(standing(one(3))).toBe("single");
  });
});

describe("table cells", () => {
  it("put the interval next to the figure, and nothing where there is none", () => {
    const e: Estimate = {
      value: 519_453,
      low: 498_102,
      high: 533_870,
      level: 0.75,
      n: 3,
      method: "order-statistics",
    };
    expect(valueCell(e)).toBe("519,453 [498,102–533,870]");
    expect(valueCell({ ...e, n: 1, level: 0 })).toBe("519,453");
    expect(changeCell(ratio(1.31, 1.24, 1.38))).toBe("+31% [+24% to +38%]");
    expect(changeCell(ratio(0.97, 0.905, 1.04))).toBe("-3.0% [-9.5% to +4.0%]");
    expect(changeCell(one(1.31))).toBe("+31%");
    expect(changeCell(undefined)).toBe("");
  });
});
