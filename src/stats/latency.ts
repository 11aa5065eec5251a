import { LATENCY_SPANS, type Latency, type LatencyHistogram } from "../model/measured/latency.js";

/**
 * The executor's log-linear buckets (native/zcspec.h, struct zc_hist):
 * values below LINEAR have a bucket each; above, every power of two is cut
 * into SUB equal buckets. Everything here is pure arithmetic on them.
 */
const LINEAR = 32;
const SUB = 16;

/** The smallest value bucket `b` holds, ns. */
export function bucketLow(b: number): number {
  if (b < LINEAR) return b;
  const i = b - LINEAR;
  return (SUB + (i % SUB)) * 2 ** (1 + Math.floor(i / SUB));
}

/** How many ns values the bucket starting at `low` holds (the last one holds all above it too). */
export function bucketWidth(low: number): number {
  // a bucket's lower bound is at least 1/32 below the next power of two: log2 cannot round up
  return low < LINEAR ? 1 : 2 ** (Math.floor(Math.log2(low)) - 4);
}

/** What a histogram adds up, apart from its buckets. */
export interface HistogramTotals {
  count: number;
  sumNs: number;
  minNs: number;
  maxNs: number;
}

/** Percentiles in thousandths, as integers so that ranks are exact. */
const PERCENTILES = { p50: 500, p90: 900, p99: 990, p999: 999 } as const;

/**
 * The value of rank ceil(permille / 1000 * count): the midpoint of the
 * integers its bucket holds, clamped to [min, max] (the exact extremes).
 */
function percentile(buckets: readonly [number, number][], t: HistogramTotals, permille: number) {
  const rank = Math.max(1, Math.ceil((t.count * permille) / 1000));
  let seen = 0;
  for (const [low, n] of buckets) {
    seen += n;
    if (seen >= rank) {
      const mid = low + (bucketWidth(low) - 1) / 2;
      return Math.min(t.maxNs, Math.max(t.minNs, mid));
    }
  }
  return t.maxNs;
}

/** The summary of a histogram given as its totals and its non-empty buckets, ascending. */
export function summarize(t: HistogramTotals, buckets: [number, number][]): LatencyHistogram {
  const p = (k: keyof typeof PERCENTILES) => percentile(buckets, t, PERCENTILES[k]);
  return {
    count: t.count,
    min: t.minNs,
    max: t.maxNs,
    mean: t.count > 0 ? t.sumNs / t.count : 0,
    p50: p("p50"),
    p90: p("p90"),
    p99: p("p99"),
    p999: p("p999"),
    buckets,
  };
}

/**
 * A histogram from the executor's dense bucket counts (index b counts bucket b); none when empty.
 */
export function fromDense(
  t: HistogramTotals,
  dense: readonly number[],
): LatencyHistogram | undefined {
  if (t.count === 0) return undefined;
  const buckets: [number, number][] = [];
  dense.forEach((n, b) => {
    if (n > 0) buckets.push([bucketLow(b), n]);
  });
  return summarize(t, buckets);
}

/**
 * Several histograms as one: buckets summed by lower bound, the extremes'
 * extremes, the percentiles read again from the sum (never an average of
 * percentiles). Undefined when there is none.
 */
export function mergeHistograms(hs: readonly LatencyHistogram[]): LatencyHistogram | undefined {
  const present = hs.filter((h) => h.count > 0);
  if (present.length === 0) return undefined;
  const sum = new Map<number, number>();
  for (const h of present) for (const [low, n] of h.buckets) sum.set(low, (sum.get(low) ?? 0) + n);
  const t: HistogramTotals = {
    count: present.reduce((a, h) => a + h.count, 0),
    sumNs: present.reduce((a, h) => a + h.mean * h.count, 0),
    minNs: Math.min(...present.map((h) => h.min)),
    maxNs: Math.max(...present.map((h) => h.max)),
  };
  return summarize(
    t,
    [...sum].sort((a, b) => a[0] - b[0]),
  );
}

/**
 * Repetitions' (or any runs') latency merged span by span; a span none of them has stays absent.
 */
export function mergeLatency(ls: readonly (Latency | undefined)[]): Latency {
  const out: Latency = {};
  for (const span of LATENCY_SPANS) {
    const h = mergeHistograms(ls.flatMap((l) => (l?.[span] ? [l[span]] : [])));
    if (h) out[span] = h;
  }
  return out;
}
