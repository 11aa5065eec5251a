import { isFailure, isUndecided } from "../model/check.js";
import type { RunResult, SuiteResult } from "../model/results.js";
import type { ValidSpec } from "../spec/read.js";
import type { RunOptions } from "./options.js";
import { runSpec } from "./run-spec.js";

export type SuiteOptions = RunOptions;

/** Runs specs one after another; a stop (SIGINT, --fail-fast) carries over to the rest. */
export async function runSuite(
  specs: readonly ValidSpec[],
  options: SuiteOptions = {},
): Promise<SuiteResult> {
  const started = Date.now();
  const stop = new AbortController();
  const outer = options.signal;
  const onOuter = () => stop.abort(outer?.reason);
  outer?.addEventListener("abort", onOuter, { once: true });
  if (outer?.aborted) onOuter();
  const runs: RunResult[] = [];
  try {
    for (const spec of specs) {
      const run = await runSpec(spec, { ...options, signal: stop.signal });
      runs.push(run);
      if (options.failFast && run.stoppedBy?.startsWith("--fail-fast")) stop.abort(run.stoppedBy);
    }
  } finally {
    outer?.removeEventListener("abort", onOuter);
  }
  const stoppedBy = runs.find((r) => r.stoppedBy)?.stoppedBy;
  const suite: SuiteResult = {
    runs,
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
    partial: runs.some((r) => r.partial),
    ...(stoppedBy ? { stoppedBy } : {}),
    ...(options.baseline
      ? { baseline: { file: options.baseline.file, tolerance: options.tolerance ?? 0.05 } }
      : {}),
  };
  // one output that cannot be written must not keep the others from being written
  const failures: unknown[] = [];
  for (const r of options.reporters ?? []) {
    try {
      await r.onSuiteEnd?.(suite);
    } catch (e) {
      failures.push(e);
    }
  }
  if (failures.length) throw failures[0];
  return suite;
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
