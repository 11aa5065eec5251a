import { parseDuration, UsageError } from "../index.js";
import { durationIn, durationUnit } from "../internal.js";

/** Option values with a grammar of their own: durations, repeat counts, seeds, percentages. */

const HOUR = 3600e9;

/**
 * A duration option: units ns..h, parts adding up ("1m30s"); a bare number
 * other than 0 is refused (seconds? milliseconds?), and a limit is said in
 * the unit the user wrote.
 */
export function parseDurationFlag(
  name: string,
  value: string,
  { min = 1, max = HOUR }: { min?: number; max?: number } = {},
): number {
  const v = value.trim();
  if (/^[0-9]+(\.[0-9]+)?$/.test(v) && Number(v) !== 0)
    throw new UsageError(
      `--${name} ${value}: add a unit, e.g. ${v}s`,
      "units: ns, us, ms, s, m, h",
    );
  let ns: number;
  try {
    ns = v === "0" ? 0 : parseDuration(v);
  } catch {
    throw new UsageError(
      `--${name} ${value} is not a duration`,
      "write it with a unit, e.g. 300ms, 2s, 1m30s or 1h",
    );
  }
  const unit = durationUnit(v) ?? "s";
  const limit = (ns0: number) => {
    const h = durationIn(ns0, "h");
    const mine = durationIn(ns0, unit);
    return ns0 >= HOUR && mine !== h ? `${h} (${mine})` : mine;
  };
  if (ns < min)
    throw new UsageError(
      `--${name} ${value}: must be ${min <= 1 ? "more than 0" : `at least ${limit(min)}`}`,
    );
  if (ns > max) throw new UsageError(`--${name} ${value}: must be at most ${limit(max)}`);
  return ns;
}

/** --repeat: "5" -> 5 runs; "3..30@3%" (or @0.03) -> adaptive, 3 to 30 runs until +-3 %. */
export function parseRepeat(value: string): {
  repeat: number;
  adaptive?: { max: number; until: number };
} {
  const bad = () =>
    new UsageError(
      `--repeat ${value} is neither a count nor MIN..MAX@PCT`,
      "for example --repeat 5, or --repeat 3..30@3% (at least 3 runs, at most 30, until the " +
        "intervals are within 3 %)",
    );
  const runs = (s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw bad();
    return n;
  };
  const v = value.trim();
  if (/^\d+$/.test(v)) return { repeat: runs(v) };
  const m = /^(\d+)\.\.(\d+)@([0-9.]+)(%?)$/.exec(v);
  if (!m) throw bad();
  const min = runs(m[1] as string);
  const max = runs(m[2] as string);
  const until = Number(m[3]) / (m[4] ? 100 : 1);
  if (min > max) throw new UsageError(`--repeat ${value}: MIN (${min}) is more than MAX (${max})`);
  if (!(until > 0 && until <= 1))
    throw new UsageError(
      `--repeat ${value}: the interval width must be more than 0 and at most 100%`,
    );
  return { repeat: min, adaptive: { max, until } };
}

/** --seed: an integer 0..2^32-1. */
export function parseSeed(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n >= 2 ** 32)
    throw new UsageError(
      `--seed ${value} is not an integer from 0 to 4294967295`,
      "for example --seed 42",
    );
  return n;
}

/** "5%" or "5" -> 0.05. */
export function parseTolerance(value: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*%?$/.exec(value.trim());
  const pct = m ? Number(m[1]) : Number.NaN;
  if (!(pct >= 0 && pct < 100))
    throw new UsageError(`--tolerance ${value} is not a percentage`, "for example --tolerance 5%");
  return pct / 100;
}
