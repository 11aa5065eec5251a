import type { TcpView } from "../../model/measured/machine.js";
import type { CaseResult } from "../../model/results.js";
import { bytes, duration, gbit, integer, percent } from "./numbers.js";

/** "0 %", "12.5 %": a part of the window's busy time, or "-" when TCP was never busy. */
function partOf(us: number, busyUs: number): string {
  return busyUs > 0 ? percent((us / busyUs) * 100, 1) : "-";
}

const HEAD = [
  "tcp at window end",
  "rtt ± var",
  "cwnd",
  "unacked",
  "in flight",
  "not sent",
  "retrans",
  "delivery Gbit/s",
  "rwnd/sndbuf-limited",
];

function row(name: string, t: TcpView): string[] {
  return [
    name,
    `${duration(t.rttUs * 1e3)} ± ${duration(t.rttvarUs * 1e3)}`,
    integer(t.sndCwnd),
    integer(t.unacked),
    bytes(t.inFlightBytes),
    bytes(t.notsentBytes),
    integer(t.retrans),
    gbit((t.deliveryRate * 8) / 1e9),
    `${partOf(t.rwndLimitedUs, t.busyUs)}/${partOf(t.sndbufLimitedUs, t.busyUs)}`,
  ];
}

/**
 * TCP's view of each TCP case's sending connections (TCP_INFO at the end of
 * the measured window; retransmits and the limited shares over it): a row
 * per TCP case, undefined when none has one. Over TCP a zerocopy
 * notification comes with the ACK, so the RTT and what is still unacked
 * say how long buffers stay pinned.
 */
export function tcpTable(
  results: readonly CaseResult[],
): { head: string[]; rows: string[][] } | undefined {
  const rows = results.flatMap((r) => (r.measured?.tcp ? [row(r.case.name, r.measured.tcp)] : []));
  return rows.length ? { head: HEAD, rows } : undefined;
}
