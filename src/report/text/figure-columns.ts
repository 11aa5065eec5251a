import type { CaseResult } from "../../model/results.js";
import { integer } from "./numbers.js";

/** A figure only some cases have: its column appears in a results table only when one does. */
interface OptionalColumn {
  head: string;
  /** the column it goes before (both the console and the Markdown tables have it) */
  before: string;
  value: (r: CaseResult) => number | undefined;
}

const OPTIONAL: readonly OptionalColumn[] = [
  // UDP GSO: datagrams on the wire per second, beside the requests that carried them
  { head: "segments/s", before: "Gbit/s", value: (r) => r.measured?.segmentsPerSecond },
  // the built-in receiver's CPU time per request (ns): set beside the sender's
  // requests/s, it shows a receiver that sets the pace
  {
    head: "rx CPU ns/req",
    before: "status",
    value: (r) => r.measured?.target.rxCpuNsPerRequest,
  },
];

/**
 * A results table (a row per result) with the optional figure columns some
 * case of `results` has, each in its place; the table as it was otherwise.
 */
export function withOptionalColumns(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  results: readonly CaseResult[],
): { head: string[]; rows: string[][] } {
  const out = { head: [...head], rows: rows.map((r) => [...r]) };
  for (const column of OPTIONAL) {
    const values = results.map(column.value);
    const at = out.head.indexOf(column.before);
    if (values.every((v) => v === undefined)) continue;
    out.head.splice(at, 0, column.head);
    out.rows.forEach((row, i) => {
      const v = values[i];
      row.splice(at, 0, v === undefined ? "-" : integer(v));
    });
  }
  return out;
}
