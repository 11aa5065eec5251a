import type { Estimate } from "../model/estimate.js";
import type {
  Crossing,
  SearchPoint,
  SearchSettings,
  SearchStanding,
  SearchStop,
  SearchSummary,
  SearchZone,
} from "../model/search.js";
import { LEVEL, pairedRatio, relativeHalfWidth, verdict } from "./interval.js";

/**
 * The break-even search as pure functions over points: where to measure
 * next, when to stop, and what the points say. No clock and no measuring
 * here: runner/search.ts measures, and the tests drive these with a fake.
 *
 * Why the scheme looks as it does (a coarse grid first, only brackets around
 * a change of sign or an even edge split, even points never guessed into a
 * side): docs/break-even.md, "How it chooses its points".
 */

export type BreakEvenConfig = Pick<
  SearchSettings,
  "from" | "to" | "scale" | "integer" | "grid" | "resolution" | "maxPoints" | "better"
>;

/** What the search needs of a measured point. */
export type JudgedPoint = Pick<SearchPoint, "value" | "ratio" | "standing">;

/** Where a ratio stands for the compare side (see SearchStanding). */
export function standingOf(e: Estimate, better: "above" | "below"): SearchStanding {
  const v = verdict(e, 1, better);
  return v === "held" ? "win" : v === "failed" ? "lose" : "even";
}

/** A value's position on the search's axis: its logarithm on a log scale. */
function pos(c: Pick<BreakEvenConfig, "scale">, v: number): number {
  return c.scale === "log" ? Math.log(v) : v;
}

function unpos(c: Pick<BreakEvenConfig, "scale">, p: number): number {
  return c.scale === "log" ? Math.exp(p) : p;
}

/** Two neighbouring values are as close as the resolution asks. */
export function withinResolution(c: Pick<BreakEvenConfig, "resolution">, a: number, b: number) {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const r = c.resolution;
  return "relative" in r ? hi <= lo * (1 + r.relative) + 1e-9 : hi - lo <= r.absolute + 1e-9;
}

/**
 * A round number near `exact` strictly between `lo` and `hi`, and within
 * `slack` of `exact` in the search's scale: the fewest significant digits
 * that stay inside, so that points read 6000 B or 5300 B rather than 5657 B.
 * Whole numbers where the parameter takes only those.
 */
export function roundNear(
  c: Pick<BreakEvenConfig, "scale" | "integer">,
  exact: number,
  lo: number,
  hi: number,
  slack: number,
): number {
  const p = pos(c, exact);
  const inside = (v: number) =>
    v > lo && v < hi && Math.abs(pos(c, v) - p) <= slack + 1e-12 && (!c.integer || v % 1 === 0);
  for (let d = 1; d <= 15; d++) {
    const v = Number(exact.toPrecision(d));
    if (inside(v)) return v;
  }
  const v = c.integer ? Math.round(exact) : exact;
  return inside(v) || (v > lo && v < hi) ? v : exact;
}

/**
 * The middle of a bracket in the search's scale, rounded (undefined when no value lies between).
 */
export function splitPoint(
  c: Pick<BreakEvenConfig, "scale" | "integer">,
  a: number,
  b: number,
): number | undefined {
  if (c.integer && b - a < 2) return undefined;
  const mid = unpos(c, (pos(c, a) + pos(c, b)) / 2);
  // the middle third of the bracket: a rounder number is fine anywhere in it
  const v = roundNear(c, mid, a, b, (pos(c, b) - pos(c, a)) / 6);
  return v > a && v < b ? v : undefined;
}

/**
 * The coarse grid: `grid` values spread evenly in the scale, the bounds exact, the rest rounded.
 */
export function gridValues(c: BreakEvenConfig): number[] {
  const n = Math.max(2, c.grid);
  const [p0, p1] = [pos(c, c.from), pos(c, c.to)];
  const step = (p1 - p0) / (n - 1);
  const out = [c.from];
  for (let i = 1; i < n - 1; i++) {
    const exact = unpos(c, p0 + i * step);
    const v = roundNear(c, exact, out[out.length - 1] as number, c.to, step / 8);
    if (v > (out[out.length - 1] as number) && v < c.to) out.push(v);
  }
  out.push(c.to);
  return out;
}

/** The grid in the order it is measured: both ends, then each gap's middle, coarse before fine. */
export function gridOrder(values: readonly number[]): number[] {
  const n = values.length;
  if (n <= 2) return [...values];
  const order = [0, n - 1];
  const seen = new Set(order);
  let gaps: [number, number][] = [[0, n - 1]];
  while (gaps.length) {
    const next: [number, number][] = [];
    for (const [a, b] of gaps) {
      if (b - a < 2) continue;
      const m = Math.floor((a + b) / 2);
      if (!seen.has(m)) {
        seen.add(m);
        order.push(m);
      }
      next.push([a, m], [m, b]);
    }
    gaps = next;
  }
  return order.map((i) => values[i] as number);
}

