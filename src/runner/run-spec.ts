import { captureEnvironment } from "../env/environment.js";
import { capabilities } from "../env/probe.js";
import type { RunResult } from "../model/results.js";
import { loadNative, type NativeLibrary } from "../native/library.js";
import type { ValidSpec } from "../spec/read.js";
import { CaseRounds } from "./case-rounds.js";
import type { RunOptions } from "./options.js";
import { PeerJudge } from "./peers.js";
import { pointRunOn } from "./point-run.js";
import { randomSeed } from "./rounds.js";
import { runSearch } from "./search.js";
import { searchSelected, selectCases } from "./select.js";
import { stopWatch } from "./stop.js";
import { TargetCache } from "./targets.js";

/**
 * Runs a spec's cases on one target per kind (always torn down): a case
 * that runs once in the spec's order; cases that repeat in rounds (each
 * case once per round, in an order shuffled per round from a recorded
 * seed), or back to back with `order: sequential`. Checks invariants,
 * expectations and the baseline as each case's last repetition ends, and
 * reports through the reporters' hooks.
 */
export async function runSpec(spec: ValidSpec, options: RunOptions = {}): Promise<RunResult> {
  const selected = selectCases(spec, options);
  const started = Date.now();
  const environment = await captureEnvironment(spec.file, liburingOf(options.native));
  const stop = stopWatch(options.signal, options.timeLimitMs);
  const seed = (options.seed ?? randomSeed()) >>> 0;
  // expectations about a break-even search are checked once, on its outcome (runner/search.ts)
  const perCase = spec.expectations.filter((e) => !e.search);
  const run = new CaseRounds(spec, selected, options, {
    environment,
    stop,
    judge: new PeerJudge(spec, perCase, selected, options),
    targets: new TargetCache(),
    started,
    seed,
    ...(options.native ? { native: options.native } : {}),
  });
  const search = searchSelected(spec, options);

  for (const r of options.reporters ?? []) r.onRunStart?.(run.runStart(search?.settings));
  let searched: Awaited<ReturnType<typeof runSearch>> | undefined;
  try {
    await run.runAll();
    if (search && !run.stoppedBy) {
      searched = await runSearch(search, {
        spec: spec.name,
        point: pointRunOn(run, spec, options, perCase),
        stop,
        seed,
        reporters: options.reporters ?? [],
        expectations: spec.expectations.filter((e) => e.search),
        ...(options.baseline ? { baseline: options.baseline } : {}),
        ...(options.failFast ? { failFast: true } : {}),
      });
    }
  } finally {
    await run.ctx.targets.closeAll();
  }
  const results = [...run.finish(), ...(searched?.results ?? [])];

  const stoppedBy = run.stoppedBy ?? searched?.stoppedBy;
  const result: RunResult = {
    spec: spec.name,
    file: spec.file,
    results,
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
    environment,
    ...(stoppedBy ? { partial: true, stoppedBy } : {}),
    ...(stoppedBy && stop.timedOut() ? { timedOut: true } : {}),
    ...(run.inRounds ? { rounds: run.roundsInfo() } : {}),
    ...(searched ? { search: searched.result } : {}),
  };
  for (const r of options.reporters ?? []) await r.onRunEnd?.(result);
  return result;
}

/** The liburing the executor was built against, for the environment record. */
function liburingOf(native: NativeLibrary | undefined): string | undefined {
  try {
    return capabilities(native ?? loadNative()).liburing;
  } catch {
    return undefined;
  }
}
