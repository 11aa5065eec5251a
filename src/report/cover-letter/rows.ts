import type { Case, Mode } from "../../model/case.js";
import { isZerocopy as isZc, MODES } from "../../model/modes.js";
import type { CaseResult } from "../../model/results.js";
import { compareCases } from "../../stats/compare.js";

/** A row of the letter's table: the cases of one target and size, by mode. */
export interface LetterRow {
  target: Case["target"];
  size: number;
  byMode: Map<Mode, CaseResult>;
}

/** The results by target and size, in the order they first appear. */
export function letterRows(results: readonly CaseResult[]): LetterRow[] {
  const rows = new Map<string, LetterRow>();
  for (const r of results) {
    const key = `${r.case.target}/${r.case.buffers.size}`;
    let row = rows.get(key);
    if (!row) {
      row = { target: r.case.target, size: r.case.buffers.size, byMode: new Map() };
      rows.set(key, row);
    }
    // a cell shows the first case of its mode, size and target
    if (!row.byMode.has(r.case.mode)) row.byMode.set(r.case.mode, r);
  }
  return [...rows.values()];
}

/**
 * The mode a zerocopy mode is compared with in this row (its own copy twin, else the first copy
 * mode).
 */
export function copyBase(row: LetterRow, mode: Mode): CaseResult | undefined {
  const twin = MODES[mode].copyOf;
  if (twin && row.byMode.has(twin)) return row.byMode.get(twin);
  for (const [m, r] of row.byMode) if (!isZc(m)) return r;
  return undefined;
}

/**
 * A zerocopy mode against its copy at the same size, from their paired runs:
 * requests/s ("+31% [+24% to +38%]" is faster) or CPU per request ("-26%" is cheaper).
 */
export function ratio(row: LetterRow, mode: Mode, figure: "rps" | "cpuNsPerRequest") {
  const z = row.byMode.get(mode);
  const c = copyBase(row, mode);
  return z && c ? compareCases(z, c, figure) : undefined;
}
