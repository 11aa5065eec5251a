import { describe, expect, it } from "vitest";
import type { Estimate } from "../../src/model/estimate.js";
import {
  type BreakEvenConfig,
  callLevel,
  gridOrder,
  gridValues,
  type JudgedPoint,
  nextStep,
  pointRounds,
  searchLoop,
  splitPoint,
  standingOf,
  summarizePoints,
  withinResolution,
  zonesOf,
} from "../../src/stats/break-even.js";
import { pairedRatio } from "../../src/stats/interval.js";

/** 512 B to 64 kB on a log scale, 5 % resolution: the shipped example's search. */
const CONFIG: BreakEvenConfig = {
  from: 512,
  to: 64000,
  scale: "log",
  integer: true,
  grid: 5,
  resolution: { relative: 0.05 },
  maxPoints: 40,
  better: "above",
};

/** A point's ratio: the true ratio at x, its interval ± `half` in log terms (no randomness). */
function estimate(value: number, half: number): Estimate {
  return {
    value,
    low: value * Math.exp(-half),
    high: value * Math.exp(half),
    level: 0.95,
    n: 6,
    method: "paired-t-log",
  };
}

/**
 * A fake measurer over a known ratio curve: no clock, no network. `half`
 * gives the interval's half-width at x (the noise), `affordable` how many
 * points the budget pays for.
 */
function fake(
  ratio: (x: number) => number,
  half: (x: number) => number = () => 0.02,
  affordable = Number.POSITIVE_INFINITY,
  config: BreakEvenConfig = CONFIG,
) {
  const measured: number[] = [];
  return {
    measured,
    measurer: {
      async measure(value: number): Promise<JudgedPoint> {
        measured.push(value);
        const e = estimate(ratio(value), half(value));
        return { value, ratio: e, standing: standingOf(e, config.better) };
      },
      affords: () => measured.length < affordable,
      stopped: () => undefined,
    },
  };
}

/** Every pair of neighbours that stand differently is within the resolution (or cannot be split). */
function settled(c: BreakEvenConfig, points: readonly JudgedPoint[]): boolean {
  const sorted = [...points].sort((a, b) => a.value - b.value);
  return sorted.every((p, i) => {
    const q = sorted[i + 1];
    if (!q || q.standing === p.standing) return true;
    return withinResolution(c, p.value, q.value) || splitPoint(c, p.value, q.value) === undefined;
  });
}

describe("break-even search: the grid", () => {
  it("spreads round values evenly in the scale, bounds exact, ends measured first", () => {
    const grid = gridValues(CONFIG);
    expect(grid).toHaveLength(5);
    expect(grid[0]).toBe(512);
    expect(grid[4]).toBe(64000);
    // geometric steps of 125^(1/4) = 3.34, each value rounded to two significant digits at most
    for (let i = 1; i < 4; i++) {
      const exact = 512 * 125 ** (i / 4);
      const v = grid[i] as number;
      expect(Math.abs(Math.log(v / exact))).toBeLessThan(Math.log(125) / 4 / 8 + 1e-9);
      expect(String(v).replace(/0+$/, "").length).toBeLessThanOrEqual(2);
    }
    expect(gridOrder(grid)).toEqual([grid[0], grid[4], grid[2], grid[1], grid[3]]);
  });

  it("splits a bracket at a round value in its middle third, never outside it", () => {
    const v = splitPoint(CONFIG, 4000, 8000) as number;
    expect(v).toBeGreaterThan(4000 * 2 ** (1 / 3));
    expect(v).toBeLessThan(4000 * 2 ** (2 / 3));
    expect(v).toBe(6000);
    expect(splitPoint(CONFIG, 5, 6)).toBeUndefined();
    expect(splitPoint({ scale: "linear", integer: true }, 10, 12)).toBe(11);
    expect(splitPoint({ scale: "linear", integer: false }, 0.5, 0.75)).toBeCloseTo(0.6, 9);
  });

  it("classifies an interval: win above 1 for a rate, below 1 for a cost, even when it holds 1", () => {
    expect(standingOf(estimate(1.2, 0.05), "above")).toBe("win");
    expect(standingOf(estimate(0.8, 0.05), "above")).toBe("lose");
    expect(standingOf(estimate(0.8, 0.05), "below")).toBe("win");
    expect(standingOf(estimate(1.01, 0.05), "above")).toBe("even");
    expect(standingOf({ ...estimate(1.5, 0), level: 0 }, "above")).toBe("even");
  });
});

