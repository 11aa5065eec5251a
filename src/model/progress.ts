/** Live figures of a running case: every thread's measured-window counters summed. */
export interface Progress {
  requests: number;
  bytes: number;
  /** into the measured window (the longest thread's) */
  elapsedNs: number;
}
