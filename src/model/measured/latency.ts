/**
 * Per-request latencies the executor measured (native/zcspec.h, struct
 * zc_hist): log-linear buckets merged across threads and repetitions, and
 * the percentiles read from them. Every time is in ns.
 */

/** One histogram: its summary and its non-empty buckets. */
export interface LatencyHistogram {
  /** requests measured */
  count: number;
  min: number;
  max: number;
  mean: number;
  /** percentiles: the midpoint of the bucket holding that rank (at most 1/32 off) */
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  /** non-empty buckets as [lower bound ns, count], ascending */
  buckets: [number, number][];
}

/** The spans of a request's life a histogram times, in the order every report shows them. */
export const SUBMIT_SPANS = ["completion", "notif", "pinned"] as const;
/** the spans of a paced case (rate:), timed from each request's intended start */
export const PACED_SPANS = ["intended_completion", "intended_notif", "lateness"] as const;
export const LATENCY_SPANS = [...SUBMIT_SPANS, ...PACED_SPANS] as const;
export type LatencySpan = (typeof LATENCY_SPANS)[number];

/**
 * completion: submit -> completion (CQE, or the syscall's return);
 * notif: submit -> notification (the whole time the kernel holds the buffer);
 * pinned: completion -> notification (the buffer's extra pinned time).
 * Paced (rate:) only, timed from each request's intended start (its batch's
 * due time), free of coordinated omission:
 * intended_completion: intended start -> completion;
 * intended_notif: intended start -> notification;
 * lateness: intended start -> submit (how late the schedule ran).
 * A span with no request measured (a copying mode has no notification) is absent.
 */
export type Latency = Partial<Record<LatencySpan, LatencyHistogram>>;
