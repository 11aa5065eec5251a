import {
  type AnyFigure,
  figureValue,
  MEASURED_FIGURES,
  NAPI_FIGURES,
  TARGET_FIGURES,
  TCP_FIGURES,
} from "../../model/figures.js";
import type { Measured } from "../../model/measured/measured.js";

const ROWS = [
  ...Object.entries(MEASURED_FIGURES),
  ...Object.entries(TARGET_FIGURES),
  ...Object.entries(TCP_FIGURES),
  ...Object.entries(NAPI_FIGURES),
] as [AnyFigure, { cel: string }][];

/** Every figure name an expression may read from `result`, `peer(...)` or `baseline(...)`. */
export const FIGURE_NAMES: readonly string[] = ROWS.map(([, row]) => row.cel);

/**
 * Where each figure sits in a results file's `measured` (the results schema describes it there).
 */
export const FIGURE_FIELDS: readonly { name: string; field: string }[] = [
  ...Object.entries(MEASURED_FIGURES).map(([field, row]) => ({ name: row.cel, field })),
  ...Object.entries(TARGET_FIGURES).map(([field, row]) => ({
    name: row.cel,
    field: `target.${field}`,
  })),
  ...Object.entries(TCP_FIGURES).map(([field, row]) => ({ name: row.cel, field: `tcp.${field}` })),
  ...Object.entries(NAPI_FIGURES).map(([field, row]) => ({
    name: row.cel,
    field: `napi.${field}`,
  })),
];

/** One run's figures under their expression names (plain numbers). */
export function figuresOf(m: Measured): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, row] of ROWS) {
    const v = figureValue(m, key);
    if (v !== undefined) out[row.cel] = v;
  }
  return out;
}

/** What only a paced case (rate:) has: its schedule's figures and verdict. */
const PACED_NAMES: readonly string[] = [
  ...(["offeredRps", "achievedShare", "lateBoundNs", "lateShare"] as const).map(
    (k) => MEASURED_FIGURES[k].cel,
  ),
  "schedule_kept",
];

/**
 * Why an expression could not read a paced figure (cel-js: "No such key:
 * schedule_kept"), with the guard that makes it apply only to paced cases;
 * else undefined.
 */
export function absentPacedHint(summary: string): string | undefined {
  const key = /No such key: (\w+)/.exec(summary)?.[1];
  if (!key || !PACED_NAMES.includes(key)) return undefined;
  return `only a paced case (rate:) has ${key}: guard with where: has(result.schedule_kept)`;
}
