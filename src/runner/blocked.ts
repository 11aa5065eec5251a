import { targetBlocker } from "../env/caps.js";
import { capabilities, capabilityVerdict } from "../env/probe.js";
import type { Case } from "../model/case.js";
import type { Hindrance } from "../model/dry-run.js";
import type { Environment } from "../model/environment.js";
import type { Plan } from "../model/plan.js";
import type { CaseResult } from "../model/results.js";
import { loadNative, type NativeLibrary } from "../native/library.js";
import type { CaseState } from "./case-state.js";
import { unrun } from "./outcome.js";

/**
 * Why this build, kernel or process cannot run a case here at all (the
 * run and --dry-run both ask this), or undefined when it can. A limit of
 * this process that stops a feature the kernel has is an error, not a skip.
 */
export function hindrance(c: Case, plan: Plan, native?: NativeLibrary): Hindrance | undefined {
  if (plan.unsupported.length)
    return {
      action: "skip",
      cause: "unsupported",
      reason: `not supported by this build yet: ${plan.unsupported.join(", ")}`,
    };
  const privilege = targetBlocker(c.target);
  if (privilege) return { action: "skip", cause: "privilege", reason: privilege };
  const verdict = capabilityVerdict(plan, capabilities(native ?? loadNative()));
  if (!verdict) return undefined;
  return verdict.status === "skipped"
    ? { action: "skip", cause: "feature", reason: verdict.reason }
    : { action: "error", cause: "limit", reason: verdict.reason };
}

/** A case that cannot run here, as its result; undefined when it can. */
export function blocked(
  spec: string,
  st: CaseState,
  environment: Environment,
  native: NativeLibrary | undefined,
): CaseResult | undefined {
  const why = hindrance(st.c, st.plan, native);
  if (!why) return undefined;
  const status = why.action === "error" ? "error" : "skipped";
  return unrun(status, spec, st.c, st.plan, why.reason, environment);
}