describe("break-even search over a fake measurer", () => {
  it("a monotone crossing: brackets it to the resolution, the crossing inside", async () => {
    // loses below 5000, wins above; the interval holds 1 within about ±7 % of 5000
    const { measurer, measured } = fake((x) => (x / 5000) ** 0.3);
    const { points, stoppedBy } = await searchLoop(CONFIG, measurer);
    expect(stoppedBy).toBe("resolution");
    expect(settled(CONFIG, points)).toBe(true);
    const s = summarizePoints(CONFIG, points);
    expect(s.found).toBe(true);
    expect(s.monotone).toBe(true);
    expect(s.crossings).toHaveLength(1);
    const c = s.breakEven;
    expect(c?.from).toBe("lose");
    expect(c?.to).toBe("win");
    expect(c?.low).toBeLessThan(5000);
    expect(c?.high).toBeGreaterThan(5000);
    expect(c?.estimate).toBeGreaterThan(c?.low as number);
    expect(c?.estimate).toBeLessThan(c?.high as number);
    expect(s.winsFrom).toBe(c?.high);
    // no value measured twice, and far fewer points than a grid at 5 % steps (about 100)
    expect(new Set(measured).size).toBe(measured.length);
    expect(measured.length).toBeLessThan(20);
  });

  it("never crossing: the grid only, said so with both ends", async () => {
    const { measurer, measured } = fake(() => 1.4);
    const { points, stoppedBy } = await searchLoop(CONFIG, measurer);
    expect(stoppedBy).toBe("resolution");
    expect(measured).toHaveLength(5);
    const s = summarizePoints(CONFIG, points);
    expect(s.found).toBe(false);
    expect(s.breakEven).toBeUndefined();
    expect(s.crossings).toEqual([]);
    expect(s.zones).toEqual([{ standing: "win", from: 512, to: 64000, points: 5 }]);
    expect(s.winsFrom).toBe(512);
  });

  it("non-monotone (wins, loses, wins again): both changes of sign, not monotone", async () => {
    const { measurer } = fake((x) => (x < 1000 ? 1.2 : x < 8000 ? 0.8 : 1.3));
    const { points, stoppedBy } = await searchLoop(CONFIG, measurer);
    expect(stoppedBy).toBe("resolution");
    const s = summarizePoints(CONFIG, points);
    expect(s.monotone).toBe(false);
    expect(s.crossings.map((c) => [c.from, c.to])).toEqual([
      ["win", "lose"],
      ["lose", "win"],
    ]);
    const [first, second] = s.crossings;
    expect(first?.low).toBeLessThan(1000);
    expect(first?.high).toBeGreaterThanOrEqual(1000);
    expect(second?.low).toBeLessThan(8000);
    expect(second?.high).toBeGreaterThanOrEqual(8000);
    expect((first?.high as number) / (first?.low as number)).toBeLessThanOrEqual(1.05);
    expect((second?.high as number) / (second?.low as number)).toBeLessThanOrEqual(1.05);
    // the break-even is the last change of sign: from there up it wins
    expect(s.breakEven).toEqual(second);
    expect(zonesOf(points).map((z) => z.standing)).toEqual(["win", "lose", "win"]);
  });

  it("an inconclusive zone: the bracket spans it, closed in on from both sides", async () => {
    // crosses at 5000, but the noise (±20 %) hides the side from about 2,600 to 9,800
    const { measurer } = fake(
      (x) => (x / 5000) ** 0.3,
      () => 0.2,
    );
    const { points, stoppedBy } = await searchLoop(CONFIG, measurer);
    expect(stoppedBy).toBe("resolution");
    expect(settled(CONFIG, points)).toBe(true);
    const s = summarizePoints(CONFIG, points);
    const c = s.breakEven;
    expect(s.found).toBe(true);
    expect(c?.even).toBeDefined();
    const edge = (ratio: number) => 5000 * ratio ** (1 / 0.3);
    // the even zone is (edge(e^-0.2), edge(e^0.2)): the bracket's ends lie just outside it
    expect(c?.low).toBeLessThan(edge(Math.exp(-0.2)));
    expect(c?.low).toBeGreaterThan(edge(Math.exp(-0.2)) / 1.06);
    expect(c?.high).toBeGreaterThan(edge(Math.exp(0.2)));
    expect(c?.high).toBeLessThan(edge(Math.exp(0.2)) * 1.06);
    // the point reported inside is the even one nearest 1
    expect(c?.at?.ratio.low).toBeLessThan(1);
    expect(c?.at?.ratio.high).toBeGreaterThan(1);
    expect(Math.abs(Math.log((c?.at?.value as number) / 5000))).toBeLessThan(0.4);
  });

  it("stops on the budget, the ends measured first", async () => {
    const { measurer, measured } = fake((x) => (x / 5000) ** 0.3, undefined, 3);
    const { points, stoppedBy } = await searchLoop(CONFIG, measurer);
    expect(stoppedBy).toBe("budget");
    expect(points).toHaveLength(3);
    expect(measured.slice(0, 2)).toEqual([512, 64000]);
    const s = summarizePoints(CONFIG, points);
    expect(s.found).toBe(true); // 512 loses, 64000 wins: a bracket, just a wide one
    expect(s.breakEven?.high).toBeLessThanOrEqual(64000);
  });

  it("stops at an absolute resolution, bisecting a linear scale", async () => {
    const linear: BreakEvenConfig = {
      ...CONFIG,
      from: 1,
      to: 64,
      scale: "linear",
      grid: 3,
      resolution: { absolute: 2 },
    };
    const { measurer, measured } = fake(
      (x) => (x > 37 ? 1.3 : 0.7),
      () => 0.02,
      Infinity,
      linear,
    );
    const { points, stoppedBy } = await searchLoop(linear, measurer);
    expect(stoppedBy).toBe("resolution");
    const c = summarizePoints(linear, points).breakEven;
    expect(c?.low).toBeLessThanOrEqual(37);
    expect(c?.high).toBeGreaterThan(37);
    expect((c?.high as number) - (c?.low as number)).toBeLessThanOrEqual(2);
    expect(measured.length).toBeLessThanOrEqual(3 + 6);
  });

  it("stops at max_points", async () => {
    const few = { ...CONFIG, maxPoints: 6 };
    const { measurer } = fake((x) => (x / 5000) ** 0.3, undefined, Infinity, few);
    const { points, stoppedBy } = await searchLoop(few, measurer);
    expect(stoppedBy).toBe("max-points");
    expect(points).toHaveLength(6);
  });

  it("stops when a point cannot be measured", async () => {
    let n = 0;
    const { points, stoppedBy } = await searchLoop(CONFIG, {
      measure: async (value) =>
        ++n === 3 ? { value } : { value, ratio: estimate(1.3, 0.02), standing: "win" as const },
      affords: () => true,
      stopped: () => undefined,
    });
    expect(stoppedBy).toBe("error");
    expect(points).toHaveLength(3);
    expect(nextStep(CONFIG, points)).toEqual({
      value: gridOrder(gridValues(CONFIG))[3],
      phase: "grid",
    });
  });

  it("splits a bracket next to a change of sign before a wider one without", () => {
    const at = (value: number, standing: JudgedPoint["standing"]): JudgedPoint => ({
      value,
      standing,
    });
    // even→win at 512..20000 (wide, no change of sign); lose→win at 30000..64000 (narrower)
    const points = [at(512, "even"), at(20000, "win"), at(30000, "lose"), at(64000, "win")];
    const step = nextStep({ ...CONFIG, grid: 2 }, points);
    expect(step).toMatchObject({ phase: "bisect" });
    const v = (step as { value: number }).value;
    expect(v).toBeGreaterThan(30000);
    expect(v).toBeLessThan(64000);
  });
});

