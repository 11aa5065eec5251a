/** When a run stops early: SIGINT (the caller's signal) or the spec's time limit. */
export interface StopWatch {
  signal: AbortSignal | undefined;
  /** why it fired, in words for the results */
  reason(): string;
  /** it fired because the time limit ran out, not the caller */
  timedOut(): boolean;
}

function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === "TimeoutError";
}

export function stopWatch(
  signal: AbortSignal | undefined,
  timeLimitMs: number | undefined,
): StopWatch {
  const live = [signal, timeLimitMs ? AbortSignal.timeout(timeLimitMs) : undefined].filter(
    (s): s is AbortSignal => s !== undefined,
  );
  const stop = live.length ? AbortSignal.any(live) : undefined;
  return {
    signal: stop,
    reason() {
      const r = stop?.reason;
      if (typeof r === "string") return r;
      if (isTimeout(r) && timeLimitMs !== undefined)
        return `time limit of ${timeLimitMs / 1000}s for this spec reached`;
      return "interrupted";
    },
    timedOut: () => isTimeout(stop?.reason) && !signal?.aborted,
  };
}
