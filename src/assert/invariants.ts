import type { Measured } from "../native/result.js";
import type { Mode } from "../spec/types.js";
import { atLeast, type Check, equals } from "./check.js";

/**
 * What must hold for every case whatever the spec says: no failed request,
 * no short datagram, one buffer-free notification per zerocopy request and
 * none for copying sends, and (on the sink) every request seen dropped by
 * the device, proof that it really left the socket.
 */
export function invariants(mode: Mode, m: Measured): Check[] {
  const checks = [
    equals("errors", m.errors, 0),
    equals("short sends", m.shortSends, 0),
    equals("notifications", m.notifications, mode === "send_zc" ? m.requests : 0),
  ];
  const dropped = m.target.txDropped;
  if (dropped !== undefined) checks.push(atLeast("sink tx dropped", dropped, m.requests));
  return checks;
}
