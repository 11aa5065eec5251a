import type { Case } from "../../model/case.js";
import type { ErrorCode } from "../../model/errors.js";

/** A message or hint: fixed, or quoting the values of the case at fault. */
export type RuleText<C> = string | ((c: Case, context: C) => string);

/**
 * One check on a resolved case that the schema cannot express. `C` is what
 * the check needs beyond the case itself (most need nothing).
 */
export interface Rule<C = unknown> {
  code: ErrorCode;
  /** the parameter whose value is at fault: the diagnostic points where it was set */
  param: string;
  severity: "error" | "warning";
  /** true when the case breaks the rule */
  check: (c: Case, context: C) => boolean;
  message: RuleText<C>;
  hint: RuleText<C>;
}

/** A case among the spec's cases, for rules that compare cases. */
export interface SpecContext {
  cases: readonly Case[];
  /** the case's index in `cases` */
  index: number;
}

/** The machine that will run the spec. */
export interface MachineContext {
  /** its online CPUs */
  online: ReadonlySet<number>;
}
