import type { Case } from "../model/case.js";
import { EnvError } from "../model/errors.js";
import { addressBytes, familyOf } from "./addresses.js";
import type { Target } from "./target.js";

/** Why a case may not send to a remote host in this run, or undefined when it may. */
export function remoteRefusal(c: Case, allowRemote: boolean): string | undefined {
  if (c.target !== "remote" || allowRemote) return undefined;
  const where = c.remote ? `${c.remote.address}:${c.remote.port}` : "(no remote address)";
  return `case ${c.name} sends to the remote host ${where}: traffic would leave this machine, so zcspec sends it only when the run says --allow-remote`;
}

/**
 * A host the user names, reached through the caller's own namespace (a
 * real NIC). Nothing receives or verifies on our side.
 */
export function createRemote(c: Case): Target {
  const r = c.remote;
  if (!r) {
    throw new EnvError(
      "ZC_REMOTE_ADDRESS",
      `case ${c.name} has target: remote but no remote address`,
      "add `remote: { address: 192.0.2.10, port: 9 }` to the case or its defaults",
    );
  }
  let dstAddr: number[];
  try {
    dstAddr = addressBytes(r.address);
  } catch {
    throw new EnvError(
      "ZC_REMOTE_ADDRESS",
      `remote.address ${JSON.stringify(r.address)} of case ${c.name} is not an IP address`,
      "write an IPv4 address (192.0.2.10) or an IPv6 address in hex groups (2001:db8::10)",
    );
  }
  const family = familyOf(r.address);
  return {
    kind: "remote",
    netnsPath: "",
    family,
    dstAddr,
    topology: {
      kind: "remote",
      family,
      namespaces: [],
      sender: r.interface ? `${r.interface} (the host's namespace)` : "the host's namespace",
      destination: `${r.address}:${r.port} (remote; not verified by zcspec)`,
    },
    async beginCase() {
      return { dstPort: r.port, collect: async () => ({}) };
    },
    async close() {},
  };
}
