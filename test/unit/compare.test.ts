import { describe, expect, it } from "vitest";
import type { Case } from "../../src/model/case.js";
import type { CaseResult } from "../../src/model/results.js";
import { caseEstimate, compareCases, pairedFigures } from "../../src/stats/compare.js";
import { pairedRatio } from "../../src/stats/interval.js";
import { caseResult, figures, matrixCases, repetition } from "../helpers/results.js";

const [send, , zc] = matrixCases([600, 4000]) as [Case, Case, Case, Case];

const rep = (round: number, disturbed = false) => repetition(round, { disturbed });

/** A case that ran once per entry of `rps`, in the rounds given (none: no round record). */
function repeated(c: Case, rps: number[], rounds?: number[], cpu?: number[]): CaseResult {
  const runs = rps.map((v, i) => figures(v, { cpuNsPerRequest: cpu?.[i] ?? 1000 }));
  const sorted = [...rps].sort((a, b) => a - b);
  return caseResult(c, {
    measured: figures(sorted[sorted.length >> 1] as number),
    runs,
    ...(rounds ? { repetitions: rounds.map((r) => rep(r)) } : {}),
  });
}

describe("compareCases: a ratio of two cases from their paired repetitions", () => {
  it("pairs repetitions by round when both cases record rounds, whatever their order", () => {
    // the runner stores repetitions in the order they ran; round 2 of b came first
    const a = repeated(zc, [110, 220, 330], [1, 2, 3]);
    const b = repeated(send, [200, 100, 300], [2, 1, 3]);
    expect(pairedFigures(a, b, "rps")).toEqual({
      a: [110, 220, 330],
      b: [100, 200, 300],
      rounds: [1, 2, 3],
    });
    const e = compareCases(a, b, "rps");
    expect(e).toEqual(pairedRatio([110, 220, 330], [100, 200, 300]));
    // every pair is 1.1: the geometric mean is 1.1 and the t interval has no width
    expect(e?.value).toBeCloseTo(1.1, 12);
    expect(e?.low).toBeCloseTo(1.1, 12);
    expect(e).toMatchObject({ n: 3, level: 0.95, method: "paired-t-log" });
  });

  it("leaves out a round only one case ran in", () => {
    // adaptive repetition: a got a 4th round b did not (stopped, or errored there)
    const a = repeated(zc, [120, 240, 360, 999], [1, 2, 3, 4]);
    const b = repeated(send, [100, 200, 300], [1, 2, 3]);
    expect(pairedFigures(a, b, "rps").a).toEqual([120, 240, 360]);
    expect(compareCases(a, b, "rps")?.n).toBe(3);
    // rounds that do not meet at all: nothing to compare
    const c = repeated(send, [100, 200], [5, 6]);
    expect(compareCases(a, c, "rps")).toBeUndefined();
  });

  it("pairs by index when rounds are not recorded, up to the shorter case", () => {
    const a = repeated(zc, [120, 240, 360]);
    const b = repeated(send, [100, 200]);
    expect(pairedFigures(a, b, "rps")).toEqual({ a: [120, 240], b: [100, 200] });
    // one case with rounds and one without: by index too
    const c = repeated(send, [100, 200, 300], [3, 2, 1]);
    expect(pairedFigures(a, c, "rps")).toEqual({ a: [120, 240, 360], b: [100, 200, 300] });
  });

  it("matches pairedRatio computed by hand on the paired logs", () => {
    const a = repeated(zc, [130, 105, 120], [1, 2, 3]);
    const b = repeated(send, [100, 100, 100], [1, 2, 3]);
    const e = compareCases(a, b, "rps");
    const logs = [1.3, 1.05, 1.2].map(Math.log);
    const mean = logs.reduce((x, y) => x + y) / 3;
    expect(e?.value).toBeCloseTo(Math.exp(mean), 12);
    // t(0.975, 2) = 4.302653
    const sd = Math.sqrt(logs.reduce((x, l) => x + (l - mean) ** 2, 0) / 2);
    expect(e?.high).toBeCloseTo(Math.exp(mean + (4.302653 * sd) / Math.sqrt(3)), 5);
  });

  it("compares CPU per request the same way (below 1: a is cheaper)", () => {
    const a = repeated(zc, [1, 1, 1], [1, 2, 3], [800, 820, 790]);
    const b = repeated(send, [1, 1, 1], [1, 2, 3], [1000, 1000, 1000]);
    const e = compareCases(a, b, "cpuNsPerRequest");
    expect(e?.value).toBeCloseTo(Math.cbrt(0.8 * 0.82 * 0.79), 12);
    expect(e?.high).toBeLessThan(1);
  });

  it("gives one pair no interval, and nothing for a case that did not run to its end", () => {
    const a = caseResult(zc, { measured: figures(150) });
    const b = caseResult(send, { measured: figures(100) });
    expect(compareCases(a, b, "rps")).toMatchObject({ value: 1.5, level: 0, n: 1 });
    const skipped = caseResult(send, { status: "skipped", reason: "x", checks: [] });
    expect(compareCases(a, skipped, "rps")).toBeUndefined();
    const stopped = caseResult(send, { status: "error", measured: figures(100) });
    expect(compareCases(a, stopped, "rps")).toBeUndefined();
  });

  it("leaves out a pair with a figure that is not positive", () => {
    const a = repeated(zc, [0, 110, 220], [1, 2, 3]);
    const b = repeated(send, [100, 100, 200], [1, 2, 3]);
    expect(pairedFigures(a, b, "rps").rounds).toEqual([2, 3]);
  });
});

describe("caseEstimate", () => {
  it("takes the runner's estimate, else the median interval of the runs, else one run", () => {
    const given = {
      value: 5,
      low: 4,
      high: 6,
      level: 0.95,
      n: 9,
      method: "order-statistics" as const,
    };
    const withEstimates = caseResult(send, {
      measured: figures(5),
      estimates: { rps: given, gbps: given, cpuNsPerRequest: given },
    });
    expect(caseEstimate(withEstimates, "rps")).toBe(given);
    expect(caseEstimate(repeated(send, [300, 100, 200]), "rps")).toMatchObject({
      value: 200,
      low: 100,
      high: 300,
      level: 0.75,
      n: 3,
    });
    expect(caseEstimate(caseResult(send, { measured: figures(7) }), "rps")).toMatchObject({
      value: 7,
      level: 0,
      n: 1,
    });
    expect(
      caseEstimate(caseResult(send, { status: "skipped", checks: [] }), "rps"),
    ).toBeUndefined();
  });
});
