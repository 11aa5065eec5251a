/** Byte sizes and durations as the schema accepts them ("4MiB", "200ms"). */

const SIZE_UNITS: Record<string, number> = {
  "": 1,
  B: 1,
  kB: 1e3,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
};

const DURATION_NS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const SIZE_RE = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$/;
/** One or more number+unit parts: "200ms", "2h", "1m30s" (the schema's pattern says the same). */
const DURATION_RE = /^(?:[0-9]+(?:\.[0-9]+)?\s*(?:ns|us|ms|s|m|h))+$/;
const DURATION_PART = /([0-9]+(?:\.[0-9]+)?)\s*(ns|us|ms|s|m|h)/g;

/** Bytes in a size; throws RangeError on a value the schema would refuse. */
export function parseSize(value: number | string): number {
  if (typeof value === "number") return value;
  const m = SIZE_RE.exec(value.trim());
  const unit = m?.[2] ?? "";
  const factor = SIZE_UNITS[unit];
  if (!m || factor === undefined) throw new RangeError(`not a size: ${JSON.stringify(value)}`);
  return Math.round(Number(m[1]) * factor);
}

/** Nanoseconds in a duration; a bare number (YAML's, not a string) is seconds. */
export function parseDuration(value: number | string): number {
  if (typeof value === "number") return Math.round(value * 1e9);
  const text = value.trim();
  if (!DURATION_RE.test(text)) throw new RangeError(`not a duration: ${JSON.stringify(value)}`);
  let ns = 0;
  for (const m of text.matchAll(DURATION_PART)) ns += Number(m[1]) * (DURATION_NS[m[2] ?? ""] ?? 0);
  return Math.round(ns);
}

const RATE_RE = /^([0-9]+(?:\.[0-9]+)?)\s*(k|M|G|Ki|Mi|Gi)?(bit|B)?\/s$/;
const RATE_PREFIX: Record<string, number> = {
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
};

/**
 * Requests per second per thread in a `rate:` (the schema's rate): a bare
 * number or "N/s" is requests, "Nbit/s" and "NB/s" payload bytes (or bits)
 * per second, so many requests of `requestBytes` each. Throws RangeError on
 * a value the schema would refuse.
 */
export function parseRate(value: number | string, requestBytes: number): number {
  if (typeof value === "number") return value;
  const m = RATE_RE.exec(value.trim());
  if (!m) throw new RangeError(`not a rate: ${JSON.stringify(value)}`);
  const n = Number(m[1]) * (RATE_PREFIX[m[2] ?? ""] ?? 1);
  if (!m[3]) return n;
  return (m[3] === "bit" ? n / 8 : n) / requestBytes;
}

/** The largest unit a duration is written in ("1m30s" -> "m"), to phrase limits in it. */
export function durationUnit(text: string): string | undefined {
  let best: string | undefined;
  for (const m of text.matchAll(DURATION_PART)) {
    const unit = m[2] ?? "";
    if (best === undefined || (DURATION_NS[unit] ?? 0) > (DURATION_NS[best] ?? 0)) best = unit;
  }
  return best;
}

/** `ns` written in `unit` ("3600e9", "m" -> "60m"). */
export function durationIn(ns: number, unit: string): string {
  return `${+(ns / (DURATION_NS[unit] ?? 1)).toPrecision(6)}${unit}`;
}

/** "1.5s", "300ms": the shortest exact-ish rendering for messages and tables. */
export function formatDuration(ns: number): string {
  if (ns >= 1e9) return `${+(ns / 1e9).toFixed(3)}s`;
  if (ns >= 1e6) return `${+(ns / 1e6).toFixed(3)}ms`;
  if (ns >= 1e3) return `${+(ns / 1e3).toFixed(3)}us`;
  return `${ns}ns`;
}
