import type { Mode } from "../../model/case.js";
import { isZerocopy as isZc } from "../../model/modes.js";
import type { CaseResult } from "../../model/results.js";
import { caseEstimate } from "../../stats/compare.js";
import { change, changeCell, valueCell } from "../text/cells.js";
import { alignment, markdownTable } from "../text/markdown-table.js";
import { integer } from "../text/numbers.js";
import { copyBase, type LetterRow, ratio } from "./rows.js";

/**
 * The letter's table: per target and size, each letter column (from each
 * case's `reference`) followed by the measured figure that reproduces it,
 * and each zerocopy mode's change over its copying mode.
 */

/** "+84%", "+4.5%", "-6.7%": whole per cent from 10 up, one decimal below, as the letter wrote. */
export function percentOver(value: number, base: number): string {
  return change(value / base);
}

/** requests/s measured for a mode: the median with its interval, or why there is none. */
function measuredCell(row: LetterRow, mode: Mode): string {
  const r = row.byMode.get(mode);
  if (!r) return "";
  const e = caseEstimate(r, "rps");
  return e ? valueCell(e) : r.status;
}

/** A letter column: its header and, where a mode reproduces it, that mode. */
interface LetterColumn {
  name: string;
  mode?: Mode;
}

function letterColumns(rows: readonly LetterRow[]): LetterColumn[] {
  const cols = new Map<string, LetterColumn>();
  for (const row of rows) {
    for (const [mode, r] of row.byMode) {
      const ref = r.case.reference;
      for (const [name, value] of Object.entries(ref?.columns ?? {})) {
        if (typeof value !== "number") continue;
        const col = cols.get(name) ?? { name };
        if (!col.mode && ref?.rps === value) col.mode = mode;
        cols.set(name, col);
      }
    }
  }
  return [...cols.values()];
}

/** The case of a row that states a letter column, and the letter's figure there. */
function letterFigure(
  row: LetterRow,
  column: string,
): { r: CaseResult; value: number } | undefined {
  for (const r of row.byMode.values()) {
    const value = r.case.reference?.columns?.[column];
    if (typeof value === "number") return { r, value };
  }
  return undefined;
}

function letterCell(row: LetterRow, col: LetterColumn): string {
  const fig = letterFigure(row, col.name);
  if (!fig) return "";
  const mode = fig.r.case.mode;
  const base = isZc(mode) ? copyBase(row, mode)?.case.reference?.rps : undefined;
  return base ? `${integer(fig.value)} (${percentOver(fig.value, base)})` : integer(fig.value);
}

/** Where nothing measured reproduces a letter column, the providing case's note says why. */
function unreproducedCell(row: LetterRow, col: LetterColumn): string {
  const fig = letterFigure(row, col.name);
  return fig ? (fig.r.case.reference?.note ?? "n/a") : "";
}

/** The table, and whether a column needs the v6 footnote (a letter column nothing reproduces). */
export function comparisonTable(rows: readonly LetterRow[]): {
  table: string;
  usesV6Note: boolean;
} {
  const many = new Set(rows.map((r) => r.target)).size > 1;
  const cols = letterColumns(rows);
  const shown = new Set(cols.flatMap((c) => (c.mode ? [c.mode] : [])));
  const modes = [...new Set(rows.flatMap((r) => [...r.byMode.keys()]))];
  const head = [...(many ? ["target"] : []), "IO size"];
  const cells: ((row: LetterRow) => string)[] = [];
  for (const c of cols) {
    head.push(`${c.name} (letter)`);
    cells.push((row) => letterCell(row, c));
    head.push(c.mode ? `${c.mode} (measured)` : `${c.name} (measured)`);
    cells.push((row) => (c.mode ? measuredCell(row, c.mode as Mode) : unreproducedCell(row, c)));
  }
  for (const m of modes.filter((m) => !shown.has(m))) {
    head.push(`${m} (measured)`);
    cells.push((row) => measuredCell(row, m));
  }
  // each zerocopy mode against its copy: the rate, then the cost side, which a busy
  // machine disturbs far less than the rate
  for (const m of modes.filter(isZc)) {
    const copy = rows.map((row) => copyBase(row, m)?.case.mode).find((x) => x !== undefined);
    if (!copy) continue;
    head.push(`${m} vs ${copy}`);
    cells.push((row) => changeCell(ratio(row, m, "rps")));
    head.push(`${m} sender CPU/request vs ${copy}`);
    cells.push((row) => changeCell(ratio(row, m, "cpuNsPerRequest")));
  }
  const body = rows.map((row) => [
    ...(many ? [row.target] : []),
    String(row.size),
    ...cells.map((f) => f(row)),
  ]);
  return {
    table: markdownTable(head, body, alignment(head, "target")),
    usesV6Note: cols.some((c) => !c.mode) || (shown.has("send_zc") && cols.length > 0),
  };
}
