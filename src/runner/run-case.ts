import { invariants, receiverChecks } from "../assert/invariants.js";
import { readProcessLimits } from "../env/limits.js";
import { runtimeLimitHint } from "../env/probe.js";
import type { Target } from "../env/target.js";
import type { Check } from "../model/check.js";
import type { Measured } from "../model/measured.js";
import type { Progress } from "../model/progress.js";
import type { CaseResult } from "../model/results.js";
import type { CaseControl, NativeLibrary } from "../native/library.js";
import { toNativePlan } from "../native/marshal.js";
import { errnoName, measure } from "../native/result.js";
import { aggregate, noiseWarning } from "../stats/aggregate.js";
import { statusOf } from "./outcome.js";

/** What a case runs with, besides the case itself. */
export interface CaseRun {
  native: NativeLibrary;
  target: Target;
  stop: AbortSignal | undefined;
  /** why the stop fired, for a case it cut short */
  why: () => string;
  onProgress: (p: Progress) => void;
}

/** Run a case `repeat` times; judge each run's invariants, keep the medians. */
export async function runRepetitions(
  base: Pick<CaseResult, "spec" | "case" | "plan" | "environment" | "topology">,
  { native, target, stop, why, onProgress }: CaseRun,
): Promise<CaseResult> {
  const { case: c, plan } = base;
  const runs: Measured[] = [];
  const checks: Check[] = [];
  const label = (i: number, k: Check): Check =>
    c.repeat > 1
      ? {
          ...k,
          name: `run ${i + 1}/${c.repeat}: ${k.name}`,
          ...(k.reason ? { reason: `run ${i + 1}/${c.repeat}: ${k.reason}` } : {}),
        }
      : k;
  for (let i = 0; i < c.repeat; i++) {
    const session = await target.beginCase(c);
    const control: CaseControl = { onProgress, ...(stop ? { signal: stop } : {}) };
    const raw = await native.runCase(
      // the target picks the port: loopback's receiver takes a free one
      { ...toNativePlan(plan, target), dst_port: session.dstPort },
      control,
    );
    const measured = measure(raw, await session.collect());
    if (raw.status !== 0) {
      // a limit the probe's small requests fit under, and this case did not
      const limit = runtimeLimitHint(errnoName(raw.status), plan, readProcessLimits(), raw.message);
      return {
        ...base,
        status: "error",
        reason: `${raw.message} (${errnoName(raw.status)})${c.repeat > 1 ? ` in run ${i + 1}/${c.repeat}` : ""}${limit ? `; ${limit}` : ""}`,
        measured,
        checks: [],
      };
    }
    if (measured.interrupted) {
      return {
        ...base,
        status: "error",
        reason: `stopped early (${why()}); the figures cover part of the run`,
        measured,
        checks: [],
      };
    }
    runs.push(measured);
    checks.push(
      ...[...invariants(c, measured), ...receiverChecks(measured.target)].map((k) => label(i, k)),
    );
  }
  const result: CaseResult = { ...base, status: statusOf(checks), checks };
  if (runs.length === 1) {
    result.measured = runs[0] as Measured;
    return result;
  }
  const { measured, stats } = aggregate(runs);
  Object.assign(result, { measured, runs, stats });
  const noisy = noiseWarning(stats, measured);
  if (noisy) result.warnings = [noisy];
  return result;
}
