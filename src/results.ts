import type { Check } from "./assert/check.js";
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
  measured?: Measured;
  checks: Check[];
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
  environment: Environment;
}