describe("break-even search: a point's rounds", () => {
  const pairs = (ratios: number[]) => ({ a: ratios.map((r) => 100 * r), b: ratios.map(() => 100) });
  const adaptive = { min: 3, max: 10, until: 0.02 };

  it("runs its minimum, then stops once the interval calls a side", () => {
    expect(pointRounds(pairs([1.3, 1.31]), adaptive, "above")).toEqual({ go: true });
    expect(pointRounds(pairs([1.3, 1.31, 1.29]), adaptive, "above")).toEqual({
      go: false,
      stoppedBy: "decided",
    });
  });

  it("stops an interval that holds 1 once it is as tight as until, else goes on to max", () => {
    expect(pointRounds(pairs([1.001, 0.999, 1.0, 1.002]), adaptive, "above")).toEqual({
      go: false,
      stoppedBy: "until",
    });
    const loose = [1.2, 0.85, 1.1, 0.9, 1.15];
    expect(pointRounds(pairs(loose), adaptive, "above")).toEqual({ go: true });
    const ten = [...loose, ...loose];
    expect(pointRounds(pairs(ten), adaptive, "above")).toEqual({ go: false, stoppedBy: "max" });
  });

  it("runs a fixed count to its end whatever the interval says", () => {
    const fixed = { min: 4, max: 4 };
    expect(pointRounds(pairs([1.3, 1.3, 1.3]), fixed, "above")).toEqual({ go: true });
    expect(pointRounds(pairs([1.3, 1.3, 1.3, 1.3]), fixed, "above")).toEqual({
      go: false,
      stoppedBy: "count",
    });
  });
});

