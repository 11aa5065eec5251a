import type { Baseline } from "./assert/baseline.js";
import { baselineCheck } from "./assert/baseline.js";
import { type Check, equals, isFailure } from "./assert/check.js";
import { type CaseFigures, ExpectationEvaluator } from "./assert/evaluate.js";
import type { Expectation } from "./assert/expectations.js";
import { invariants } from "./assert/invariants.js";
import { aggregate, noiseWarning } from "./assert/stats.js";
import { targetBlocker } from "./env/caps.js";
import { captureEnvironment, type Environment } from "./env/environment.js";
import { openTarget, targetKey } from "./env/open.js";
import { remoteRefusal } from "./env/remote.js";
import type { Target, TargetCounters } from "./env/target.js";
import { EnvError, ZcspecError } from "./errors.js";
import {
  type CaseControl,
  loadNative,
  type NativeLibrary,
  type Progress,
} from "./native/library.js";
import { toNativePlan } from "./native/marshal.js";
import { capabilities, capabilitySkip } from "./native/probe.js";
import { errnoName, type Measured, measure } from "./native/result.js";
import { compileCase } from "./plan/compile.js";
import type { Plan } from "./plan/types.js";
import type { Reporter } from "./report/reporter.js";
import { type CaseResult, type RunResult, ranToEnd } from "./results.js";
import type { ValidSpec } from "./spec/read.js";
import type { Case } from "./spec/types.js";

export interface RunOptions {
  reporters?: Reporter[];
  /** the executor; the native library from native/build by default */
  native?: NativeLibrary;
  /** stops the run: the current case ends early, the rest are not run (SIGINT) */
  signal?: AbortSignal;
  /** wall-clock limit for the whole spec, ms; past it the run stops as on SIGINT */
  timeLimitMs?: number;
  /** which cases to run (--case, --grep); the others stay visible to peer() */
  filter?: (c: Case, specName: string) => boolean;
  /** stop after the first case that fails or errs */
  failFast?: boolean;
  baseline?: Baseline;
  /** largest accepted drop of requests/s against the baseline, a fraction (0.05 = 5 %) */
  tolerance?: number;
  /** let `target: remote` cases send to the host they name (off by default: traffic leaves the machine) */
  allowRemote?: boolean;
}

/** A spec ready to run; `expectations` from readCheckedSpec (none for a bare ValidSpec). */
export type RunnableSpec = ValidSpec & { expectations?: readonly Expectation[] };

function statusOf(checks: readonly Check[]): CaseResult["status"] {
  return checks.some(isFailure) ? "failed" : "passed";
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === "TimeoutError";
}

/** Why a stop signal fired, in words for the results. */
function stopReason(signal: AbortSignal, limitMs: number | undefined): string {
  const r = signal.reason;
  if (typeof r === "string") return r;
  if (isTimeout(r) && limitMs !== undefined)
    return `time limit of ${limitMs / 1000}s for this spec reached`;
  return "interrupted";
}

/**
 * Runs a spec's cases in order on one target per kind (always torn down),
 * checks invariants, expectations and the baseline, and reports through the
 * reporters' hooks.
 */
