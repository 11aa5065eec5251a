import type { Check } from "../model/check.js";
import type { CaseResult } from "../model/results.js";

/** A failed check in words a person can act on: where it is written, what, and what was seen. */
export function describeCheck(c: Check): string {
  const at = c.location ? `${c.location.file}:${c.location.line}:${c.location.col} ` : "";
  const kind = c.kind === "expect" ? `expectation "${c.name}"` : c.name;
  const head = `${at}${kind} ${c.skipped ? "not evaluated" : "failed"}`;
  return c.reason ? `${head}: ${c.reason}` : head;
}

/** Every reason a case did not simply pass (skip or error reason, failed checks), one per line. */
export function caseProblems(r: CaseResult): string[] {
  const out: string[] = [];
  if (r.reason) out.push(r.reason);
  for (const c of r.checks) if (!c.pass) out.push(describeCheck(c));
  return out;
}
