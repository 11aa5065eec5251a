import type { Check } from "./assert/check.js";
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
}

export interface RunResult {
  spec: string;
  file: string;
  results: CaseResult[];
  startedAt: string;
  elapsedMs: number;
}
