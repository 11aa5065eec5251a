import type { Check } from "./check.js";
import type { Estimate } from "./estimate.js";

/**
 * A break-even search (the spec's `search:`): along one numeric parameter,
 * where does one side (compare) stop or start beating the other (against)?
 * Every point runs both sides in interleaved rounds and is judged on
 * the interval of their paired ratio; the search narrows the brackets where
 * that judgement changes (stats/break-even.ts).
 */

/**
 * The figure a search compares: requests/s (higher is better) or CPU per
 * request, the sender threads' or the whole machine's (lower is better).
 */
export type SearchFigure = "rps" | "cpuNsPerRequest" | "machineCpuNsPerRequest";

/**
 * Where one point stands for the compare side: `win` when the whole
 * interval of the ratio compare/against is on the better side of 1 (above
 * for requests/s, below for CPU per request), `lose` when wholly on the
 * other side, `even` when it holds 1 (no difference the noise lets us see).
 */
export type SearchStanding = "win" | "lose" | "even";

/** The search section as resolved: what the runner and the reports need. */
export interface SearchSettings {
  /** the dotted parameter path searched along (buffers.size, batch, ...) */
  parameter: string;
  /** "B" when the parameter is a byte count, else absent */
  unit?: "B";
  /** the bounds, inclusive, in the parameter's unit (bytes for sizes) */
  from: number;
  to: number;
  /** the two sides as written: dotted parameter paths and their values */
  compare: Record<string, unknown>;
  against: Record<string, unknown>;
  /** short names of the two sides, from their values ("send_zc", "send") */
  labels: { compare: string; against: string };
  figure: SearchFigure;
  /**
   * the compare side wins where the ratio compare/against is above 1 (rps)
   * or below (CPU per request)
   */
  better: "above" | "below";
  /**
   * a bracket this narrow is narrow enough: relative (0.05: high ≤ low × 1.05)
   * or absolute (high − low ≤ 256)
   */
  resolution: { relative: number } | { absolute: number };
  /** wall-clock time the search may take, ms */
  budgetMs: number;
  /** points of the first, coarse pass over the bounds (both bounds included) */
  grid: number;
  /** how points are spaced and brackets split: geometric (log) or arithmetic (linear) */
  scale: "log" | "linear";
  /** the parameter takes whole numbers only */
  integer: boolean;
  /** most points, grid included */
  maxPoints: number;
}

/**
 * Why a point's rounds ended: its interval called a side (decided), it was
 * as tight as repeat.until while holding 1 (until), max rounds (max), a
 * fixed repeat count (count), the search's budget, the run's time limit or
 * SIGINT, or a side that could not run (error).
 */
export type PointStop =
  | "decided"
  | "until"
  | "max"
  | "count"
  | "budget"
  | "time-limit"
  | "interrupted"
  | "error";

/** One measured parameter value: both sides measured in paired rounds, and the ratio's interval. */
export interface SearchPoint {
  value: number;
  /** the point's place in the order points ran (1-based) */
  order: number;
  /** the coarse grid, or a split of a bracket */
  phase: "grid" | "bisect";
  /** compare/against of the figure, from the paired rounds (absent when a side did not run) */
  ratio?: Estimate;
  /** absent when the point could not be measured (`error` says why) */
  standing?: SearchStanding;
  /** paired rounds the ratio rests on */
  rounds: number;
  stoppedBy: PointStop;
  /** the point's two cases, by name, in RunResult.results */
  cases: { compare: string; against: string };
  /** wall time of the point, ms */
  elapsedMs: number;
  error?: string;
}

/** A run of neighbouring points that stand alike, from the first to the last of them. */
export interface SearchZone {
  standing: SearchStanding;
  from: number;
  to: number;
  points: number;
}

/**
 * Where the relation changes sign: the compare side stands `from` (win or
 * lose) up to `low` and the other way (`to`) from `high` on. Between them the
 * intervals were even (`even` spans those points) or nothing was measured.
 */
export interface Crossing {
  low: number;
  high: number;
  from: "win" | "lose";
  to: "win" | "lose";
  /** the points between low and high, all even, when there are any */
  even?: { from: number; to: number; points: number };
  /** where the ratio's point estimates cross 1, interpolated in the search's scale */
  estimate: number;
  /** the ratio at the bracket's ends (decided) */
  ends: { low: Estimate; high: Estimate };
  /** the point inside the bracket whose ratio is nearest 1, with its interval */
  at?: { value: number; ratio: Estimate };
}

/** Why the search ended. */
export type SearchStop =
  | "resolution"
  | "max-points"
  | "budget"
  | "time-limit"
  | "interrupted"
  | "fail-fast"
  | "error";

/** A saved run's break-even against this run's: --baseline. */
export interface SearchBaseline {
  file: string;
  /** the saved bracket; absent when the saved search found no sign change */
  before?: { low: number; high: number };
  /** this run's bracket; absent when it found none */
  now?: { low: number; high: number };
  /**
   * the brackets overlap (no change detected), are disjoint (moved), or one
   * search found a sign change the other did not (appeared / vanished)
   */
  verdict: "no change" | "moved" | "appeared" | "vanished" | "no sign change either";
  text: string;
}

/** What the measured points say (stats/break-even.ts summarizePoints). */
export interface SearchSummary {
  /** the points grouped into runs of one standing, by parameter value */
  zones: SearchZone[];
  /** every change of sign, by parameter value */
  crossings: Crossing[];
  /** the relation changes sign somewhere in the bounds */
  found: boolean;
  /** it changes sign at most once (more: wins, loses, wins again) */
  monotone: boolean;
  /** the last crossing below the upper bound: from there up the relation keeps one sign */
  breakEven?: Crossing;
  /** the smallest measured value from which every measured point up to the upper bound is a win */
  winsFrom?: number;
}

/** What a search found: RunResult.search. */
export interface SearchResult extends SearchSummary {
  settings: SearchSettings;
  /** every measured point, by parameter value */
  points: SearchPoint[];
  stoppedBy: SearchStop;
  /** points measured; rounds summed over them */
  pointCount: number;
  rounds: number;
  elapsedMs: number;
  /** the seed each point's round order derives from (the run's seed) */
  seed: number;
  /** the spec's expectations about `search`, and --baseline's comparison */
  checks: Check[];
  baseline?: SearchBaseline;
}
