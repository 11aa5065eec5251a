import type { Case } from "../model/case.js";
import type { Check } from "../model/check.js";
import type { Measured } from "../model/measured/measured.js";
import { isZerocopy, MODES } from "../model/modes.js";
import type { TargetCounters } from "../model/target.js";
import { atLeast, equals } from "./check.js";
import { type DeliveryCase, deliveryCheck, segmentsCheck } from "./delivery.js";
import { flowChecks } from "./flows.js";

/**
 * What must hold for every case whatever the spec says: no failed request,
 * no short send; every zerocopy request got exactly its one notification and
 * copying sends none (counted per request, so it holds for mode: mixed,
 * whose zerocopy requests the executor counts as it draws them); the
 * executor's protocol counters saw no stray CQE flag;
 * a buffer slot was never reused while the kernel held it when the spec asks
 * for `after_notification`; and (on the sink) every request was seen dropped
 * by the device, proof that it really left the socket; with several flows,
 * that their counts add up and each flow's bytes reached the receiver.
 */
export function invariants(
  c: Pick<Case, "mode" | "notifications" | "batch"> & {
    socket: Pick<Case["socket"], "cork" | "type">;
  } & Partial<Omit<DeliveryCase, "socket" | "batch">>,
  m: Measured,
): Check[] {
  // the requests that owe a notification: all of a zerocopy mode's, none of a copying
  // one's, and of a mixed case's those the executor sent as a zerocopy kind
  const owing = c.mode === "mixed" ? m.zcSent : isZerocopy(c.mode) ? m.requests : 0;
  const checks = [
    equals("errors", m.errors, 0),
    equals("short sends", m.shortSends, 0),
    // error-queue notifications on a stream: a payload written in several calls owes one per call
    MODES[c.mode].notification === "socket error queue" && c.socket.type === "tcp"
      ? atLeast("requests owing a notification", m.zcRequests, m.requests)
      : equals("requests owing a notification", m.zcRequests, owing),
    equals("notifications", m.notifications, m.zcRequests),
    equals("notifications still owed at the end", m.owedNotifications, 0),
    equals("notifications nobody owed", m.notifUnexpected, 0),
    equals("F_MORE on a notification", m.moreOnNotif, 0),
    equals("F_MORE on a copying send", m.moreOnPlain, 0),
  ];
  if (c.notifications.reuse === "after_notification")
    checks.push(equals("buffer slots reused while in flight", m.reuseBusy, 0));
  const { txDropped, txPackets } = m.target;
  // a corked batch leaves as one datagram; a GSO send as one packet too: the sink's
  // carrier-less veth drops it whole at its noop qdisc, and the dummy driver takes it whole
  const datagrams = c.socket.cork === "none" ? m.requests : Math.ceil(m.requests / c.batch);
  if (txDropped !== undefined) checks.push(atLeast("sink tx dropped", txDropped, datagrams));
  if (txPackets !== undefined) checks.push(atLeast("sink tx packets", txPackets, datagrams));
  // a remote receiver: bytes sent = received + dropped there
  const delivered =
    c.buffers && c.warmup_ns !== undefined
      ? deliveryCheck({ ...c, buffers: c.buffers, warmup_ns: c.warmup_ns }, m)
      : undefined;
  if (delivered) checks.push(delivered);
  const segmented =
    c.warmup_ns !== undefined ? segmentsCheck({ warmup_ns: c.warmup_ns }, m) : undefined;
  if (segmented) checks.push(segmented);
  checks.push(...flowChecks(c, m));
  return checks;
}

/**
 * What the built-in receiver must have seen: every byte it compared as the
 * pattern says (receiver.verify: off compares none, so there is nothing to check).
 */
export function receiverChecks(t: TargetCounters): Check[] {
  return t.rxMismatches === undefined || t.rxChecked === 0
    ? []
    : [equals("received pattern mismatches", t.rxMismatches, 0)];
}
