import { isFailure, isUndecided } from "../model/check.js";
import type { RunResult, SuiteResult } from "../model/results.js";
import type { ValidSpec } from "../spec/read.js";
import type { RunOptions } from "./options.js";
import { runSpec } from "./run-spec.js";
import { refuseRemoteCases } from "./select.js";

export type SuiteOptions = RunOptions;

/**
 * Runs specs one after another; a stop (SIGINT, --fail-fast) carries over
 * to the rest. A remote case any spec would send is refused before the
 * first spec starts. After each spec but the last the reporters see the
 * suite so far (onSuiteUpdate: file outputs keep what finished, should a
 * later spec fail or the process be killed); after the last, the whole.
 */
export async function runSuite(
  specs: readonly ValidSpec[],
  options: SuiteOptions = {},
): Promise<SuiteResult> {
  refuseRemoteCases(specs, options);
  const started = Date.now();
  const stop = new AbortController();
  const outer = options.signal;
  const onOuter = () => stop.abort(outer?.reason);
  outer?.addEventListener("abort", onOuter, { once: true });
  if (outer?.aborted) onOuter();
  const runs: RunResult[] = [];
  try {
    for (const [i, spec] of specs.entries()) {
      const run = await runSpec(spec, { ...options, signal: stop.signal });
      runs.push(run);
      if (options.failFast && run.stoppedBy?.startsWith("--fail-fast")) stop.abort(run.stoppedBy);
      // a write that fails here fails again at the end, which reports it: the run goes on
      if (i < specs.length - 1)
        await tellAll(options, (r) =>
          r.onSuiteUpdate?.(suiteOf(runs, started, options, true)),
        ).catch(() => undefined);
    }
  } finally {
    outer?.removeEventListener("abort", onOuter);
  }
  const suite = suiteOf(
    runs,
    started,
    options,
    runs.some((r) => r.partial),
  );
  await tellAll(options, (r) => r.onSuiteEnd?.(suite));
  return suite;
}

/** The suite as it stands after these runs; `partial` while specs are still to run. */
function suiteOf(
  runs: readonly RunResult[],
  started: number,
  options: SuiteOptions,
  partial: boolean,
): SuiteResult {
  const stoppedBy = runs.find((r) => r.stoppedBy)?.stoppedBy;
  return {
    runs: [...runs],
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
    partial,
    ...(stoppedBy ? { stoppedBy } : {}),
    ...(options.baseline
      ? { baseline: { file: options.baseline.file, tolerance: options.tolerance ?? 0.05 } }
      : {}),
  };
}

/**
 * Calls a hook of every reporter: one output that cannot be written must not keep the others
 * from being written.
 */
async function tellAll(
  options: SuiteOptions,
  hook: (r: NonNullable<SuiteOptions["reporters"]>[number]) => void | Promise<void>,
): Promise<void> {
  const failures: unknown[] = [];
  for (const r of options.reporters ?? []) {
    try {
      await hook(r);
    } catch (e) {
      failures.push(e);
    }
  }
  if (failures.length) throw failures[0];
}

/** How a suite went, as the exit code needs it. */
export function suiteVerdict(suite: SuiteResult, strict = false): "ok" | "failed" | "error" {
  const all = suite.runs.flatMap((r) => r.results);
  // a break-even search's own checks: its expectations about `search`, and --baseline's bracket
  const searched = suite.runs.flatMap((r) => r.search?.checks ?? []);
  if (all.some((r) => r.status === "error") || suite.runs.some((r) => r.timedOut)) return "error";
  if (all.some((r) => r.status === "failed" || r.checks.some(isFailure))) return "failed";
  if (searched.some(isFailure)) return "failed";
  if (strict && all.some((r) => r.status === "skipped" || r.checks.some(isUndecided)))
    return "failed";
  if (strict && searched.some(isUndecided)) return "failed";
  return "ok";
}
