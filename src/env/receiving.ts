import { setTimeout as sleep } from "node:timers/promises";
import type { Case } from "../model/case.js";
import { EnvError } from "../model/errors.js";
import type { TargetCounters } from "../model/target.js";
import { type Receiver, type RxStats, startReceiver } from "../native/receiver.js";
import { addressBytes, type Family } from "./addresses.js";
import type { CaseSession } from "./target.js";

/** How long nothing may arrive before a case's traffic counts as all in. */
const QUIET_MS = 20;
/**
 * The same for a stream: Nagle's algorithm can hold its last segment back
 * until the previous one is acknowledged, and a delayed ACK takes up to
 * 40 ms, so a 20 ms lull is no proof that a TCP stream has all arrived.
 */
const TCP_QUIET_MS = 60;
/** Bound on that wait: a receiver still busy after this is reported as it stands. */
const SETTLE_MAX_MS = 3000;

/**
 * The receiver's counters once what was sent has arrived: the sender has
 * stopped when this is called, but datagrams may still sit in queues.
 */
export async function settle(rx: Receiver, type: "udp" | "tcp" = "udp"): Promise<RxStats> {
  const quietMs = type === "tcp" ? TCP_QUIET_MS : QUIET_MS;
  const deadline = Date.now() + SETTLE_MAX_MS;
  let prev = rx.read();
  for (;;) {
    await sleep(quietMs);
    const now = rx.read();
    const quiet = now.bytes === prev.bytes && now.idle_ns >= quietMs * 1e6;
    if (quiet || Date.now() >= deadline) return now;
    prev = now;
  }
}

/**
 * Per case: switch the receiver to the case's pattern, then count what
 * arrived until it settled, and what receiving it cost the receiver thread.
 */
function receiverCase(
  rx: Receiver,
  c: Case,
): (flowPorts?: readonly number[]) => Promise<TargetCounters> {
  rx.expect(c.buffers.pattern, c.buffers.size, c.socket.gso_size);
  const before = rx.read();
  return async (flowPorts = []) => {
    const after = await settle(rx, c.socket.type);
    if (after.status !== 0)
      throw new EnvError("ZC_RECEIVER", `the receiver stopped during the case: ${after.message}`);
    const bytes = after.bytes - before.bytes;
    const cpu = after.cpu_ns - before.cpu_ns;
    // from the switch to this case until its last byte arrived (warmup included, like the bytes)
    const window = after.now_ns - after.idle_ns - before.now_ns;
    return {
      ...(c.socket.type === "udp" ? { rxDatagrams: after.datagrams - before.datagrams } : {}),
      rxBytes: bytes,
      rxMismatches: after.mismatches - before.mismatches,
      rxChecked: after.checked - before.checked,
      rxReads: after.reads - before.reads,
      rxCpuNs: cpu,
      ...(bytes > 0 ? { rxCpuNsPerRequest: (cpu * c.buffers.size) / bytes } : {}),
      // bits per ns are Gbit/s
      ...(window > 0 ? { rxGbps: (bytes * 8) / window } : {}),
      // per flow: counted from the switch to this case (expect), as the bytes above
      ...(flowPorts.length ? { rxFlowBytes: rx.flowBytes(flowPorts) } : {}),
    };
  };
}

/** What a case asks of the receiver (besides its pattern, switched per case). */
function receiverSettings(c: Case) {
  const r = c.receiver;
  return {
    verify: r.verify,
    sampleBytes: r.sample_bytes,
    sampleEvery: r.sample_every,
    rcvbuf: r.rcvbuf,
    cpu: r.cpu,
  };
}

export interface ReceiverPlace {
  family: Family;
  /** bind address */
  addr: string;
  /** "" for this process's namespace */
  netnsPath: string;
  /** true: the spec's port (a private namespace); false: any free port (the shared host) */
  specPort: boolean;
}

/**
 * The receivers of one target, one per protocol and port, started as cases
 * need them; a case whose receiver settings differ from the running one's
 * replaces it (the spec's port can hold one receiver only).
 */
export function receiverPool(place: ReceiverPlace) {
  const pool = new Map<string, { rx: Receiver; settings: string }>();
  return {
    async beginCase(c: Case): Promise<CaseSession> {
      const port = place.specPort ? c.socket.port : 0;
      const key = `${c.socket.type}/${port}`;
      const wanted = receiverSettings(c);
      const settings = JSON.stringify(wanted);
      let entry = pool.get(key);
      if (entry && entry.settings !== settings) {
        entry.rx.stop();
        pool.delete(key);
        entry = undefined;
      }
      if (!entry) {
        const rx = startReceiver({
          family: place.family,
          proto: c.socket.type,
          addr: addressBytes(place.addr),
          port,
          netnsPath: place.netnsPath,
          ...wanted,
        });
        entry = { rx, settings };
        pool.set(key, entry);
      }
      return { dstPort: entry.rx.port, collect: receiverCase(entry.rx, c) };
    },
    stopAll(): void {
      for (const { rx } of pool.values()) rx.stop();
      pool.clear();
    },
  };
}
