import type { Check } from "./assert/check.js";
import type { RepeatStats } from "./assert/stats.js";
import type { Environment } from "./env/environment.js";
import type { Topology } from "./env/target.js";
import type { Measured } from "./native/result.js";
import type { Plan } from "./plan/types.js";
import type { Case } from "./spec/types.js";

export type CaseStatus = "passed" | "failed" | "skipped" | "error";

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
  checks: Check[];
  /** things to know that do not fail the case (noise across repetitions, skipped checks) */
  warnings?: string[];
  /** where it ran: the run's environment (shared by every result) and the target's topology */
  environment: Environment;
  topology?: Topology;
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

/**
 * A case that ran to its end: its figures can be compared with (by peer(),
 * a baseline, a report). An errored or stopped case's partial figures cannot.
 */
export function ranToEnd(r: CaseResult): r is CaseResult & { measured: Measured } {
  return r.measured !== undefined && (r.status === "passed" || r.status === "failed");
}
