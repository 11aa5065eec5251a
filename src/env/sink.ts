import { addressBytes, BENCH, type Family } from "./addresses.js";
import { addNamespace, ipIn, netnsPath, removeNamespace, setSysctlsIn } from "./netns.js";
import { NAMESPACE_SYSCTLS, VETH_MTU } from "./settings.js";
import type { Target } from "./target.js";
import { addAddress, addNeighbour, addVeth } from "./veth.js";

/**
 * The cover letter's "dummy" device, emulated: a private network namespace
 * holding a veth pair whose peer stays down. Packets cross the whole UDP/IP
 * stack with zerocopy intact and veth drops them (its TX dropped counter
 * counts them).
 */
const DEV = "zs0";
const PEER = "zs1";
const DEV_MAC = "02:00:00:00:00:01";
const PEER_MAC = "02:00:00:00:00:02";

/** The sink target: a namespace whose veth drops what it is sent (see above). */
export async function createSink(family: Family = "ipv4", mtu = VETH_MTU): Promise<Target> {
  const name = await addNamespace();
  const ip = (...args: string[]) => ipIn(name, ...args);
  const close = () => removeNamespace(name);
  const txDropped = async () => {
    const out = JSON.parse(await ip("-s", "-j", "link", "show", DEV)) as {
      stats64?: { tx?: { dropped?: number } };
    }[];
    return out[0]?.stats64?.tx?.dropped ?? 0;
  };
  const a = BENCH[family];
  let sysctls: Record<string, number>;
  try {
    sysctls = await setSysctlsIn(name, NAMESPACE_SYSCTLS);
    await addVeth(name, { name: DEV, mac: DEV_MAC }, { name: PEER, mac: PEER_MAC }, { mtu });
    await ip("link", "set", DEV, "up");
    await addAddress(name, family, DEV, `${a.local}/${a.prefix}`);
    await addNeighbour(name, family, a.peer, PEER_MAC, DEV);
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
  return {
    kind: "sink",
    netnsPath: netnsPath(name),
    family,
    dstAddr: addressBytes(a.peer),
    topology: {
      kind: "sink",
      family,
      namespaces: [name],
      sender: `${a.local} on ${DEV} in ${name}`,
      destination:
        `${a.peer} (permanent neighbour; ${DEV}'s veth peer ${PEER} is down, so veth ` +
        "drops every packet)",
      mtu,
      sysctls,
    },
    async beginCase(c) {
      const before = await txDropped();
      return {
        dstPort: c.socket.port,
        collect: async () => ({ txDropped: (await txDropped()) - before }),
      };
    },
    close,
  };
}
