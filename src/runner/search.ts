import type { Baseline } from "../assert/baseline.js";
import { judgeSearch, searchBaseline } from "../assert/search-expect.js";
import type { Case } from "../model/case.js";
import type { Estimate } from "../model/estimate.js";
import type { RoundsInfo } from "../model/measured/noise.js";
import type { Reporter } from "../model/reporter.js";
import type { CaseResult } from "../model/results.js";
import type {
  PointStop,
  SearchFigure,
  SearchPoint,
  SearchResult,
  SearchStop,
} from "../model/search.js";
import type { Expectation } from "../spec/cel/expectations.js";
import { type SearchSpec, withSearchRounds } from "../spec/search.js";
import {
  type BreakEvenConfig,
  callLevel,
  type PointRepeat,
  pointRounds,
  searchLoop,
  standingOf,
  summarizePoints,
} from "../stats/break-even.js";
import { compareCases } from "../stats/compare.js";
import type { DoneRepetition } from "./run-case.js";
import type { StopWatch } from "./stop.js";

/**
 * Runs a point's two cases in interleaved rounds (point-run.ts lends the spec's
 * runner, with its targets, reporters and stop): `goOn` is asked after
 * every round instead of the adaptive rule. What it returns: the two
 * results, why the run stopped (SIGINT, time limit, --fail-fast), and why
 * its rounds ended.
 */
export type PointRun = (
  cases: readonly Case[],
  seed: number,
  goOn: (done: readonly (readonly DoneRepetition[])[]) => boolean,
) => Promise<{ results: CaseResult[]; stoppedBy?: string; rounds: RoundsInfo["stoppedBy"] }>;

export interface SearchRunOptions {
  spec: string;
  point: PointRun;
  stop: StopWatch;
  /** the run's seed: point k's rounds are shuffled from a seed derived from it and k */
  seed: number;
  reporters: readonly Reporter[];
  /** the spec's expectations about `search` */
  expectations: readonly Expectation[];
  baseline?: Baseline;
  /** --fail-fast: a search case that fails or errs ends the search */
  failFast?: boolean;
}

function repeatOf(c: Case): PointRepeat {
  return c.adaptive
    ? { min: c.repeat, max: c.adaptive.max, until: c.adaptive.until }
    : { min: c.repeat, max: c.repeat };
}

/** The figure of each of two cases' repetitions, paired by the round they ran in. */
function pairs(done: readonly (readonly DoneRepetition[])[], figure: SearchFigure) {
  const [a = [], b = []] = done;
  const byRound = new Map(b.map((d) => [d.noise.round, d.measured[figure]]));
  const out = { a: [] as number[], b: [] as number[] };
  for (const d of a) {
    const y = byRound.get(d.noise.round);
    const x = d.measured[figure];
    if (x === undefined || y === undefined || !(x > 0) || !(y > 0)) continue;
    out.a.push(x);
    out.b.push(y);
  }
  return out;
}

/** Mean wall time of one repetition of each case: what another round costs. */
function roundCost(done: readonly (readonly DoneRepetition[])[]): number {
  return done.reduce(
    (sum, reps) => sum + reps.reduce((t, d) => t + d.wallMs, 0) / Math.max(1, reps.length),
    0,
  );
}

/**
 * The break-even search of a spec: points chosen by stats/break-even.ts,
 * each point the two sides at one parameter value in interleaved rounds
 * until their ratio's interval calls a side, holds 1 while tight, or runs
 * out of rounds or budget. Returns the search's result and every point
 * case's result (for RunResult.results), by parameter value.
 */