describe("break-even search: what it narrows", () => {
  const at = (value: number, standing: JudgedPoint["standing"]): JudgedPoint => ({
    value,
    standing,
  });

  it("leaves an even dip inside one side alone, and says the search is done", () => {
    const points = [at(512, "lose"), at(1700, "even"), at(5700, "lose"), at(64000, "lose")];
    expect(nextStep({ ...CONFIG, grid: 2 }, points)).toEqual({ stop: "resolution" });
  });

  it("narrows the edge of an even stretch at a bound: where a side starts to show", () => {
    const points = [at(512, "even"), at(5700, "even"), at(19000, "win"), at(64000, "win")];
    const step = nextStep({ ...CONFIG, grid: 2 }, points) as { value: number };
    expect(step.value).toBeGreaterThan(5700);
    expect(step.value).toBeLessThan(19000);
  });
});

describe("a point's repeated looks", () => {
  const adaptive = { min: 3, max: 12, until: 0.02 };
  it("calls a side at the level Bonferroni allows for every look it may take", () => {
    expect(callLevel(adaptive)).toBeCloseTo(0.995, 12);
    expect(callLevel({ min: 5, max: 5 })).toBe(0.95);
  });
  it("does not stop on an interval that clears 1 at 95 % but not at the corrected level", () => {
    const pairs = { a: [1.06, 1.1, 1.02, 1.08], b: [1, 1, 1, 1] };
    // at 95 % alone this would have been a win after 4 rounds
    expect(pairedRatio(pairs.a, pairs.b).low).toBeGreaterThan(1);
    expect(pairedRatio(pairs.a, pairs.b, 0.995).low).toBeLessThan(1);
    expect(pointRounds(pairs, adaptive, "above")).toEqual({ go: true });
    // tight, but not holding 1 at 95 %: not "even for real", so no stop by until either
    expect(pointRounds(pairs, { min: 3, max: 12, until: 0.5 }, "above")).toEqual({ go: true });
    const clear = { a: [1.3, 1.31, 1.29, 1.3], b: [1, 1, 1, 1] };
    expect(pointRounds(clear, adaptive, "above")).toEqual({ go: false, stoppedBy: "decided" });
  });
});
