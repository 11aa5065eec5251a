import type { Case } from "../../model/case.js";
import type { Measured } from "../../model/measured/measured.js";
import type { CaseResult } from "../../model/results.js";
import { bytes, duration } from "./numbers.js";

/**
 * Over TCP a zerocopy notification comes back with the ACK of its bytes, so
 * when ACKs come late the notification tail is TCP's, not the sender's:
 * Linux's delayed ACK waits up to TCP_DELACK_MIN (40 ms) for more data to
 * acknowledge, and Nagle holds back a small write while a segment is unacked.
 */
export const DELAYED_ACK_NS = 40e6;
/** a smoothed RTT this long on a short path is delayed ACKs, not distance */
const SLOW_RTT_US = 10_000;
/** "near" a multiple of the delayed-ACK timeout: the tail within this part of it */
const NEAR = 0.8;

/**
 * Why a TCP case's notification tail follows the ACK clock, or undefined
 * when it does not (or the case has no notification or no TCP_INFO): its
 * p99 is near or above the delayed-ACK timeout, or TCP_INFO at the
 * window's end shows a slow RTT with bytes unacked or not sent.
 */
export function ackClockNote(c: Case, m: Measured): string | undefined {
  const notif = m.latency?.notif;
  const tcp = m.tcp;
  if (!notif || !tcp || c.socket.type !== "tcp") return undefined;
  const tailBound = notif.p99 >= NEAR * DELAYED_ACK_NS;
  const held = tcp.notsentBytes > 0 || tcp.unacked > 0;
  if (!tailBound && !(tcp.rttUs >= SLOW_RTT_US && held)) return undefined;
  const facts = [`p99 ${duration(notif.p99)}`, `RTT ${duration(tcp.rttUs * 1e3)}`];
  if (tcp.unacked > 0) facts.push(`${tcp.unacked} segment${tcp.unacked === 1 ? "" : "s"} unacked`);
  if (tcp.notsentBytes > 0) facts.push(`${bytes(tcp.notsentBytes)} not sent`);
  const why =
    tcp.notsentBytes > 0 && !c.socket.nodelay
      ? "Nagle behind an unacked segment; socket.nodelay: true removes it"
      : `the receiver's delayed ACK (up to ${duration(DELAYED_ACK_NS)}) holds the last ` +
        "segment's notification; more requests in flight keep ACKs coming";
  return `notification tail follows the ACK clock (${facts.join(", ")}: ${why})`;
}

/** "case: note" for every case of a run whose notification tail follows the ACK clock. */
export function ackClockNotes(results: readonly CaseResult[]): string[] {
  return results.flatMap((r) => {
    const note = r.measured ? ackClockNote(r.case, r.measured) : undefined;
    return note ? [`${r.case.name}: ${note}`] : [];
  });
}
