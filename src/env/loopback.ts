import { addressBytes, type Family, LOOPBACK } from "./addresses.js";
import { receiverPool } from "./receiving.js";
import type { Target } from "./target.js";

/**
 * 127.0.0.1 or ::1 in the caller's own namespace, received and verified by
 * the built-in receiver. The host's ports are shared with everything else
 * (and with concurrent runs), so the receiver takes a free port rather than
 * the spec's. Needs no privilege.
 */
export function createLoopback(family: Family): Target {
  const addr = LOOPBACK[family];
  const receivers = receiverPool({ family, addr, netnsPath: "", specPort: false });
  return {
    kind: "loopback",
    netnsPath: "",
    family,
    dstAddr: addressBytes(addr),
    topology: {
      kind: "loopback",
      family,
      namespaces: [],
      sender: `${addr} (lo, the host's namespace)`,
      destination: `${addr}, a free port, the built-in verifying receiver`,
    },
    beginCase: (c) => receivers.beginCase(c),
    async close() {
      receivers.stopAll();
    },
  };
}
