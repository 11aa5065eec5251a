import { targetBlocker } from "../env/caps.js";
import { capabilities, capabilityVerdict } from "../env/probe.js";
import type { Environment } from "../model/environment.js";
import type { CaseResult } from "../model/results.js";
import type { NativeLibrary } from "../native/library.js";
import type { CaseState } from "./case-state.js";
import { unrun } from "./outcome.js";

/**
 * Why a case cannot run here at all, as its result (skipped where this build
 * or kernel cannot run it, an error where a limit of this process stops a
 * feature it needs); undefined when it can.
 */
export function blocked(
  spec: string,
  st: CaseState,
  environment: Environment,
  native: NativeLibrary | undefined,
): CaseResult | undefined {
  const { c, plan } = st;
  const skip = plan.unsupported.length
    ? `not supported by this build yet: ${plan.unsupported.join(", ")}`
    : targetBlocker(c.target);
  if (skip) return unrun("skipped", spec, c, plan, skip, environment);
  const verdict = capabilityVerdict(plan, capabilities(native));
  if (verdict) return unrun(verdict.status, spec, c, plan, verdict.reason, environment);
  return undefined;
}
