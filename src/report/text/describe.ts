import type { Check } from "../../model/check.js";
import type { CaseResult } from "../../model/results.js";

/**
 * A check that did not pass, in words a person can act on: where it is
 * written, what, how it came out (failed, not evaluated, inconclusive) and
 * what was seen (for a relation, the ratio with its interval).
 */
export function describeCheck(c: Check): string {
  const at = c.location ? `${c.location.file}:${c.location.line}:${c.location.col} ` : "";
  const kind = c.kind === "expect" ? `expectation "${c.name}"` : c.name;
  const outcome = c.skipped
    ? "not evaluated"
    : c.verdict === "inconclusive"
      ? "inconclusive"
      : "failed";
  const head = `${at}${kind} ${outcome}`;
  return c.reason ? `${head}: ${c.reason}` : head;
}

/** Every reason a case did not simply pass (skip or error reason, failed checks), one per line. */
export function caseProblems(r: CaseResult): string[] {
  const out: string[] = [];
  if (r.reason) out.push(r.reason);
  for (const c of r.checks) if (!c.pass) out.push(describeCheck(c));
  return out;
}

/**
 * Cases that passed with an expectation the intervals could not decide (it fails only --strict).
 */
export function inconclusiveCases(results: readonly CaseResult[]): number {
  return results.filter((r) => r.checks.some((c) => c.verdict === "inconclusive")).length;
}
