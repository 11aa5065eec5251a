import type { Measured } from "../model/measured/measured.js";
import type { RepeatStats } from "../model/results.js";
import { mergeLatency } from "./latency.js";
import { rejudged } from "./schedule.js";

/**
 * Requests/s whose spread (stddev / median, as the note prints it) across
 * repetitions exceeds this is flagged as noisy: 5 % is the size of the
 * effects the cover letter reports, so a spread beyond it hides them.
 */
export const NOISE_CV = 0.05;

export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  if (s.length === 0) return Number.NaN;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Sample standard deviation (n - 1), 0 for a single value. */
export function stddev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sq = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return Math.sqrt(sq / (values.length - 1));
}

type Reduce = (values: number[]) => number;

const sum: Reduce = (values) => values.reduce((a, b) => a + b, 0);

/** Apply `f` to every numeric leaf across runs; other leaves come from `shape`. */
function combine<T>(shape: T, runs: readonly T[], f: Reduce): T {
  // a count one run lacks (an errno it never saw) is 0 there
  if (typeof shape === "number") return f(runs.map((r) => (r as number | undefined) ?? 0)) as T;
  if (shape && typeof shape === "object" && !Array.isArray(shape)) {
    const out: Record<string, unknown> = {};
    const all = runs.map((r) => (r ?? {}) as Record<string, unknown>);
    // every key any run has: an errno only one repetition saw still counts
    const keys = new Set([...Object.keys(shape), ...all.flatMap((r) => Object.keys(r))]);
    for (const k of keys) {
      const values = all.map((r) => r[k]);
      const like = (shape as Record<string, unknown>)[k] ?? values.find((v) => v !== undefined);
      out[k] = combine(like, values, f);
    }
    return out as T;
  }
  return shape;
}

/**
 * A run without its latency histograms, which merge (mergeLatency) rather than reduce figure by
 * figure.
 */
const withoutLatency = (m: Measured): Measured => ({ ...m, latency: {} });

/**
 * The figures a repeated case is judged by: each figure's median across the
 * runs (series and other non-numeric parts from the run nearest the median
 * requests/s), and the spread. Latency histograms are merged instead (their
 * percentiles read from all the runs' requests, not medians of percentiles),
 * and the peak of pinned bytes is the highest run's.
 */
export function aggregate(runs: readonly Measured[]): { measured: Measured; stats: RepeatStats } {
  if (runs.length === 0) throw new Error("aggregate() needs at least one run");
  const mid = median(runs.map((r) => r.rps));
  const nearest = withoutLatency(
    runs.reduce((a, b) => (Math.abs(b.rps - mid) < Math.abs(a.rps - mid) ? b : a)),
  );
  const bare = runs.map(withoutLatency);
  const medians = combine(nearest, bare, median);
  return {
    measured: {
      ...medians,
      latency: mergeLatency(runs.map((r) => r.latency)),
      peakPinnedBytes: Math.max(...runs.map((r) => r.peakPinnedBytes)),
      // the schedule's verdict is the medians' (a boolean has no median)
      ...rejudged(medians),
      // the tx_ histograms merge every run's sampled requests: so do their counts
      ...(nearest.timestamps
        ? {
            timestamps: combine(
              nearest.timestamps,
              runs.map((r) => r.timestamps),
              sum,
            ),
          }
        : {}),
    },
    stats: {
      runs: runs.length,
      min: combine(nearest, bare, (v) => Math.min(...v)),
      max: combine(nearest, bare, (v) => Math.max(...v)),
      stddev: combine(nearest, bare, stddev),
    },
  };
}

/** A warning when requests/s moved more than NOISE_CV across the runs, else undefined. */
export function noiseWarning(stats: RepeatStats, measured: Measured): string | undefined {
  if (stats.runs < 2 || measured.rps <= 0) return undefined;
  const cv = stats.stddev.rps / measured.rps;
  if (cv <= NOISE_CV) return undefined;
  return (
    `noisy: requests/s varied ${(cv * 100).toFixed(1)}% (stddev/median) over ${stats.runs} runs ` +
    `(min ${Math.round(stats.min.rps)}, max ${Math.round(stats.max.rps)}); ` +
    "compare with care, or raise repeat/duration on a quieter machine"
  );
}
