/**
 * Fairness between flows (issue 24): how evenly a case's sockets shared its
 * bytes. Jain's index (Σx)² / (n·Σx²) is 1 when every flow got the same and
 * 1/n when one got everything; the smallest and largest share of the total
 * say which side an unfair split leans to (an even split gives each 1/n).
 */
export interface Fairness {
  /** Jain's fairness index, in [1/n, 1] */
  jain: number;
  /** the smallest and the largest flow's part of all the bytes, 0..1 */
  minShare: number;
  maxShare: number;
}

/** The fairness of these per-flow amounts; undefined for fewer than two flows or nothing sent. */
export function fairness(amounts: readonly number[]): Fairness | undefined {
  const n = amounts.length;
  const sum = amounts.reduce((a, x) => a + x, 0);
  if (n < 2 || sum <= 0) return undefined;
  const squares = amounts.reduce((a, x) => a + x * x, 0);
  return {
    jain: (sum * sum) / (n * squares),
    minShare: Math.min(...amounts) / sum,
    maxShare: Math.max(...amounts) / sum,
  };
}
