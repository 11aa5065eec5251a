import type { TxTimestamps } from "../../model/measured/latency.js";
import type { CaseResult } from "../../model/results.js";
import { integer } from "./numbers.js";

const HEAD = [
  "tx timestamps",
  "via",
  "sampled",
  "timed",
  "incomplete",
  "notified first",
  "spans off their total",
  "absent spans",
];

function row(name: string, t: TxTimestamps): string[] {
  const absent = Object.entries(t.absent).map(([span, why]) => `${span}: ${why}`);
  return [
    name,
    t.via,
    integer(t.sampled),
    integer(t.timed),
    integer(t.incomplete),
    integer(t.early),
    integer(t.mismatched),
    absent.length ? absent.join("; ") : "-",
  ];
}

/**
 * How each case's transmit timestamps went (`timestamps.every`), beside the
 * tx_ spans of the latency table: the sampled requests timed, the ones
 * notified before their packet left (the kernel copied it), the ones whose spans' sum is off their own submit -> notification by more than a
 * bucket (0 when every stamp came in order), and why a span is absent.
 * Undefined when no case asked for stamps.
 */
export function txTimestampsTable(
  results: readonly CaseResult[],
): { head: string[]; rows: string[][] } | undefined {
  const rows = results.flatMap((r) =>
    r.measured?.timestamps ? [row(r.case.name, r.measured.timestamps)] : [],
  );
  return rows.length ? { head: HEAD, rows } : undefined;
}
