import type { Case } from "./case.js";
import type { Check } from "./check.js";
import type { Environment } from "./environment.js";
import type { Estimate } from "./estimate.js";
import type { Measured } from "./measured/measured.js";
import type { RepetitionNoise, RoundsInfo } from "./measured/noise.js";
import type { Plan } from "./plan.js";
import type { SearchResult } from "./search.js";
import type { Topology } from "./target.js";

export type CaseStatus = "passed" | "failed" | "skipped" | "error";

/** Spread across repetitions of one case, each figure shaped like a Measured. */
export interface RepeatStats {
  runs: number;
  min: Measured;
  max: Measured;
  stddev: Measured;
}

/** The figures comparisons are made on, each with its interval. */
export interface CaseEstimates {
  rps: Estimate;
  gbps: Estimate;
  cpuNsPerRequest: Estimate;
  /** where every repetition read /proc/stat */
  machineCpuNsPerRequest?: Estimate;
}

/** One case's outcome: what ran, what was measured, what held. */
export interface CaseResult {
  spec: string;
  case: Case;
  plan: Plan;
  status: CaseStatus;
  /** why a case was skipped or could not run */
  reason?: string;
  /** the figures the case is judged by: with repeat > 1, each figure's median across the runs */
  measured?: Measured;
  /** every repetition's figures, when the case ran more than once */
  runs?: Measured[];
  /** min, max and standard deviation across the repetitions */
  stats?: RepeatStats;
  /** the main figures' medians with their 95 % intervals, when the case ran more than once */
  estimates?: CaseEstimates;
  /** what the machine did to each repetition (parallel to `runs`) */
  repetitions?: RepetitionNoise[];
  checks: Check[];
  /** things to know that do not fail the case (noise across repetitions, skipped checks) */
  warnings?: string[];
  /** where it ran: the run's environment (shared by every result) and the target's topology */
  environment: Environment;
  topology?: Topology;
  /** a search case of the spec's break-even search: the parameter's value and which side it is */
  search?: { value: number; side: "compare" | "against" };
}

export interface RunResult {
  spec: string;
  file: string;
  results: CaseResult[];
  startedAt: string;
  elapsedMs: number;
  /** the run stopped early (SIGINT or the time limit): some cases did not run */
  partial?: boolean;
  /** why it stopped early */
  stoppedBy?: string;
  /** it stopped because the spec's time limit (--time-limit) ran out */
  timedOut?: boolean;
  /** captured once per run, also on every result */
  environment: Environment;
  /** how the repetitions were ordered and why they stopped (specs with repeat > 1) */
  rounds?: RoundsInfo;
  /**
   * the spec's break-even search, when it has one (its search cases are in `results`, marked
   * `search`)
   */
  search?: SearchResult;
}

/** Several specs run as one suite: what `zcspec run` writes with --json. */
export interface SuiteResult {
  runs: RunResult[];
  startedAt: string;
  elapsedMs: number;
  partial: boolean;
  stoppedBy?: string;
  /** --baseline, when given */
  baseline?: { file: string; tolerance: number };
}

export const RESULTS_FORMAT = "zcspec-results";
export const RESULTS_VERSION = 1;

/**
 * The results file: a SuiteResult with its format name and version (schema/results.schema.json).
 */
export interface ResultsDocument extends SuiteResult {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  zcspec: string;
}

/**
 * A case that ran to its end: its figures can be compared with (by peer(),
 * a baseline, a report). An errored or stopped case's partial figures cannot.
 */
export function ranToEnd(r: CaseResult): r is CaseResult & { measured: Measured } {
  return r.measured !== undefined && (r.status === "passed" || r.status === "failed");
}
