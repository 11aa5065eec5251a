import { addressBytes, BENCH, type Family } from "./addresses.js";
import { addNamespace, ipIn, netnsPath, removeNamespace, setSysctlsIn } from "./netns.js";
import { receiverPool } from "./receiving.js";
import { NAMESPACE_SYSCTLS, VETH_MTU } from "./settings.js";
import type { Target } from "./target.js";

const DEV = "zp0";
const PEER = "zp1";
const DEV_MAC = "02:00:00:00:01:01";
const PEER_MAC = "02:00:00:00:01:02";

/**
 * The kernel selftests' topology: two private namespaces joined by a veth
 * pair, the sender in one, the built-in receiver in the other. The spec's
 * port is used as it is: nothing else lives in there.
 */
export async function createPair(family: Family): Promise<Target> {
  const a = BENCH[family];
  const v = family === "ipv6" ? "-6" : "-4";
  // nodad: an IPv6 address is usable at once, not after duplicate detection
  const nodad = family === "ipv6" ? ["nodad"] : [];
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
    for (const n of names) {
      await setSysctlsIn(n, NAMESPACE_SYSCTLS);
      await ipIn(n, "link", "set", "lo", "up");
    }
    // fixed MACs and permanent neighbours: no ARP/NDP exchange drops a case's first packets
    await ipIn(
      tx,
      "link",
      "add",
      DEV,
      "address",
      DEV_MAC,
      "mtu",
      VETH_MTU,
      "type",
      "veth",
      "peer",
      "name",
      PEER,
      "address",
      PEER_MAC,
      "netns",
      rx,
      "mtu",
      VETH_MTU,
    );
    await ipIn(tx, v, "addr", "add", `${a.local}/${a.prefix}`, "dev", DEV, ...nodad);
    await ipIn(rx, v, "addr", "add", `${a.peer}/${a.prefix}`, "dev", PEER, ...nodad);
    await ipIn(tx, "link", "set", DEV, "up");
    await ipIn(rx, "link", "set", PEER, "up");
    await ipIn(tx, v, "neigh", "add", a.peer, "lladdr", PEER_MAC, "dev", DEV, "nud", "permanent");
    await ipIn(rx, v, "neigh", "add", a.local, "lladdr", DEV_MAC, "dev", PEER, "nud", "permanent");
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
        mtu: Number(VETH_MTU),
        sysctls: NAMESPACE_SYSCTLS,
      },
      beginCase: (c) => pool.beginCase(c),
      close,
    };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}
