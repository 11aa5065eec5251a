import type { Baseline } from "../assert/baseline.js";
import type { Case } from "../model/case.js";
import type { Reporter } from "../model/reporter.js";
import type { NativeLibrary } from "../native/library.js";

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
  /**
   * let `target: remote` cases send to the host they name (off by default: traffic leaves
   * the machine)
   */
  allowRemote?: boolean;
  /**
   * seeds the per-round shuffles of interleaved repetitions (random when absent; recorded in
   * RunResult.rounds)
   */
  seed?: number;
}
