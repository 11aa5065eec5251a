import { targetBlocker } from "../env/caps.js";
import { capabilities, capabilityVerdict } from "../env/probe.js";
import type { CaseResult } from "../model/results.js";
import type { CaseState } from "./case-state.js";
import { unrun } from "./outcome.js";
import type { SpecContext } from "./spec-run.js";

/**
 * Why a case cannot run here at all, as its result (skipped where this build
 * or kernel cannot run it, an error where a limit of this process stops a
 * feature it needs); undefined when it can.
 */
export function blocked(spec: string, st: CaseState, ctx: SpecContext): CaseResult | undefined {
  const { c, plan } = st;
  const { environment } = ctx;
  const skip = plan.unsupported.length
    ? `not supported by this build yet: ${plan.unsupported.join(", ")}`
    : targetBlocker(c.target);
  if (skip) return unrun("skipped", spec, c, plan, skip, environment);
  const verdict = capabilityVerdict(plan, capabilities(ctx.native));
  if (verdict) return unrun(verdict.status, spec, c, plan, verdict.reason, environment);
  return undefined;
}
