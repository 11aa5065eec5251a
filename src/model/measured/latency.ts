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

/**
 * The spans transmit timestamps split a sampled zerocopy request's submit -> notification
 * into (`timestamps.every`): tx_sched submit -> SCHED stamp (the device's queue), tx_driver
 * SCHED -> SOFTWARE stamp (the driver), tx_ack SOFTWARE -> ACK stamp (TCP), tx_notif the last
 * stamp -> notification, and tx_total submit -> notification of the same requests: each timed
 * request's spans add up to its tx_total.
 */
export const TX_SPANS = ["tx_sched", "tx_driver", "tx_ack", "tx_notif", "tx_total"] as const;
export type TxSpan = (typeof TX_SPANS)[number];

/** The spans of a request's life a histogram times, in the order every report shows them. */
export const SUBMIT_SPANS = ["completion", "notif", "pinned"] as const;
/** the spans of a paced case (rate:), timed from each request's intended start */
export const PACED_SPANS = ["intended_completion", "intended_notif", "lateness"] as const;
export const LATENCY_SPANS = [...SUBMIT_SPANS, ...PACED_SPANS, ...TX_SPANS] as const;
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
 * tx_*: the sampled requests' spans between transmit timestamps (TX_SPANS).
 * A span with no request measured (a copying mode has no notification) is absent.
 */
export type Latency = Partial<Record<LatencySpan, LatencyHistogram>>;

/** How the transmit timestamps of a case went (`timestamps.every`); its spans are in `latency`. */
export interface TxTimestamps {
  /** how the stamps were read */
  via: "io_uring" | "error_queue";
  /** requests sent asking for stamps */
  sampled: number;
  /** of them: notified, their spans in the tx_ histograms */
  timed: number;
  /** of them: closed with no notification, or a stamp missing before a later one */
  incomplete: number;
  /** stamps whose key no open sampled request had */
  unmatched: number;
  /** timed requests with a stamp before the point before it (that span counted as 0) */
  disordered: number;
  /** timed requests whose spans' sum is off their tx_total by more than its bucket's width */
  mismatched: number;
  /**
   * sampled requests notified before a stamp of theirs: the kernel gave the buffer back before
   * the packet left (it copied the data); left out of the histograms
   */
  early: number;
  /** stamps received, by kind */
  stamps: { sched: number; software: number; ack: number };
  /** why a span has no histogram: the kernel or the target gave no stamp for it */
  absent: Partial<Record<TxSpan, string>>;
}
