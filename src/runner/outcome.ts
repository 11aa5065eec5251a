import { type CaseFigures, caseFigures } from "../assert/evaluate.js";
import type { Case } from "../model/case.js";
import { type Check, isFailure } from "../model/check.js";
import type { Environment } from "../model/environment.js";
import type { Plan } from "../model/plan.js";
import type { CaseResult } from "../model/results.js";

export function statusOf(checks: readonly Check[]): CaseResult["status"] {
  return checks.some(isFailure) ? "failed" : "passed";
}

/** Add checks to a measured case and settle its status. */
export function finish(result: CaseResult, checks: Check[]): void {
  result.checks.push(...checks);
  result.status = statusOf(result.checks);
}

/** A case that produced no figures: skipped, or stopped by an error before it could run. */
export function unrun(
  status: "skipped" | "error",
  spec: string,
  c: Case,
  plan: Plan,
  reason: string,
  environment: Environment,
): CaseResult {
  return { spec, case: c, plan, status, reason, checks: [], environment };
}

/** What the expression helpers see of a measured case: figures, repetitions and their rounds. */
export function measuredFigures(r: CaseResult): CaseFigures {
  if (!r.measured) throw new Error(`case ${r.case.name} has no figures`);
  return caseFigures(r as CaseResult & { measured: NonNullable<CaseResult["measured"]> });
}
