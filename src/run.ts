import { invariants } from "./assert/invariants.js";
import { namespaceBlocker } from "./env/caps.js";
import { openTarget, targetKey } from "./env/open.js";
import type { Target } from "./env/target.js";
import { loadNative, type NativeLibrary } from "./native/library.js";
import { toNativePlan } from "./native/marshal.js";
import { capabilities, capabilitySkip } from "./native/probe.js";
import { measure } from "./native/result.js";
import { compileCase } from "./plan/compile.js";
import type { Reporter } from "./report/reporter.js";
import type { CaseResult, RunResult } from "./results.js";
import type { ValidSpec } from "./spec/read.js";
import type { Case } from "./spec/types.js";

export interface RunOptions {
  reporters?: Reporter[];
  /** the executor library; loaded from native/build by default */
  native?: NativeLibrary;
}

function errnoName(err: number): string {
  return err < 0 ? `-${-err}` : String(err);
}

/** Runs the cases in order on one target per run, which is always torn down. */
export async function runSpec(spec: ValidSpec, options: RunOptions = {}): Promise<RunResult> {
  const reporters = options.reporters ?? [];
  const started = Date.now();
  const results: CaseResult[] = [];
  const blocker = namespaceBlocker();
  let native: NativeLibrary | undefined = options.native;
  const targets = new Map<string, Target>();

  for (const r of reporters)
    r.onRunStart?.({ name: spec.name, file: spec.file, cases: spec.cases });
  try {
    for (const [index, c] of spec.cases.entries()) {
      for (const r of reporters) r.onCaseStart?.(c, index, spec.cases.length);
      const plan = compileCase(c);
      let result: CaseResult;
      const skip = plan.unsupported.length
        ? `not supported by this build yet: ${plan.unsupported.join(", ")}`
        : (blocker ?? capabilitySkip(plan, capabilities(native)));
      if (skip) {
        result = { spec: spec.name, case: c, plan, status: "skipped", reason: skip, checks: [] };
      } else {
        native ??= loadNative();
        let target = targets.get(targetKey(c));
        if (!target) {
          target = await openTarget(c);
          targets.set(targetKey(c), target);
        }
        result = await runOne(spec.name, c, native, target);
      }
      results.push(result);
      for (const r of reporters) r.onCaseEnd?.(result);
    }
  } finally {
    for (const t of targets.values()) await t.close();
  }

  const run: RunResult = {
    spec: spec.name,
    file: spec.file,
    results,
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };
  for (const r of reporters) await r.onRunEnd?.(run);
  return run;
}

async function runOne(
  specName: string,
  c: Case,
  native: NativeLibrary,
  target: Target,
): Promise<CaseResult> {
  const plan = compileCase(c);
  const collect = await target.beginCase(c);
  const raw = await native.runCase(toNativePlan(plan, target));
  const measured = measure(raw, await collect());
  if (raw.status !== 0) {
    return {
      spec: specName,
      case: c,
      plan,
      status: "error",
      reason: `${raw.message} (${errnoName(raw.status)})`,
      measured,
      checks: [],
    };
  }
  const checks = invariants(c.mode, measured);
  return {
    spec: specName,
    case: c,
    plan,
    status: checks.every((k) => k.pass) ? "passed" : "failed",
    measured,
    checks,
  };
}
