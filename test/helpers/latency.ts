import type { LatencyHistogram } from "../../src/model/measured/latency.js";
import { bucketLow, fromDense } from "../../src/stats/latency.js";

export const BUCKETS = 528;

/** The bucket of v found by search over the lower bounds: an oracle apart from the C formula. */
export function bucketOf(v: number): number {
  let b = 0;
  while (b + 1 < BUCKETS && bucketLow(b + 1) <= v) b++;
  return b;
}

/** The histogram the executor would report for these values (ns), none for no values. */
export function histogramOf(values: readonly number[]): LatencyHistogram | undefined {
  const dense = new Array<number>(BUCKETS).fill(0);
  for (const v of values) dense[bucketOf(v)] = (dense[bucketOf(v)] ?? 0) + 1;
  const totals = {
    count: values.length,
    sumNs: values.reduce((a, v) => a + v, 0),
    minNs: values.length ? Math.min(...values) : 0,
    maxNs: values.length ? Math.max(...values) : 0,
  };
  return fromDense(totals, dense);
}
