import type { Estimate } from "../model/estimate.js";
import { LEVEL } from "./interval.js";

/**
 * P(U <= u) for every u, U the Mann–Whitney statistic of samples of n and m
 * values under the null (every interleaving of the two equally likely). Built
 * by the recursion p(i, j, u) = i/(i+j)·p(i-1, j, u-j) + j/(i+j)·p(i, j-1, u)
 * on probabilities, not counts, so nothing overflows for large samples.
 */
export function mannWhitneyCdf(n: number, m: number): number[] {
  // row[j] holds the distribution for (i, j) as i grows
  let prev: number[][] = Array.from({ length: m + 1 }, () => [1]); // i = 0: U = 0 surely
  for (let i = 1; i <= n; i++) {
    const cur: number[][] = [[1]]; // j = 0: U = 0 surely
    for (let j = 1; j <= m; j++) {
      // (i-1, j): the largest value came from the first sample, U += j
      const up = prev[j] as number[];
      const left = cur[j - 1] as number[]; // (i, j-1): it came from the second
      const p = new Array<number>(i * j + 1).fill(0);
      for (let u = 0; u < up.length; u++)
        p[u + j] = (p[u + j] as number) + (i / (i + j)) * (up[u] as number);
      for (let u = 0; u < left.length; u++)
        p[u] = (p[u] as number) + (j / (i + j)) * (left[u] as number);
      cur.push(p);
    }
    prev = cur;
  }
  const pmf = prev[m] as number[];
  let sum = 0;
  return pmf.map((v) => {
    sum += v;
    return Math.min(sum, 1);
  });
}

/**
 * The ratio a/b of two figures measured in separate runs (not in the same
 * rounds, so there are no pairs: a saved baseline against this run), with a
 * distribution-free interval: the Hodges–Lehmann estimate and its
 * Mann–Whitney (Moses) interval on the logs (docs/expectations.md, "Against
 * a baseline": R's equivalent and the coverage few runs reach). Every ratio
 * a_i / b_j is formed; the estimate is their median, and the interval is
 * [D(k), D(nm-k+1)] of the sorted ratios, k from the exact null distribution
 * of the rank-sum statistic, so it covers the true ratio with probability
 * 1 - 2·P(U <= k-1) assuming only that the two runs' spreads have the same
 * shape on a log scale (a shift). The largest k that reaches `level` is
 * taken; where none does, k = 1 and the interval says the coverage it really
 * has; with one value on each side there is no interval (level 0). `n` is
 * the two sides' values together.
 */
export function unpairedRatio(a: readonly number[], b: readonly number[], level = LEVEL): Estimate {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0) throw new RangeError(`unpairedRatio needs values: ${n} and ${m}`);
  const diffs: number[] = [];
  for (const x of a) for (const y of b) diffs.push(Math.log(x / y));
  if (diffs.some((d) => !Number.isFinite(d)))
    throw new RangeError("unpairedRatio needs positive figures on both sides");
  diffs.sort((p, q) => p - q);
  const nm = diffs.length;
  const mid = nm >> 1;
  const centre =
    nm % 2 ? (diffs[mid] as number) : ((diffs[mid - 1] as number) + (diffs[mid] as number)) / 2;
  const cdf = mannWhitneyCdf(n, m);
  const coverage = (k: number) => 1 - 2 * (cdf[k - 1] as number);
  let k = 1;
  while (k + 1 <= (nm + 1) / 2 && coverage(k + 1) >= level) k++;
  const covered = Math.max(0, Math.min(coverage(k), 1));
  return {
    value: Math.exp(centre),
    low: Math.exp(diffs[k - 1] as number),
    high: Math.exp(diffs[nm - k] as number),
    level: nm === 1 ? 0 : covered,
    n: n + m,
    method: "rank-sum-log",
  };
}
