import type { CaseResult } from "../model/results.js";
import { integer } from "./numbers.js";

/** The heading of the receiver's CPU column. */
export const RX_CPU_HEAD = "rx CPU ns/req";

/**
 * A table with the built-in receiver's CPU time per request (ns) as a
 * column before its last one (the status), when some case of the run had
 * a receiver; the table as it was otherwise. Set beside the sender's
 * requests/s, it shows a receiver that sets the pace.
 */
export function withReceiverCpu<T extends string>(
  head: T[],
  rows: string[][],
  results: readonly CaseResult[],
): { head: (T | typeof RX_CPU_HEAD)[]; rows: string[][] } {
  if (!results.some((r) => r.measured?.target.rxCpuNsPerRequest !== undefined))
    return { head, rows };
  const before = <V>(list: V[], v: V) => [...list.slice(0, -1), v, ...list.slice(-1)];
  return {
    head: before<T | typeof RX_CPU_HEAD>(head, RX_CPU_HEAD),
    rows: rows.map((row, i) => {
      const v = results[i]?.measured?.target.rxCpuNsPerRequest;
      return before(row, v === undefined ? "-" : integer(v));
    }),
  };
}
