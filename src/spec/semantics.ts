import type { Case } from "../model/case.js";
import type { SpecDiagnostic } from "../model/errors.js";
import { caseRules, machineRules } from "./rules/index.js";
import type { Rule, RuleText } from "./rules/rule.js";
import { at, type Source } from "./source/locate.js";
import type { CaseOrigin } from "./types.js";

type Where = (origin: CaseOrigin, dotted: string) => Source;

function text<C>(t: RuleText<C>, c: Case, context: C): string {
  return typeof t === "string" ? t : t(c, context);
}

/**
 * Every rule every case breaks, each located where the rule's parameter was
 * set. A value set once (in defaults, say) and wrong for many cases is
 * reported once.
 */
function walk<C>(
  rules: readonly Rule<C>[],
  cases: readonly Case[],
  origins: readonly CaseOrigin[],
  where: Where,
  contextOf: (index: number) => C,
): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const seen = new Set<string>();
  cases.forEach((c, i) => {
    const context = contextOf(i);
    for (const rule of rules) {
      if (!rule.check(c, context)) continue;
      const d = at(where(origins[i] as CaseOrigin, rule.param), {
        code: rule.code,
        severity: rule.severity,
        message: text(rule.message, c, context),
        hint: text(rule.hint, c, context),
      });
      const key = `${d.code}|${d.file}|${d.line}|${d.col}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(d);
    }
  });
  return out;
}

/** What is wrong with the resolved cases that the schema cannot express. */
export function caseDiagnostics(
  cases: Case[],
  origins: CaseOrigin[],
  where: Where,
): SpecDiagnostic[] {
  return walk(caseRules, cases, origins, where, (index) => ({ cases, index }));
}

/** What this machine (its online CPUs) cannot run as written; checked at plan and run time only. */
export function machineProblems(
  cases: Case[],
  origins: CaseOrigin[],
  where: Where,
  online: ReadonlySet<number>,
): SpecDiagnostic[] {
  return walk(machineRules, cases, origins, where, () => ({ online }));
}
