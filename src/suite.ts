import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { isFailure } from "./assert/check.js";
import { UsageError } from "./errors.js";
import type { Reporter } from "./report/reporter.js";
import type { RunResult, SuiteResult } from "./results.js";
import { type RunnableSpec, type RunOptions, runSpec } from "./run.js";

/** Spec files named on the command line: files as given, directories searched for *.yaml / *.yml. */
export async function findSpecFiles(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.ya?ml$/.test(e.name)) out.push(p);
    }
  };
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (!s) throw new UsageError(`no such spec file or directory: ${p}`, "check the path");
    if (s.isDirectory()) {
      const before = out.length;
      await walk(p);
      if (out.length === before)
        throw new UsageError(`no *.yaml spec in ${p}`, "point at a spec file or a folder of them");
    } else out.push(p);
  }
  return [...new Set(out)];
}

export interface SuiteOptions extends RunOptions {
  reporters?: Reporter[];
}

/** Runs specs one after another; a stop (SIGINT, --fail-fast) carries over to the rest. */
export async function runSuite(
  specs: readonly RunnableSpec[],
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
  for (const r of options.reporters ?? []) await r.onSuiteEnd?.(suite);
  return suite;
}

/** How a suite went, as the exit code needs it. */
export function suiteVerdict(suite: SuiteResult, strict = false): "ok" | "failed" | "error" {
  const all = suite.runs.flatMap((r) => r.results);
  if (all.some((r) => r.status === "error") || suite.runs.some((r) => r.timedOut)) return "error";
  if (all.some((r) => r.status === "failed" || r.checks.some(isFailure))) return "failed";
  if (strict && all.some((r) => r.status === "skipped" || r.checks.some((c) => c.skipped)))
    return "failed";
  return "ok";
}
