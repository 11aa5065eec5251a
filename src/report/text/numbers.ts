import type { FigureFormat } from "../../model/figures.js";

/* How every report writes its figures, so that one figure reads the same in each. */

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "1,234,567": rounded to a whole number, thousands grouped. */
export function integer(n: number): string {
  return grouped.format(n);
}

/** "19.20": Gbit/s to two decimals. */
export function gbit(n: number): string {
  return n.toFixed(2);
}

/** "5.0%": a per-cent figure (already times 100) to `digits` decimals. */
export function percent(p: number, digits: number): string {
  return `${p.toFixed(digits)}%`;
}

/** "+4.5%", "-25%", "+0.0%": a per-cent change, its sign always written. */
export function signedPercent(p: number, digits: number): string {
  const text = p.toFixed(digits);
  // the sign of the rounded text, so that a change rounding to zero keeps the side it is on
  return `${text.startsWith("-") ? "" : "+"}${text}%`;
}

/** Time units a report writes, largest first. */
interface TimeUnit {
  suffix: string;
  ns: number;
}
const NS: TimeUnit = { suffix: "ns", ns: 1 };
const TIME_UNITS: readonly TimeUnit[] = [
  { suffix: "min", ns: 60e9 },
  { suffix: "s", ns: 1e9 },
  { suffix: "ms", ns: 1e6 },
  { suffix: "µs", ns: 1e3 },
];

/**
 * The largest unit in which `ns` rounds to at least 1 (so 999.7 µs reads "1 ms", not "1000 µs").
 */
function timeUnit(ns: number): TimeUnit {
  return TIME_UNITS.find((u) => ns >= u.ns * 0.9995) ?? NS;
}

/**
 * A value in some unit to three significant digits, trailing zeros dropped: "12.1", "88", "0.9",
 * "2,300".
 */
function threeDigits(v: number): string {
  return v >= 1000 ? grouped.format(v) : String(Number(v.toPrecision(3)));
}

/**
 * "850 ns", "12.1 µs", "1.5 ms", "10 min": a time in the unit that suits it, three significant
 * digits.
 */
export function duration(ns: number): string {
  const u = timeUnit(ns);
  return `${threeDigits(ns / u.ns)} ${u.suffix}`;
}

/**
 * "12.1/40.3/88 µs": latencies that read together (p50/p99/p99.9) in one
 * unit, the one that suits the smallest (first) value, so that the tail
 * stays visible as a larger number of the same unit ("58.4/1340/3470 µs",
 * not "0.0584/1.34/3.47 ms").
 */
export function durations(ns: readonly number[]): string {
  const positive = ns.filter((v) => v > 0);
  const u = timeUnit(positive.length ? Math.min(...positive) : 0);
  return `${ns.map((v) => threeDigits(v / u.ns)).join("/")} ${u.suffix}`;
}

/** "512 B", "256 KiB", "1.5 MiB": a byte count in binary units, three significant digits. */
export function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (i < units.length - 1 && n >= 1024 ** (i + 1)) i++;
  return `${threeDigits(n / 1024 ** i)} ${units[i]}`;
}

const BY_FORMAT: Record<FigureFormat, (n: number) => string> = {
  integer,
  count: String,
  gbit,
  bytes,
  share: (n) => percent(n * 100, 1),
  // an index in [0, 1] (Jain's): three decimals tell 0.999 from 1
  ratio: (n) => n.toFixed(3),
};

/** A figure's value the way its row in the figure table (model/figures.ts) says to write it. */
export function figureText(format: FigureFormat, n: number): string {
  return BY_FORMAT[format](n);
}
