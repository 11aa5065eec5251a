import type { LatencyHistogram } from "../../model/measured/latency.js";
import { bucketWidth } from "../../stats/latency.js";

/**
 * A percentile curve read from a histogram (model/measured/latency.ts), for the SVG's latency
 * panels.
 */

/** The percentiles q (0..1) in (from, to] are all `ns`: the requests of one bucket. */
interface Step {
  from: number;
  to: number;
  ns: number;
}

/**
 * The histogram's percentile function as steps, a bucket each: every rank
 * in a bucket reads as the midpoint of the integers it holds, clamped to
 * [min, max], as the reported p50 ... p99.9 are; so the curve goes through them.
 */
export function percentileSteps(h: LatencyHistogram): Step[] {
  let below = 0;
  return h.buckets.map(([low, count]) => {
    const from = below / h.count;
    below += count;
    const mid = low + (bucketWidth(low) - 1) / 2;
    return { from, to: below / h.count, ns: Math.min(h.max, Math.max(h.min, mid)) };
  });
}

/** A percentile's place on the "nines" scale: 0 at 0 %, 1 at 90 %, 2 at 99 %, 3 at 99.9 %. */
export function nines(q: number): number {
  return q >= 1 ? Number.POSITIVE_INFINITY : -Math.log10(1 - q);
}

/** The percentile ticks of the nines axis, as labelled. */
export const PERCENTILE_TICKS: readonly { label: string; q: number }[] = [
  { label: "50", q: 0.5 },
  { label: "90", q: 0.9 },
  { label: "99", q: 0.99 },
  { label: "99.9", q: 0.999 },
  { label: "99.99", q: 0.9999 },
  { label: "99.999", q: 0.99999 },
];
