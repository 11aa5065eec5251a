import type { Case } from "../model/case.js";
import type { Check } from "../model/check.js";
import type { Measured } from "../model/measured/measured.js";

/**
 * UDP GSO to the built-in receiver (loopback, pair): it counts datagrams as
 * they were on the wire (a read UDP_GRO coalesced counts its segments), so
 * they must be the segments the sender's requests were cut into. It counts
 * from the case's start, warmup included: exact without a warmup, at least
 * with one. A shortfall is segments lost on the way or in its receive queue.
 */
export function segmentsCheck(c: Pick<DeliveryCase, "warmup_ns">, m: Measured): Check | undefined {
  const t = m.target;
  if (m.segments === undefined || t.rxDatagrams === undefined || t.rxDrops !== undefined)
    return undefined;
  const exact = c.warmup_ns === 0;
  const name = exact
    ? "receiver wire datagrams = sender segments"
    : "receiver wire datagrams >= sender segments (the warmup's arrive too)";
  const pass = exact ? t.rxDatagrams === m.segments : t.rxDatagrams >= m.segments;
  if (pass) return { name, pass, kind: "invariant" };
  const why =
    t.rxDatagrams < m.segments
      ? "lost on the way or in its receive queue: see receiver.rcvbuf"
      : "more than sent: other traffic to its port?";
  return {
    name,
    pass,
    kind: "invariant",
    reason:
      `${name}: the requests left as ${m.segments} segments, ` +
      `the receiver counted ${t.rxDatagrams} datagrams (${why})`,
  };
}

/** What the delivery check needs of a case. */
export type DeliveryCase = Pick<Case, "batch" | "warmup_ns"> & {
  socket: Pick<Case["socket"], "cork" | "type">;
  buffers: Pick<Case["buffers"], "size">;
};

/**
 * Where a receiver reports its host's drops (a remote receiver): every byte
 * sent is a byte received or a byte of a datagram the receiving kernel
 * dropped. The receiver counts from its start, so a case's warmup reaches
 * it too: without a warmup the books balance exactly, with one the
 * received and dropped bytes must at least cover the measured ones.
 */
export function deliveryCheck(c: DeliveryCase, m: Measured): Check | undefined {
  const t = m.target;
  if (t.rxDrops === undefined || t.rxBytes === undefined) return undefined;
  // a corked batch leaves as one datagram
  const datagram = c.socket.cork === "none" ? c.buffers.size : c.batch * c.buffers.size;
  const droppedBytes = c.socket.type === "udp" ? t.rxDrops * datagram : 0;
  const accounted = t.rxBytes + droppedBytes;
  const exact = c.warmup_ns === 0;
  const name = exact
    ? "bytes sent = bytes received + dropped by the receiving host"
    : "bytes received + dropped by the receiving host >= bytes sent (the warmup's arrive too)";
  const pass = exact ? accounted === m.bytes : accounted >= m.bytes;
  if (pass) return { name, pass, kind: "invariant" };
  const nic =
    t.rxNicDrops !== undefined
      ? `; its interface dropped or missed ${t.rxNicDrops} packets meanwhile (all traffic)`
      : "";
  const missing = m.bytes - accounted;
  const balance =
    missing >= 0
      ? `${missing} bytes unaccounted for ` +
        "(lost before the receiving socket: the wire, the NIC, its backlog)"
      : `${-missing} bytes more than sent (other traffic to the receiver's port?)`;
  return {
    name,
    pass,
    kind: "invariant",
    reason:
      `${name}: sent ${m.bytes}, received ${t.rxBytes} + dropped ${t.rxDrops} × ${datagram} B = ` +
      `${accounted}, ${balance}${nic}`,
  };
}
