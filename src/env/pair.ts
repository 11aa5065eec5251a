import type { Case } from "../model/case.js";
import { addressBytes, BENCH, type Family } from "./addresses.js";
import { addNamespace, ipIn, netnsPath, removeNamespace, setSysctlsIn } from "./netns.js";
import { receiverPool } from "./receiving.js";
import { NAMESPACE_SYSCTLS, VETH_MTU } from "./settings.js";
import type { Target } from "./target.js";
import { addAddress, addNeighbour, addVeth } from "./veth.js";

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
 * The kernel selftests' topology: two private namespaces joined by a veth
 * pair, the sender in one, the built-in receiver in the other. The spec's
 * port is used as it is: nothing else lives in there. `sysctls` are set in
 * both namespaces (the spec's pair.sysctls; zcspec's defaults otherwise),
 * `mtu` on both veth ends (pair.mtu).
 */
export async function createPair(
  family: Family,
  sysctls: Readonly<Record<string, number>> = NAMESPACE_SYSCTLS,
  mtu = VETH_MTU,
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
        sender: `${a.local} on ${DEV} in ${tx}`,
        destination: `${a.peer} on ${PEER} in ${rx} (veth peer), the built-in verifying receiver`,
        mtu,
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
