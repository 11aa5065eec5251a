/** A figure measured several times: its central value with a confidence interval. */
export interface Estimate {
  /** the median of the repetitions; for a ratio, the geometric mean of the paired ratios */
  value: number;
  /** the interval: the true value lies in [low, high] with probability `level` */
  low: number;
  high: number;
  /**
   * the interval's confidence: 0.95 as asked, or the most that so few
   * repetitions can give (a median's [min, max] over 5 runs covers 0.9375);
   * 0 where there is no interval at all (one repetition)
   */
  level: number;
  /** repetitions (or paired rounds) it rests on */
  n: number;
  /**
   * how the interval was computed: the median's order statistics, Student's
   * t on paired rounds' log ratios, or (unpaired runs: a baseline) the
   * Hodges–Lehmann ratio with its Mann–Whitney interval on the logs
   */
  method: "order-statistics" | "paired-t-log" | "rank-sum-log";
}

/**
 * How a stated relation came out against its interval: `held` when the whole
 * interval is on the stated side, `failed` when the whole interval is on the
 * other side, `inconclusive` when it straddles the line (the noise hides the
 * answer: inconclusive is not a pass).
 */
export type Verdict = "held" | "failed" | "inconclusive";

/** The outcome of a stated relation, with what it was judged on in words. */
export interface RelationOutcome {
  verdict: Verdict;
  interval: Estimate;
  /** e.g. "requests/s ratio 1.31 (95 % CI 1.24–1.38, 5 paired rounds) is above 1" */
  text: string;
}
