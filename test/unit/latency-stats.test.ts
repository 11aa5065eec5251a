import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LatencyHistogram } from "../../src/model/measured/latency.js";
import {
  bucketLow,
  bucketWidth,
  fromDense,
  mergeHistograms,
  mergeLatency,
} from "../../src/stats/latency.js";
import { BUCKETS, histogramOf } from "../helpers/latency.js";

describe("latency buckets", () => {
  it("follow zcspec.h: one per value below 32, then 16 per power of two", () => {
    // (16 + (b - 32) % 16) << (1 + (b - 32) / 16)
    expect([0, 31, 32, 33, 47, 48, 57, 209].map(bucketLow)).toEqual([
      0, 31, 32, 34, 62, 64, 100, 69632,
    ]);
    // 31 << 31: the last bucket, where everything from 2^36 ns on lands
    expect(bucketLow(527)).toBe(66571993088);
    expect([0, 31, 32, 62, 64, 100, 992, 69632].map(bucketWidth)).toEqual([
      1, 1, 2, 2, 4, 4, 32, 4096,
    ]);
    // the bounds tile the line: each bucket ends where the next starts
    for (let b = 0; b + 1 < BUCKETS; b++)
      expect(bucketLow(b) + bucketWidth(bucketLow(b))).toBe(bucketLow(b + 1));
  });

  it("summarizes a histogram as worked out by hand", () => {
    /*
     * values 3 3 40 41 100 101 102 1000 5000 70000 (sum 76390), by bucket:
     *   3          bucket 3    [3, 3]
     *   40 41      bucket 36   [40, 41]        (16 + 4) << 1
     *   100..102   bucket 57   [100, 103]      (16 + 9) << 2
     *   1000       bucket 111  [992, 1023]     (16 + 15) << 5
     *   5000       bucket 147  [4864, 5119]    (16 + 3) << 8
     *   70000      bucket 209  [69632, 73727]  (16 + 1) << 12
     * p50: rank 5, in [100, 103]: 101.5; p90: rank 9, in [4864, 5119]: 4991.5;
     * p99 and p999: rank 10, in [69632, 73727], whose midpoint 71679.5 is
     * above the maximum: 70000.
     */
    const dense = new Array<number>(BUCKETS).fill(0);
    for (const [b, n] of [
      [3, 2],
      [36, 2],
      [57, 3],
      [111, 1],
      [147, 1],
      [209, 1],
    ] as const)
      dense[b] = n;
    const h = fromDense({ count: 10, sumNs: 76390, minNs: 3, maxNs: 70000 }, dense);
    expect(h).toEqual({
      count: 10,
      min: 3,
      max: 70000,
      mean: 7639,
      p50: 101.5,
      p90: 4991.5,
      p99: 70000,
      p999: 70000,
      buckets: [
        [3, 2],
        [40, 2],
        [100, 3],
        [992, 1],
        [4864, 1],
        [69632, 1],
      ],
    });
    expect(histogramOf([3, 3, 40, 41, 100, 101, 102, 1000, 5000, 70000])).toEqual(h);
  });

  it("clamps a percentile to the exact extremes", () => {
    // one value 1000 in [992, 1023]: the midpoint 1007.5 is above the maximum
    expect(histogramOf([1000])).toMatchObject({ p50: 1000, p999: 1000, min: 1000, max: 1000 });
    // one value 33 in [32, 33]: the midpoint 32.5 is below the minimum
    expect(histogramOf([33])).toMatchObject({ p50: 33, p999: 33 });
    // 992 and 1023 share a bucket: p50 (rank 1) is the midpoint, inside [min, max]
    expect(histogramOf([992, 1023])).toMatchObject({ p50: 1007.5, p99: 1007.5 });
  });

  it("has nothing to say about no values", () => {
    expect(histogramOf([])).toBeUndefined();
    expect(mergeHistograms([])).toBeUndefined();
  });

  it("merges into the histogram of the union", () => {
    const values = fc.array(
      fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 2 ** 38 })),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(values, values, (a, b) => {
        const merged = mergeHistograms(
          [histogramOf(a), histogramOf(b)].filter((h) => h !== undefined),
        );
        const union = histogramOf([...a, ...b]);
        if (!union) {
          expect(merged).toBeUndefined();
          return;
        }
        const { mean, ...rest } = merged as LatencyHistogram;
        const { mean: unionMean, ...unionRest } = union;
        expect(rest).toEqual(unionRest);
        // the mean goes through mean * count: equal up to rounding
        expect(Math.abs(mean - unionMean)).toBeLessThanOrEqual(unionMean * 1e-12);
      }),
    );
  });

  it("merges latency span by span, leaving out a span no run has", () => {
    const a = histogramOf([100, 200]) as LatencyHistogram;
    const b = histogramOf([300]) as LatencyHistogram;
    const merged = mergeLatency([{ completion: a }, undefined, { completion: b, notif: b }]);
    expect(Object.keys(merged).sort()).toEqual(["completion", "notif"]);
    expect(merged.completion).toEqual(histogramOf([100, 200, 300]));
    expect(merged.notif).toEqual(b);
  });
});
