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

const DURATION_NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, m: 60e9 };

const SIZE_RE = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$/;
const DURATION_RE = /^([0-9]+(?:\.[0-9]+)?)\s*(ns|us|ms|s|m)$/;

/** Bytes in a size; throws RangeError on a value the schema would refuse. */
export function parseSize(value: number | string): number {
  if (typeof value === "number") return value;
  const m = SIZE_RE.exec(value.trim());
  const unit = m?.[2] ?? "";
  const factor = SIZE_UNITS[unit];
  if (!m || factor === undefined) throw new RangeError(`not a size: ${JSON.stringify(value)}`);
  return Math.round(Number(m[1]) * factor);
}

/** Nanoseconds in a duration; a bare number is seconds. */
export function parseDuration(value: number | string): number {
  if (typeof value === "number") return Math.round(value * 1e9);
  const m = DURATION_RE.exec(value.trim());
  const factor = m ? DURATION_NS[m[2] ?? ""] : undefined;
  if (!m || factor === undefined) throw new RangeError(`not a duration: ${JSON.stringify(value)}`);
  return Math.round(Number(m[1]) * factor);
}

/** "1.5s", "300ms": the shortest exact-ish rendering for messages and tables. */
export function formatDuration(ns: number): string {
  if (ns >= 1e9) return `${+(ns / 1e9).toFixed(3)}s`;
  if (ns >= 1e6) return `${+(ns / 1e6).toFixed(3)}ms`;
  if (ns >= 1e3) return `${+(ns / 1e3).toFixed(3)}us`;
  return `${ns}ns`;
}
