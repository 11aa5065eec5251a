import { describe, expect, it } from "vitest";
import { aggregate, median, NOISE_CV, noiseWarning, stddev } from "../../src/stats/aggregate.js";
import { histogramOf } from "../helpers/latency.js";
import { figures } from "../helpers/results.js";

describe("repetition statistics", () => {
  it("computes median and sample standard deviation", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(stddev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138, 3);
    expect(stddev([5])).toBe(0);
  });

  it("judges a repeated case by each figure's median and keeps the spread", () => {
    const runs = [
      figures(100, { errors: 0 }),
      figures(300, { errors: 2 }),
      figures(200, { errors: 1 }),
    ];
    const { measured, stats } = aggregate(runs);
    expect(measured.rps).toBe(200);
    expect(measured.errors).toBe(1);
    expect(measured.target.txDropped).toBe(20);
    expect(stats).toMatchObject({
      runs: 3,
      min: { rps: 100 },
      max: { rps: 300 },
      stddev: { rps: 100 },
    });
  });

  it("keeps an errno that only some repetitions saw, in the spread at least", () => {
    const runs = [
      figures(100, { errors: 3, errnos: { ENOBUFS: 3 } }),
      figures(200, { errors: 0 }),
      figures(300, { errors: 0 }),
    ];
    const { measured, stats } = aggregate(runs);
    expect(measured.errnos).toEqual({ ENOBUFS: 0 }); // the median run saw none
    expect(stats.max.errnos).toEqual({ ENOBUFS: 3 });
  });

  it("warns when requests/s spread beyond NOISE_CV, not below", () => {
    const quiet = aggregate([figures(1000), figures(1000 * (1 + NOISE_CV / 2)), figures(1000)]);
    expect(noiseWarning(quiet.stats, quiet.measured)).toBeUndefined();
    const noisy = aggregate([figures(800), figures(1000), figures(1200)]);
    expect(noiseWarning(noisy.stats, noisy.measured)).toMatch(/^noisy: requests\/s varied 20\.0%/);
  });

  it("merges the runs' latency histograms and keeps the highest peak of pinned bytes", () => {
    const values = [[1000, 1100], [5000], [90, 20000, 30000]];
    const runs = values.map((v, i) =>
      figures(100 * (i + 1), {
        latency: { completion: histogramOf(v), ...(i === 2 ? { notif: histogramOf(v) } : {}) },
        peakPinnedBytes: [8000, 64000, 16000][i] as number,
      }),
    );
    const { measured, stats } = aggregate(runs);
    // percentiles of every run's requests together, not the median run's nor medians of them
    expect(measured.latency).toEqual({
      completion: histogramOf(values.flat()),
      notif: histogramOf(values[2] as number[]),
    });
    expect(measured.peakPinnedBytes).toBe(64000);
    expect(stats.max.latency).toEqual({});
  });
});
