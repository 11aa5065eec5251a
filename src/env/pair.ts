import type { Case } from "../model/case.js";
import { addressBytes, BENCH, type Family } from "./addresses.js";
import { addNamespace, ipIn, netnsPath, removeNamespace, setSysctlsIn } from "./netns.js";
import { receiverPool } from "./receiving.js";
import { NAMESPACE_SYSCTLS, VETH_MTU } from "./settings.js";
import type { Target } from "./target.js";
import { addAddress, addNeighbour, addVeth, setOffloads } from "./veth.js";

const DEV = "zp0";
const PEER = "zp1";
const DEV_MAC = "02:00:00:00:01:01";
const PEER_MAC = "02:00:00:00:01:02";

/** A case's `pair.sysctls` by their full names, as set inside the namespaces. */
export function pairSysctls(c: Pick<Case, "pair">): Record<string, number> {
  const s = c.pair.sysctls;
  return {
    "net.core.wmem_max": s.wmem_max,
    "net.core.rmem_max": s.rmem_max,
    "net.core.optmem_max": s.optmem_max,
  };
}

/**
 * GRO on both ends, after they are up (a running veth enables its NAPI when
 * GRO turns on), as liburing's test/napi-test.sh does. A veth hands a packet
 * to its peer's NAPI only when the sending end has TSO off (veth_xmit:
 * veth_skb_is_eligible_for_gro), so TSO goes off on the receiver's end,
 * which sends only ACKs: they then arrive through zp0's NAPI and give the
 * sending socket its NAPI ID. The sender's end keeps TSO, so its data path
 * is the one a pair without GRO has (liburing's test turns TSO off on both).
 */
async function groOn(tx: string, rx: string): Promise<void> {
  await setOffloads(tx, DEV, { gro: "on" });
  await setOffloads(rx, PEER, { gro: "on", tso: "off" });
}

/**
 * The kernel selftests' topology: two private namespaces joined by a veth
 * pair, the sender in one, the built-in receiver in the other. The spec's
 * port is used as it is: nothing else lives in there. `sysctls` are set in
 * both namespaces (the spec's pair.sysctls; zcspec's defaults otherwise),
 * `mtu` on both veth ends (pair.mtu), GRO on both with `gro` (pair.gro).
 */
export async function createPair(
  family: Family,
  sysctls: Readonly<Record<string, number>> = NAMESPACE_SYSCTLS,
  mtu = VETH_MTU,
  gro = false,
): Promise<Target> {
  const a = BENCH[family];
  const names: string[] = [];
  let receivers: ReturnType<typeof receiverPool> | undefined;
  const close = async () => {
    receivers?.stopAll();
    for (const n of names) await removeNamespace(n);
  };
  try {
    const tx = await addNamespace();
    names.push(tx);
    const rx = await addNamespace();
    names.push(rx);
    let set: Record<string, number> = {};
    for (const n of names) {
      set = await setSysctlsIn(n, sysctls);
      await ipIn(n, "link", "set", "lo", "up");
    }
    // fixed MACs and permanent neighbours: no ARP/NDP exchange drops a case's first packets
    await addVeth(
      tx,
      { name: DEV, mac: DEV_MAC },
      { name: PEER, mac: PEER_MAC },
      { mtu, peerNs: rx },
    );
    await addAddress(tx, family, DEV, `${a.local}/${a.prefix}`);
    await addAddress(rx, family, PEER, `${a.peer}/${a.prefix}`);
    await ipIn(tx, "link", "set", DEV, "up");
    await ipIn(rx, "link", "set", PEER, "up");
    if (gro) await groOn(tx, rx);
    await addNeighbour(tx, family, a.peer, PEER_MAC, DEV);
    await addNeighbour(rx, family, a.local, DEV_MAC, PEER);
    receivers = receiverPool({ family, addr: a.peer, netnsPath: netnsPath(rx), specPort: true });
    const pool = receivers;
    return {
      kind: "pair",
      netnsPath: netnsPath(tx),
      family,
      dstAddr: addressBytes(a.peer),
      topology: {
        kind: "pair",
        family,
        namespaces: [tx, rx],
        sender: `${a.local} on ${DEV} in ${tx}${gro ? " (GRO on)" : ""}`,
        destination:
          `${a.peer} on ${PEER} in ${rx} (veth peer${gro ? ", GRO on, TSO off" : ""}), ` +
          "the built-in verifying receiver",
        mtu,
        gro,
        sysctls: set,
      },
      beginCase: (c) => pool.beginCase(c),
      close,
    };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}
