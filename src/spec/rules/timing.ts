import type { Rule } from "./rule.js";

/** the executor's own bound: every case stops by itself within this */
const MAX_DURATION_NS = 3600e9;

const outOfRange = (ns: number) => ns <= 0 || ns > MAX_DURATION_NS;

export const durationOutOfRange: Rule = {
  code: "ZC_DURATION",
  param: "duration",
  severity: "error",
  check: (c) => outOfRange(c.duration_ns),
  message: "duration must be more than 0 and at most 1h",
  hint: "for example duration: 2s",
};

export const durationNotOverWarmup: Rule = {
  code: "ZC_DURATION_WARMUP",
  param: "duration",
  severity: "error",
  // a duration out of range is reported as that alone
  check: (c) => !outOfRange(c.duration_ns) && c.duration_ns <= c.warmup_ns,
  message: (c) =>
    `duration (${c.duration_ns / 1e6} ms) is not longer than warmup (${c.warmup_ns / 1e6} ms)`,
  hint: "make duration longer than warmup, e.g. duration: 2s with warmup: 200ms",
};

/** the executor's longest gap between a thread's paced requests (ZC_PACE_INTERVAL_MAX_PS) */
const MIN_RATE = 1e-3;

export const rateTooLow: Rule = {
  code: "ZC_RATE",
  param: "rate",
  severity: "error",
  check: (c) => c.rate > 0 && c.rate < MIN_RATE,
  message: (c) => `rate ${c.rate} requests/s per thread is slower than one request per 1000 s`,
  hint: "for example rate: 1000 (requests/s per thread), or rate: 0 for unpaced",
};

export const warmupTooLong: Rule = {
  code: "ZC_DURATION",
  param: "warmup",
  severity: "error",
  check: (c) => c.warmup_ns > MAX_DURATION_NS,
  message: "warmup must be at most 1h",
  hint: "for example warmup: 200ms",
};
