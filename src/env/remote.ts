import type { Case } from "../model/case.js";
import { EnvError } from "../model/errors.js";
import type { TargetCounters, Topology } from "../model/target.js";
import { addressBytes, familyOf } from "./addresses.js";
import { type LaunchedReceiver, launchReceiver } from "./agent/launch.js";
import type { ReceiveResult } from "./agent/protocol.js";
import type { Target } from "./target.js";

/** Why a case may not send to a remote host in this run, or undefined when it may. */
export function remoteRefusal(c: Case, allowRemote: boolean): string | undefined {
  if (c.target !== "remote" || allowRemote) return undefined;
  const r = c.remote;
  // with a receiver the port is the one it takes there
  const where = r ? (r.receiver ? r.address : `${r.address}:${r.port}`) : "(no remote address)";
  return (
    `case ${c.name} sends to the remote host ${where}: traffic would leave this machine, so ` +
    "zcspec sends it only when the run says --allow-remote"
  );
}

/** What a remote receiver's result says about the case, as the target's counters. */
export function countersOf(res: ReceiveResult, type: Case["socket"]["type"]): TargetCounters {
  const t: TargetCounters = {
    rxBytes: res.bytes,
    rxMismatches: res.mismatches,
    // TCP retransmits what a full buffer would drop: nothing is lost to the reader
    rxDrops: type === "udp" ? (res.udp?.rcvbufErrors ?? 0) : 0,
  };
  if (type === "udp") t.rxDatagrams = res.datagrams;
  if (res.nic) t.rxNicDrops = res.nic.rxDropped + res.nic.rxMissed;
  if (res.machine) t.rxMachine = res.machine;
  if (res.flowBytes) t.rxFlowBytes = res.flowBytes;
  return t;
}

/**
 * A host the user names, reached through the caller's own namespace (a
 * real NIC). Without `remote.receiver` nothing receives or verifies on the
 * other side. With it, every run of a case starts the receiver there
 * through the launcher, sends to the port it answers with, and collects
 * what it verified; the receiving host's environment goes into the
 * topology.
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
  const launch = r.receiver?.launch;
  const topology: Topology = {
    kind: "remote",
    family,
    namespaces: [],
    sender: r.interface ? `${r.interface} (the host's namespace)` : "the host's namespace",
    destination: launch
      ? `${r.address}, the port its receiver takes (remote; delivery verified by zcspec receive ` +
        "on that host)"
      : `${r.address}:${r.port} (remote; no receiver: delivery not verified)`,
    ...(launch ? { launch: [...launch] } : {}),
  };
  const running = new Set<LaunchedReceiver>();
  return {
    kind: "remote",
    netnsPath: "",
    family,
    dstAddr,
    topology,
    async beginCase(k) {
      const receiver = k.remote?.receiver;
      if (!receiver) return { dstPort: k.remote?.port ?? r.port, collect: async () => ({}) };
      const rx = await launchReceiver(receiver.launch, r.address, {
        family,
        type: k.socket.type,
        port: receiver.port ?? 0,
        bind: r.address,
        pattern: k.buffers.pattern,
        size: k.buffers.size,
        // only when set: a receiver of an older zcspec refuses a key it does not know
        ...(k.socket.gso_size ? { segment: k.socket.gso_size } : {}),
        expectMs: Math.ceil((k.warmup_ns + k.duration_ns) / 1e6),
      });
      running.add(rx);
      return {
        dstPort: rx.port,
        mark: (edge) => rx.mark(edge),
        collect: async (flowPorts) => {
          try {
            const res = await rx.finish(flowPorts);
            topology.receiver = res.host;
            return countersOf(res, k.socket.type);
          } finally {
            running.delete(rx);
          }
        },
      };
    },
    async close() {
      // a case that ended before collecting (the executor failed) leaves its receiver here
      for (const rx of running) await rx.kill();
      running.clear();
    },
  };
}
