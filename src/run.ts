import { type Check, equals } from "./assert/check.js";
import { invariants } from "./assert/invariants.js";
import { targetBlocker } from "./env/caps.js";
import { captureEnvironment, type Environment } from "./env/environment.js";
import { openTarget, targetKey } from "./env/open.js";
import { remoteRefusal } from "./env/remote.js";
import type { Target, TargetCounters } from "./env/target.js";
import { EnvError } from "./errors.js";
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
  /** let `target: remote` cases send to the host they name (off by default: traffic leaves the machine) */
  allowRemote?: boolean;
}

function errnoName(err: number): string {
  return err < 0 ? `-${-err}` : String(err);
}

/** Runs the cases in order on one target per run, which is always torn down. */
export async function runSpec(spec: ValidSpec, options: RunOptions = {}): Promise<RunResult> {
  const reporters = options.reporters ?? [];
  const started = Date.now();
  const results: CaseResult[] = [];
  for (const c of spec.cases) {
    const refusal = remoteRefusal(c, options.allowRemote ?? false);
    if (refusal)
      throw new EnvError("ZC_REMOTE_REFUSED", refusal, "rerun with --allow-remote if you mean it");
  }
  const environment = await captureEnvironment(spec.file, options.native?.path);
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
        : (targetBlocker(c.target) ?? capabilitySkip(plan, capabilities(native)));
      if (skip) {
        result = {
          spec: spec.name,
          case: c,
          plan,
          status: "skipped",
          reason: skip,
          checks: [],
          environment,
        };
      } else {
        native ??= loadNative();
        let target = targets.get(targetKey(c));
        if (!target) {
          target = await openTarget(c);
          targets.set(targetKey(c), target);
        }
        result = await runOne(spec.name, c, native, target, environment);
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
    environment,
  };
  for (const r of reporters) await r.onRunEnd?.(run);
  return run;
}

async function runOne(
  specName: string,
  c: Case,
  native: NativeLibrary,
  target: Target,
  environment: Environment,
): Promise<CaseResult> {
  const plan = compileCase(c);
  const session = await target.beginCase(c);
  const raw = await native.runCase({
    ...toNativePlan(plan, target),
    // the target picks the port: loopback's receiver takes a free one
    dst_port: session.dstPort,
  });
  const measured = measure(raw, await session.collect());
  const where = { environment, topology: target.topology };
  if (raw.status !== 0) {
    return {
      ...where,
      spec: specName,
      case: c,
      plan,
      status: "error",
      reason: `${raw.message} (${errnoName(raw.status)})`,
      measured,
      checks: [],
    };
  }
  const checks = [...invariants(c.mode, measured), ...receiverChecks(measured.target)];
  return {
    ...where,
    spec: specName,
    case: c,
    plan,
    status: checks.every((k) => k.pass) ? "passed" : "failed",
    measured,
    checks,
  };
}

/** What the built-in receiver must have seen: every byte as the pattern says. */
function receiverChecks(t: TargetCounters): Check[] {
  return t.rxMismatches === undefined
    ? []
    : [equals("received pattern mismatches", t.rxMismatches, 0)];
}
