/**
 * What the machine did to one repetition: a rate is mostly the CPU share the
 * sender got, so each repetition records what took it away.
 */
export interface RepetitionNoise {
  /** the round it ran in (1-based) and its place in that round's shuffled order */
  round: number;
  position: number;
  /** sender threads' CPU time over the window's wall time, per thread (1 = a whole core) */
  cpuShare: number;
  /**
   * the machine's steal time over the repetition (warmup included), as a share of all CPU time
   * (/proc/stat)
   */
  steal: number;
  /**
   * tasks runnable beside the sender threads (and zcspec itself), averaged over samples taken every
   * ~100 ms of the window (/proc/stat procs_running)
   */
  otherRunnable: number;
  /** involuntary context switches of the sender threads */
  involCtxsw: number;
  /** the repetition was visibly disturbed; `why` says by what */
  disturbed: boolean;
  why?: string;
}

/** How a spec's repetitions were run: in shuffled rounds, or each case's back to back. */
export interface RoundsInfo {
  order: "interleaved" | "sequential";
  /** the seed the per-round shuffles came from (`--seed` repeats them) */
  seed: number;
  /** rounds run */
  rounds: number;
  /**
   * why repetition stopped: the fixed count, every interval tight enough, max, or the time limit
   */
  stoppedBy: "count" | "until" | "max" | "time-limit" | "interrupted" | "fail-fast";
  /** the relative half-width asked for (repeat.until), when adaptive */
  until?: number;
}