export async function runSearch(
  search: SearchSpec,
  o: SearchRunOptions,
): Promise<{ result: SearchResult; results: CaseResult[]; stoppedBy?: string }> {
  const s = search.settings;
  const started = Date.now();
  const config: BreakEvenConfig = s;
  const results: CaseResult[] = [];
  const costs: number[] = [];
  let halted:
    | { stoppedBy: string; as: Extract<SearchStop, "time-limit" | "interrupted" | "fail-fast"> }
    | undefined;
  let budgetHit = false;
  const elapsed = () => Date.now() - started;

  const measure = async (value: number, phase: "grid" | "bisect"): Promise<SearchPoint> => {
    const order = costs.length + 1;
    for (const r of o.reporters)
      r.onSearchPointStart?.({ order, value, phase, settings: s, elapsedMs: elapsed() });
    const t0 = Date.now();
    const sides = search.at(value);
    // --repeat 1 would leave no interval: such a point repeats as a search's default does
    const cases = [withSearchRounds(sides.compare), withSearchRounds(sides.against)];
    const repeat = repeatOf(cases[0] as Case);
    let why: PointStop | undefined;
    const goOn = (done: readonly (readonly DoneRepetition[])[]) => {
      if (done.length < 2) {
        why = "error";
        return false;
      }
      const decision = pointRounds(pairs(done, s.figure), repeat, s.better);
      if (!decision.go) {
        why = decision.stoppedBy;
        return false;
      }
      const n = Math.min(done[0]?.length ?? 0, done[1]?.length ?? 0);
      if (n >= repeat.min && elapsed() + roundCost(done) > s.budgetMs) {
        why = "budget";
        budgetHit = true;
        return false;
      }
      return true;
    };
    // each point's own shuffle, so that points do not all run their sides in one order
    const seed = (o.seed + Math.imul(order, 0x9e3779b1)) >>> 0;
    const ran = await o.point(cases, seed, goOn);
    const [a, b] = ran.results as [CaseResult, CaseResult];
    a.search = { value, side: "compare" };
    b.search = { value, side: "against" };
    results.push(a, b);
    if (ran.stoppedBy) {
      const as: NonNullable<typeof halted>["as"] = o.stop.timedOut()
        ? "time-limit"
        : ran.stoppedBy.startsWith("--fail-fast")
          ? "fail-fast"
          : "interrupted";
      halted = { stoppedBy: ran.stoppedBy, as };
      why ??= as === "fail-fast" ? "error" : as;
    } else if (ran.rounds === "time-limit") {
      halted = { stoppedBy: "time limit reached", as: "time-limit" };
      why ??= "time-limit";
    }
    const ratio = compareCases(a, b, s.figure);
    const called = (x: CaseResult, y: CaseResult) =>
      compareCases(x, y, s.figure, callLevel(repeat)) as Estimate;
    const elapsedMs = Date.now() - t0;
    costs.push(elapsedMs);
    const point: SearchPoint = {
      value,
      order,
      phase,
      // the side is called at the level that allows for the point's repeated looks
      ...(ratio ? { ratio, standing: standingOf(called(a, b), s.better) } : {}),
      rounds: ratio?.n ?? 0,
      stoppedBy: ratio ? (why ?? "count") : "error",
      cases: { compare: a.case.name, against: b.case.name },
      elapsedMs,
    };
    if (!ratio) {
      const bad = [a, b].find((r) => r.status === "error" || r.status === "skipped") ?? a;
      point.error = `${bad.case.name} ${bad.status}${bad.reason ? `: ${bad.reason}` : ""}`;
    }
    if (o.failFast && [a, b].some((r) => r.status === "failed" || r.status === "error"))
      halted ??= { stoppedBy: `--fail-fast after ${a.case.name}`, as: "fail-fast" };
    for (const r of o.reporters) r.onSearchPoint?.(point, s);
    return point;
  };

  const { points, stoppedBy } = await searchLoop(config, {
    measure,
    affords: () => {
      if (budgetHit) return false;
      const mean = costs.reduce((x, y) => x + y, 0) / Math.max(1, costs.length);
      return elapsed() + mean <= s.budgetMs;
    },
    stopped: () => {
      if (halted) return halted.as;
      if (o.stop.signal?.aborted) return o.stop.timedOut() ? "time-limit" : "interrupted";
      return undefined;
    },
  });
  const sorted = [...points].sort((x, y) => x.value - y.value);
  const result: SearchResult = {
    settings: s,
    points: sorted,
    ...summarizePoints(config, sorted),
    stoppedBy: halted?.as ?? (budgetHit && stoppedBy !== "error" ? "budget" : stoppedBy),
    pointCount: points.length,
    rounds: points.reduce((n, p) => n + p.rounds, 0),
    elapsedMs: elapsed(),
    seed: o.seed,
    checks: [],
  };
  result.checks.push(...judgeSearch(o.expectations, result));
  const before = o.baseline?.search?.(o.spec);
  if (o.baseline && before) {
    const b = searchBaseline(result, before, o.baseline.file);
    result.baseline = b.baseline;
    result.checks.push(b.check);
  }
  const side = (r: CaseResult) => (r.search?.side === "compare" ? 0 : 1);
  results.sort((x, y) => (x.search?.value ?? 0) - (y.search?.value ?? 0) || side(x) - side(y));
  return { result, results, ...(halted ? { stoppedBy: halted.stoppedBy } : {}) };
}
