import type { Case } from "../../src/model/case.js";
import type { Latency, LatencyHistogram } from "../../src/model/measured/latency.js";
import type { Measured } from "../../src/model/measured/measured.js";
import type { CaseResult } from "../../src/model/results.js";
import { caseResult, figures } from "./results.js";

/**
 * Latency histograms for rendering tests: inputs, not measurements. The
 * bucket bounds lie on native/zcspec.h's grid (from 32 ns on, each power of
 * two [2^e, 2^(e+1)) cut into 16 buckets 2^(e-4) wide) and the percentiles
 * follow its rule: the midpoint of the integers of the bucket that holds rank
 * ceil(q * count), low + (width - 1) / 2, clamped to [min, max].
 */

/**
 * submit -> notification, 1000 requests. Buckets (width): 12288 (512) x400,
 * 14336 (512) x500, 28672 (1024) x90, 61440 (2048) x9, 139264 (8192) x1.
 * p50 and p90 (ranks 500, 900) in 14336: 14591.5; p99 (rank 990) in 28672:
 * 29183.5; p99.9 (rank 999) in 61440: 62463.5; max 140000.
 */
export const NOTIF: LatencyHistogram = {
  count: 1000,
  min: 12300,
  max: 140000,
  mean: 15500,
  p50: 14591.5,
  p90: 14591.5,
  p99: 29183.5,
  p999: 62463.5,
  buckets: [
    [12288, 400],
    [14336, 500],
    [28672, 90],
    [61440, 9],
    [139264, 1],
  ],
};

/**
 * submit -> completion, 1000 requests: 3072 (128) x600, 6144 (256) x390,
 * 40960 (2048) x10. p50 3135.5; p90 and p99 (rank 990) 6271.5; p99.9 41983.5.
 */
export const COMPLETION: LatencyHistogram = {
  count: 1000,
  min: 3100,
  max: 42000,
  mean: 4400,
  p50: 3135.5,
  p90: 6271.5,
  p99: 6271.5,
  p999: 41983.5,
  buckets: [
    [3072, 600],
    [6144, 390],
    [40960, 10],
  ],
};

/**
 * completion -> notification, 1000 requests: 8192 (512) x990, 98304 (4096)
 * x10. p50 to p99 8447.5; p99.9 the midpoint 100351.5 clamped to the max, 99000.
 */
export const PINNED: LatencyHistogram = {
  count: 1000,
  min: 8200,
  max: 99000,
  mean: 9300,
  p50: 8447.5,
  p90: 8447.5,
  p99: 8447.5,
  p999: 99000,
  buckets: [
    [8192, 990],
    [98304, 10],
  ],
};

/**
 * Every time of `h` times 2^k: the bucket bounds stay on the grid, the
 * percentiles within half a ns of their scaled buckets' midpoints.
 */
export function slower(h: LatencyHistogram, k: number): LatencyHistogram {
  const m = 2 ** k;
  return {
    ...h,
    min: h.min * m,
    max: h.max * m,
    mean: h.mean * m,
    p50: h.p50 * m,
    p90: h.p90 * m,
    p99: h.p99 * m,
    p999: h.p999 * m,
    buckets: h.buckets.map(([low, n]) => [low * m, n]),
  };
}

/** A case's figures with latency: a zerocopy mode has every span, a copying one completion only. */
export function timed(c: Case, rps: number, k = 0, over: Partial<Measured> = {}): CaseResult {
  const zc = c.mode === "send_zc";
  const latency: Latency = zc
    ? { completion: slower(COMPLETION, k), notif: slower(NOTIF, k), pinned: slower(PINNED, k) }
    : { completion: slower(COMPLETION, k) };
  return caseResult(c, {
    measured: figures(rps, {
      latency,
      peakPinnedBytes: zc ? 64 * c.buffers.size : 0,
      ...(zc ? { notifications: Math.round(rps / 10) } : {}),
      ...over,
    }),
  });
}
