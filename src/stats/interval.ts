import { createRequire } from "node:module";

// stdlib's t quantile loads ~150 ms of modules: only a run that computes an interval pays it,
// not `zcspec validate` (which loads the library but judges nothing)
const require = createRequire(import.meta.url);
let quantile: ((p: number, df: number) => number) | undefined;
function tQuantile(p: number, df: number): number {
  quantile ??= require("@stdlib/stats-base-dists-t-quantile") as (p: number, df: number) => number;
  return quantile(p, df);
}

import type { Estimate, Verdict } from "../model/estimate.js";

/** The confidence every interval is computed at unless asked otherwise. */
export const LEVEL = 0.95;

/**
 * No verdict rests on less confidence than this: an interval whose coverage
 * is lower (2 runs against 2 of a baseline reach 0.67) is inconclusive
 * however it lies. Paired rounds reach 0.95 from 2 on; 3 baseline runs
 * against 3 reach 0.90.
 */
export const MIN_LEVEL = 0.9;

/** P(X <= k) for X ~ Binomial(n, 1/2), exact for the n a benchmark has. */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  // C(n, i) / 2^n, built up term by term so nothing overflows
  let term = 0.5 ** n;
  let sum = term;
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i;
    sum += term;
  }
  return sum;
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The median of `values` with its distribution-free confidence interval from
 * order statistics: [x(k), x(n-k+1)] covers the true median with probability
 * 1 - 2·P(B <= k-1), B ~ Binomial(n, 1/2), whatever the distribution (rates
 * on a shared machine are skewed, so no normality is assumed). The largest k
 * that reaches `level` is taken; with fewer than 6 values no k does, and the
 * interval is [min, max] with the coverage it really has.
 */
export function medianInterval(values: readonly number[], level = LEVEL): Estimate {
  const n = values.length;
  if (n === 0) throw new RangeError("medianInterval needs at least one value");
  const sorted = [...values].sort((a, b) => a - b);
  const coverage = (k: number) => 1 - 2 * binomialHalfCdf(k - 1, n);
  let k = 1;
  while (k + 1 <= (n + 1) / 2 && coverage(k + 1) >= level) k++;
  return {
    value: median(sorted),
    low: sorted[k - 1] as number,
    high: sorted[n - k] as number,
    level: n === 1 ? 0 : Math.min(coverage(k), 1),
    n,
    method: "order-statistics",
  };
}

/** Student's t interval for the mean of `values` (what R's t.test reports). */
export function meanInterval(
  values: readonly number[],
  level = LEVEL,
): { mean: number; low: number; high: number } {
  const n = values.length;
  if (n < 2) throw new RangeError("meanInterval needs at least two values");
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { mean, low: mean - half, high: mean + half };
}

/**
 * The ratio a/b of two cases measured in the same rounds, with a confidence
 * interval from the pairs: round i's load hits a_i and b_i alike, so
 * ln(a_i / b_i) carries the difference without most of the noise. The
 * interval is Student's t on those logs, turned back into a ratio (the
 * geometric mean ratio); with one pair there is no interval (level 0).
 */
export function pairedRatio(a: readonly number[], b: readonly number[], level = LEVEL): Estimate {
  if (a.length !== b.length || a.length === 0)
    throw new RangeError(`pairedRatio needs pairs: ${a.length} and ${b.length} values`);
  const logs = a.map((v, i) => Math.log(v / (b[i] as number)));
  if (logs.some((l) => !Number.isFinite(l)))
    throw new RangeError("pairedRatio needs positive figures on both sides");
  if (logs.length === 1) {
    const r = Math.exp(logs[0] as number);
    return { value: r, low: r, high: r, level: 0, n: 1, method: "paired-t-log" };
  }
  const m = meanInterval(logs, level);
  return {
    value: Math.exp(m.mean),
    low: Math.exp(m.low),
    high: Math.exp(m.high),
    level,
    n: logs.length,
    method: "paired-t-log",
  };
}

/**
 * Where an interval stands against a line: `held` when it lies wholly above
 * it (or below, for "below"), `failed` when wholly on the other side,
 * `inconclusive` when it straddles it or there is no interval at all.
 */
export function verdict(e: Estimate, line: number, side: "above" | "below"): Verdict {
  if (e.level === 0) return "inconclusive";
  const above = e.low > line;
  const below = e.high < line;
  if (side === "above") return above ? "held" : below ? "failed" : "inconclusive";
  return below ? "held" : above ? "failed" : "inconclusive";
}

/** Half the interval's width relative to its value: 0.03 is "±3 %". */
export function relativeHalfWidth(e: Estimate): number {
  return e.value === 0 ? Number.POSITIVE_INFINITY : (e.high - e.low) / 2 / Math.abs(e.value);
}
