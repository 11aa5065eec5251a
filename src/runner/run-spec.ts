import { targetBlocker } from "../env/caps.js";
import { captureEnvironment } from "../env/environment.js";
import { capabilities, capabilityVerdict } from "../env/probe.js";
import { remoteRefusal } from "../env/remote.js";
import type { Case } from "../model/case.js";
import type { Environment } from "../model/environment.js";
import { EnvError, ZcspecError } from "../model/errors.js";
import type { CaseResult, RunResult } from "../model/results.js";
import { loadNative, type NativeLibrary } from "../native/library.js";
import { compileCase } from "../plan/compile.js";
import type { RunnableSpec, RunOptions } from "./options.js";
import { unrun } from "./outcome.js";
import { PeerJudge } from "./peers.js";
import { runRepetitions } from "./run-case.js";
import { type StopWatch, stopWatch } from "./stop.js";
import { TargetCache } from "./targets.js";

/**
 * Runs a spec's cases in order on one target per kind (always torn down),
 * checks invariants, expectations and the baseline, and reports through the
 * reporters' hooks.
 */
export async function runSpec(spec: RunnableSpec, options: RunOptions = {}): Promise<RunResult> {
  const reporters = options.reporters ?? [];
  const selected = selectCases(spec, options);
  const started = Date.now();
  const environment = await captureEnvironment(spec.file, liburingOf(options.native));
  const stop = stopWatch(options.signal, options.timeLimitMs);
  const judge = new PeerJudge(spec, spec.expectations ?? [], selected, options);
  const targets = new TargetCache();
  const ctx: CaseContext = { spec: spec.name, environment, options, stop, judge, targets };
  if (options.native) ctx.native = options.native;
  const results: CaseResult[] = [];
  let stoppedBy: string | undefined;

  for (const r of reporters) r.onRunStart?.({ name: spec.name, file: spec.file, cases: selected });
  try {
    for (const [index, c] of selected.entries()) {
      if (stop.signal?.aborted) stoppedBy ??= stop.reason();
      if (stoppedBy) {
        const reason = `not run: ${stoppedBy}`;
        results.push(unrun("skipped", spec.name, c, compileCase(c), reason, environment));
        continue;
      }
      for (const r of reporters) r.onCaseStart?.(c, index, selected.length);
      const result = await runOneCase(c, ctx);
      results.push(result);
      const settled = judge.ended(result);
      for (const r of reporters) r.onCaseEnd?.(result);
      if (stop.signal?.aborted) stoppedBy ??= stop.reason();
      if (options.failFast) {
        const bad = [result, ...settled].find((r) => r.status === "failed" || r.status === "error");
        if (bad) stoppedBy ??= `--fail-fast after ${bad.case.name} ${bad.status}`;
      }
    }
  } finally {
    await targets.closeAll();
  }
  judge.settleAll();

  const run: RunResult = {
    spec: spec.name,
    file: spec.file,
    results,
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
    environment,
    ...(stoppedBy ? { partial: true, stoppedBy } : {}),
    ...(stoppedBy && stop.timedOut() ? { timedOut: true } : {}),
  };
  for (const r of reporters) await r.onRunEnd?.(run);
  return run;
}

/** The cases --case/--grep select; a remote one among them is refused before anything runs. */
function selectCases(spec: RunnableSpec, options: RunOptions): Case[] {
  const selected = spec.cases.filter((c) => options.filter?.(c, spec.name) ?? true);
  for (const c of selected) {
    const refusal = remoteRefusal(c, options.allowRemote ?? false);
    if (refusal)
      throw new EnvError(
        "ZC_REMOTE_REFUSED",
        refusal,
        "rerun with --allow-remote if you mean it, or leave the remote cases out with --grep/--case",
      );
  }
  return selected;
}

/** The liburing the executor was built against, for the environment record. */
function liburingOf(native: NativeLibrary | undefined): string | undefined {
  try {
    return capabilities(native ?? loadNative()).liburing;
  } catch {
    return undefined;
  }
}

interface CaseContext {
  spec: string;
  environment: Environment;
  options: RunOptions;
  stop: StopWatch;
  judge: PeerJudge;
  targets: TargetCache;
  /** loaded when the first case runs */
  native?: NativeLibrary;
}

/**
 * One selected case: skipped with the reason (this build or kernel cannot
 * run it), an error when a limit of this process stops a feature it needs,
 * or run on its target and judged.
 */
async function runOneCase(c: Case, ctx: CaseContext): Promise<CaseResult> {
  const { spec, environment, options, stop } = ctx;
  const plan = compileCase(c);
  const skip = plan.unsupported.length
    ? `not supported by this build yet: ${plan.unsupported.join(", ")}`
    : targetBlocker(c.target);
  if (skip) return unrun("skipped", spec, c, plan, skip, environment);
  const verdict = capabilityVerdict(plan, capabilities(ctx.native));
  if (verdict) return unrun(verdict.status, spec, c, plan, verdict.reason, environment);
  ctx.native ??= loadNative();
  let result: CaseResult;
  try {
    const target = await ctx.targets.get(c);
    result = await runRepetitions(
      { spec, case: c, plan, environment, topology: target.topology },
      {
        native: ctx.native,
        target,
        stop: stop.signal,
        why: () => (stop.signal ? stop.reason() : ""),
        onProgress: (p) => {
          for (const r of options.reporters ?? []) r.onCaseProgress?.(c, p);
        },
      },
    );
  } catch (e) {
    // an environment failure ends this case, not the run: the others still report
    if (!(e instanceof ZcspecError)) throw e;
    const hint = e.hint ? ` (${e.hint})` : "";
    return unrun("error", spec, c, plan, `${e.message}${hint}`, environment);
  }
  ctx.judge.judge(result);
  return result;
}