/** Measured points by value (points that could not be measured are left out). */
function measured(points: readonly JudgedPoint[]): (JudgedPoint & { standing: SearchStanding })[] {
  return points
    .filter((p): p is JudgedPoint & { standing: SearchStanding } => p.standing !== undefined)
    .sort((a, b) => a.value - b.value);
}

/** Neighbouring points that stand alike, grouped. */
export function zonesOf(points: readonly JudgedPoint[]): SearchZone[] {
  const zones: SearchZone[] = [];
  for (const p of measured(points)) {
    const last = zones[zones.length - 1];
    if (last && last.standing === p.standing) {
      last.to = p.value;
      last.points++;
    } else zones.push({ standing: p.standing, from: p.value, to: p.value, points: 1 });
  }
  return zones;
}

/**
 * Zone indexes (i, j) with zone i and zone j decided and opposite, and only an even zone between.
 */
function signChanges(zones: readonly SearchZone[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < zones.length; i++) {
    const a = zones[i] as SearchZone;
    if (a.standing === "even") continue;
    const j = zones[i + 1]?.standing === "even" ? i + 2 : i + 1;
    const b = zones[j];
    if (b && b.standing !== "even" && b.standing !== a.standing) out.push([i, j]);
  }
  return out;
}

export type Step =
  | { value: number; phase: "grid" | "bisect" }
  | { stop: Extract<SearchStop, "resolution" | "max-points"> };

/**
 * The next value to measure: the grid's next point, then the middle of the
 * widest bracket between neighbours that stand differently and are further
 * apart than the resolution, of those that take part in a change of sign
 * (first) or bound an even stretch at either end of the range; `stop` when
 * no bracket is left to split (resolution) or the points are spent.
 */
export function nextStep(c: BreakEvenConfig, points: readonly JudgedPoint[]): Step {
  if (points.length >= c.maxPoints) return { stop: "max-points" };
  const done = new Set(points.map((p) => p.value));
  const pending = gridOrder(gridValues(c)).find((v) => !done.has(v));
  if (pending !== undefined) return { value: pending, phase: "grid" };

  const zones = zonesOf(points);
  // zone boundaries (after zone i) that take part in a sign change
  const urgent = new Set<number>();
  for (const [i, j] of signChanges(zones)) for (let k = i; k < j; k++) urgent.add(k);
  // an even zone at a bound, next to a side: where that side starts (or stops) to show
  const onset = (i: number) =>
    (i === 0 && zones[0]?.standing === "even") ||
    (i === zones.length - 2 && zones[zones.length - 1]?.standing === "even");
  let best: { value: number; urgent: boolean; width: number; low: number } | undefined;
  zones.forEach((z, i) => {
    const next = zones[i + 1];
    // an even dip inside one side (win, even, win) is reported, not narrowed: no sign changes there
    if (!next || !(urgent.has(i) || onset(i))) return;
    const [a, b] = [z.to, next.from];
    if (withinResolution(c, a, b)) return;
    const value = splitPoint(c, a, b);
    if (value === undefined || done.has(value)) return;
    const cand = { value, urgent: urgent.has(i), width: pos(c, b) - pos(c, a), low: a };
    const better =
      !best ||
      (cand.urgent && !best.urgent) ||
      (cand.urgent === best.urgent && cand.width > best.width + 1e-12);
    if (better) best = cand;
  });
  return best ? { value: best.value, phase: "bisect" } : { stop: "resolution" };
}

/** Where ln(ratio) crosses 0 between two points, linearly in the search's scale. */
function interpolate(
  c: BreakEvenConfig,
  inside: readonly JudgedPoint[],
  low: number,
  high: number,
) {
  for (let i = 0; i + 1 < inside.length; i++) {
    const [p, q] = [inside[i] as JudgedPoint, inside[i + 1] as JudgedPoint];
    if (!p.ratio || !q.ratio) continue;
    const [u, v] = [Math.log(p.ratio.value), Math.log(q.ratio.value)];
    if (u === 0) return p.value;
    if (u * v > 0) continue;
    const t = u / (u - v);
    return unpos(c, pos(c, p.value) + t * (pos(c, q.value) - pos(c, p.value)));
  }
  return unpos(c, (pos(c, low) + pos(c, high)) / 2);
}

/**
 * What the points say: their zones, every change of sign, the break-even and where the compare side
 * wins.
 */