export async function runSpec(spec: RunnableSpec, options: RunOptions = {}): Promise<RunResult> {
  const reporters = options.reporters ?? [];
  const selected = spec.cases.filter((c) => options.filter?.(c, spec.name) ?? true);
  // refused before anything runs; cases that --case/--grep leave out do not count
  for (const c of selected) {
    const refusal = remoteRefusal(c, options.allowRemote ?? false);
    if (refusal)
      throw new EnvError(
        "ZC_REMOTE_REFUSED",
        refusal,
        "rerun with --allow-remote if you mean it, or leave the remote cases out with --grep/--case",
      );
  }
  const started = Date.now();
  const environment = await captureEnvironment(spec.file, options.native?.path);
  const signals = [
    options.signal,
    options.timeLimitMs ? AbortSignal.timeout(options.timeLimitMs) : undefined,
  ];
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  const stop = live.length ? AbortSignal.any(live) : undefined;
  const byName = new Map<string, CaseResult>();
  const evaluator = new ExpectationEvaluator(spec.expectations ?? [], {
    cases: spec.cases,
    result(name) {
      const r = byName.get(name);
      if (r && ranToEnd(r)) return figuresOf(r);
      if (r) return `was ${r.status}${r.reason ? `: ${r.reason}` : ""}`;
      return selected.some((c) => c.name === name) ? undefined : "was not selected (--case/--grep)";
    },
    baseline: (name) => options.baseline?.get(spec.name, name),
    ...(options.baseline ? { baselineFile: options.baseline.file } : {}),
  });
  const pending = new Map<CaseResult, Expectation[]>();
  /** Re-check expectations that waited for a peer; returns the results they changed. */
  const settle = (final: boolean): CaseResult[] => {
    const changed: CaseResult[] = [];
    for (const [result, list] of pending) {
      const { checks, pending: later } = evaluator.check(
        result.case,
        figuresOf(result),
        list,
        final,
      );
      if (later.length) pending.set(result, later);
      else pending.delete(result);
      if (checks.length) {
        finish(result, checks);
        changed.push(result);
      }
    }
    return changed;
  };
  const results: CaseResult[] = [];
  let native = options.native;
  const targets = new Map<string, Target>();
  const brokenTargets = new Map<string, ZcspecError>();
  let stoppedBy: string | undefined;

  for (const r of reporters) r.onRunStart?.({ name: spec.name, file: spec.file, cases: selected });
  try {
    for (const [index, c] of selected.entries()) {
      if (stop?.aborted) stoppedBy ??= stopReason(stop, options.timeLimitMs);
      const plan = compileCase(c);
      if (stoppedBy) {
        results.push(unrun("skipped", spec.name, c, plan, `not run: ${stoppedBy}`, environment));
        continue;
      }
      for (const r of reporters) r.onCaseStart?.(c, index, selected.length);
      const skip = plan.unsupported.length
        ? `not supported by this build yet: ${plan.unsupported.join(", ")}`
        : (targetBlocker(c.target) ?? capabilitySkip(plan, capabilities(native)));
      let result: CaseResult;
      if (skip) {
        result = unrun("skipped", spec.name, c, plan, skip, environment);
      } else {
        native ??= loadNative();
        const key = targetKey(c);
        const progress = (p: Progress) => {
          for (const r of reporters) r.onCaseProgress?.(c, p);
        };
        const why = () => (stop ? stopReason(stop, options.timeLimitMs) : "");
        try {
          const known = brokenTargets.get(key);
          if (known) throw known;
          let target = targets.get(key);
          if (!target) {
            target = await openTarget(c).catch((e: unknown) => {
              // every later case on this target would fail the same way: say so once, fast
              if (e instanceof ZcspecError) brokenTargets.set(key, e);
              throw e;
            });
            targets.set(key, target);
          }
          result = await runRepeats(
            { spec: spec.name, case: c, plan, environment, topology: target.topology },
            native,
            target,
            stop,
            why,
            progress,
          );
        } catch (e) {
          // an environment failure ends this case, not the run: the others still report
          if (!(e instanceof ZcspecError)) throw e;
          const hint = e.hint ? ` (${e.hint})` : "";
          result = unrun("error", spec.name, c, plan, `${e.message}${hint}`, environment);
        }
        if (result.measured && result.status !== "error") {
          const { checks, pending: later } = evaluator.check(c, figuresOf(result));
          if (later.length) pending.set(result, later);
          const base = options.baseline?.get(spec.name, c.name);
          if (base) {
            checks.push(
              baselineCheck(result.measured.rps, base.measured.rps, options.tolerance ?? 0.05),
            );
          }
          finish(result, checks);
        }
      }
      byName.set(c.name, result);
      results.push(result);
      // earlier cases waiting for this one as their peer are decided now
      const settled = settle(false);
      for (const r of reporters) r.onCaseEnd?.(result);
      if (stop?.aborted) stoppedBy ??= stopReason(stop, options.timeLimitMs);
      if (options.failFast) {
        const bad = [result, ...settled].find((r) => r.status === "failed" || r.status === "error");
        if (bad) stoppedBy ??= `--fail-fast after ${bad.case.name} ${bad.status}`;
      }
    }
  } finally {
    for (const t of targets.values()) await t.close();
  }

  // expectations whose peer never ran
  settle(true);

  const run: RunResult = {
    spec: spec.name,
    file: spec.file,
    results,
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
    environment,
    ...(stoppedBy ? { partial: true, stoppedBy } : {}),
    ...(stoppedBy && isTimeout(stop?.reason) && !options.signal?.aborted ? { timedOut: true } : {}),
  };
  for (const r of reporters) await r.onRunEnd?.(run);
  return run;
}

/** What the expression helpers see of a measured case. */
function figuresOf(r: CaseResult): CaseFigures {
  if (!r.measured) throw new Error(`case ${r.case.name} has no figures`);
  return { measured: r.measured, ...(r.stats ? { stats: r.stats } : {}) };
}

/** A case that produced no figures: skipped, or stopped by an error before it could run. */
function unrun(
  status: "skipped" | "error",
  spec: string,
  c: Case,
  plan: Plan,
  reason: string,
  environment: Environment,
): CaseResult {
  return { spec, case: c, plan, status, reason, checks: [], environment };
}

/** What the built-in receiver must have seen: every byte as the pattern says. */
function receiverChecks(t: TargetCounters): Check[] {
  return t.rxMismatches === undefined
    ? []
    : [equals("received pattern mismatches", t.rxMismatches, 0)];
}

/** Add checks to a measured case and settle its status. */
function finish(result: CaseResult, checks: Check[]): void {
  result.checks.push(...checks);
  result.status = statusOf(result.checks);
}

/** Run a case `repeat` times; judge each run's invariants, keep the medians. */
async function runRepeats(
  base: Pick<CaseResult, "spec" | "case" | "plan" | "environment" | "topology">,
  native: NativeLibrary,
  target: Target,
  stop: AbortSignal | undefined,
  why: () => string,
  onProgress: (p: Progress) => void,
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
      return {
        ...base,
        status: "error",
        reason: `${raw.message} (${errnoName(raw.status)})${c.repeat > 1 ? ` in run ${i + 1}/${c.repeat}` : ""}`,
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
