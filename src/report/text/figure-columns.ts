import {
  figureRow,
  figureValue,
  MEASURED_FIGURES,
  type MeasuredFigure,
  type TargetFigure,
} from "../../model/figures.js";
import type { CaseResult } from "../../model/results.js";
import { figureText } from "./numbers.js";

/** A figure only some cases have: its column appears in a results table only when one does. */
type OptionalColumn = {
  key: MeasuredFigure | TargetFigure;
  /** shown in the Markdown table only: the console's must fit a terminal */
  wide?: true;
  // the column it goes before, or after (both the console and the Markdown tables have it)
} & ({ before: string } | { after: string });

const OPTIONAL: readonly OptionalColumn[] = [
  // paced: the offered load beside the achieved, and the share of requests started late
  { key: "offeredRps", before: "requests/s" },
  { key: "lateShare", after: "requests/s", wide: true },
  // UDP GSO: datagrams on the wire per second, beside the requests that carried them
  { key: "segmentsPerSecond", before: "Gbit/s" },
  // the whole machine's CPU per request beside the sender threads' own, then the
  // softirqs' share of it: what the sender's clock does not see (docs/cpu.md)
  { key: "machineCpuNsPerRequest", after: MEASURED_FIGURES.cpuNsPerRequest.column },
  { key: "softirqShare", after: MEASURED_FIGURES.machineCpuNsPerRequest.column, wide: true },
  // remote targets: the receiving host's whole-machine CPU, beside the sender's (docs/cpu.md)
  { key: "rxMachineCpuNsPerRequest", after: MEASURED_FIGURES.machineCpuNsPerRequest.column },
  // the built-in receiver's CPU per request: beside the sender's rate, it shows a
  // receiver that sets the pace
  { key: "rxCpuNsPerRequest", before: "status" },
];

/**
 * A results table (a row per result) with the optional figure columns some
 * case of `results` has, each in its place; the table as it was otherwise.
 */
export function withOptionalColumns(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  results: readonly CaseResult[],
  table: "console" | "markdown",
): { head: string[]; rows: string[][] } {
  const out = { head: [...head], rows: rows.map((r) => [...r]) };
  for (const column of OPTIONAL) {
    if (column.wide && table === "console") continue;
    const values = results.map((r) => r.measured && figureValue(r.measured, column.key));
    const at =
      "before" in column ? out.head.indexOf(column.before) : out.head.indexOf(column.after) + 1;
    if (values.every((v) => v === undefined)) continue;
    const row = figureRow(column.key);
    out.head.splice(at, 0, row.column ?? row.cel);
    out.rows.forEach((cells, i) => {
      const v = values[i];
      cells.splice(at, 0, v === undefined ? "-" : figureText(row.format, v));
    });
  }
  return out;
}