export function summarizePoints(c: BreakEvenConfig, points: readonly JudgedPoint[]): SearchSummary {
  const sorted = measured(points);
  const zones = zonesOf(sorted);
  const crossings = signChanges(zones).map(([i, j]): Crossing => {
    const [a, b] = [zones[i] as SearchZone, zones[j] as SearchZone];
    const [low, high] = [a.to, b.from];
    const inside = sorted.filter((p) => p.value >= low && p.value <= high);
    const evens = inside.filter((p) => p.value > low && p.value < high);
    const ratioAt = (v: number) => sorted.find((p) => p.value === v)?.ratio as Estimate;
    const nearest = evens
      .filter((p) => p.ratio)
      .sort(
        (p, q) =>
          Math.abs(Math.log((p.ratio as Estimate).value)) -
          Math.abs(Math.log((q.ratio as Estimate).value)),
      )[0];
    const first = evens[0];
    const last = evens[evens.length - 1];
    return {
      low,
      high,
      from: a.standing as "win" | "lose",
      to: b.standing as "win" | "lose",
      ...(first && last
        ? { even: { from: first.value, to: last.value, points: evens.length } }
        : {}),
      estimate: interpolate(c, inside, low, high),
      ends: { low: ratioAt(low), high: ratioAt(high) },
      ...(nearest ? { at: { value: nearest.value, ratio: nearest.ratio as Estimate } } : {}),
    };
  });
  const top = zones[zones.length - 1];
  const breakEven = crossings[crossings.length - 1];
  return {
    zones,
    crossings,
    found: crossings.length > 0,
    monotone: crossings.length <= 1,
    ...(breakEven ? { breakEven } : {}),
    ...(top?.standing === "win" ? { winsFrom: top.from } : {}),
  };
}

/** What the search loop asks of whoever measures. */
export interface Measurer<P extends JudgedPoint> {
  /**
   * measure both sides at `value` (rounds, intervals): the point, with standing absent when it
   * could not
   */
  measure(value: number, phase: "grid" | "bisect"): Promise<P>;
  /** another point fits in the budget (asked before every point after the first) */
  affords(): boolean;
  /** the run was stopped (time limit, SIGINT) */
  stopped(): Extract<SearchStop, "time-limit" | "interrupted" | "fail-fast"> | undefined;
}

/**
 * The search: measure where nextStep says until it says stop, the budget
 * leaves no room for another point, the run is stopped, or a point cannot
 * be measured (a side errs or is skipped there: the search cannot judge it).
 */
export async function searchLoop<P extends JudgedPoint>(
  c: BreakEvenConfig,
  m: Measurer<P>,
): Promise<{ points: P[]; stoppedBy: SearchStop }> {
  const points: P[] = [];
  for (;;) {
    const step = nextStep(c, points);
    if ("stop" in step) return { points, stoppedBy: step.stop };
    const stopped = m.stopped();
    if (stopped) return { points, stoppedBy: stopped };
    if (points.length > 0 && !m.affords()) return { points, stoppedBy: "budget" };
    const p = await m.measure(step.value, step.phase);
    points.push(p);
    if (p.standing === undefined) return { points, stoppedBy: m.stopped() ?? "error" };
  }
}

/** How many rounds a point runs: at least min, at most max; adaptive (until) or a fixed count. */
export interface PointRepeat {
  min: number;
  max: number;
  /** adaptive: the relative half-width at which an interval that holds 1 is called even */
  until?: number;
}

/**
 * The confidence a point calls a side at. An adaptive point looks at its
 * interval after every round from its minimum on and stops at the first
 * that excludes 1; at 95 % each look would add its own 5 % chance of a
 * false call. Bonferroni over the looks it may take keeps the whole point's
 * chance at 5 % (3 to 12 rounds: 10 looks, 99.5 %).
 */
export function callLevel(r: PointRepeat): number {
  if (r.until === undefined) return LEVEL;
  const looks = Math.max(1, r.max - Math.max(r.min, 2) + 1);
  return 1 - (1 - LEVEL) / looks;
}

/**
 * Whether a point wants another round, from its paired figures so far
 * (compare's and against's, round by round). A fixed count runs out. An
 * adaptive point stops once its minimum ran and the ratio's interval at
 * callLevel calls a side (decided), or holds 1 while as tight as `until` (even, for real),
 * or max rounds ran (even: the noise hid the answer).
 */
export function pointRounds(
  pairs: { a: readonly number[]; b: readonly number[] },
  r: PointRepeat,
  better: "above" | "below",
): { go: true } | { go: false; stoppedBy: "decided" | "until" | "max" | "count" } {
  const n = Math.min(pairs.a.length, pairs.b.length);
  if (r.until === undefined) return n < r.max ? { go: true } : { go: false, stoppedBy: "count" };
  if (n >= r.min && n >= 2) {
    const [a, b] = [pairs.a.slice(0, n), pairs.b.slice(0, n)];
    if (standingOf(pairedRatio(a, b, callLevel(r)), better) !== "even")
      return { go: false, stoppedBy: "decided" };
    // even for real: the 95 % interval holds 1 and is already that tight
    const e = pairedRatio(a, b);
    if (standingOf(e, better) === "even" && relativeHalfWidth(e) <= r.until)
      return { go: false, stoppedBy: "until" };
  }
  return n < r.max ? { go: true } : { go: false, stoppedBy: "max" };
}
