import { addressBytes, BENCH, type Family } from "./addresses.js";
import { addNamespace, ipIn, netnsPath, removeNamespace, setSysctlsIn } from "./netns.js";
import { NAMESPACE_SYSCTLS, VETH_MTU } from "./settings.js";
import type { Target } from "./target.js";
import { addAddress, addNeighbour, addVeth } from "./veth.js";

/**
 * The cover letter's "dummy" device in a private network namespace: the real
 * one where the kernel has the dummy driver (its driver frees every packet and
 * counts it in TX packets), else emulated by a veth pair whose peer stays
 * down (packets are dropped before the driver, counted in TX dropped; before
 * Linux 6.x that drop reached no device counter, which the dummy avoids on
 * those kernels). Either way packets cross the whole UDP/IP stack with
 * zerocopy intact.
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
  const txStats = async () => {
    const out = JSON.parse(await ip("-s", "-j", "link", "show", DEV)) as {
      stats64?: { tx?: { dropped?: number; packets?: number } };
    }[];
    return out[0]?.stats64?.tx ?? {};
  };
  const a = BENCH[family];
  let sysctls: Record<string, number>;
  let dummy: boolean;
  try {
    sysctls = await setSysctlsIn(name, NAMESPACE_SYSCTLS);
    // the real dummy device where the driver is there (a module the kernel loads on demand)
    dummy = await ip("link", "add", DEV, "mtu", String(mtu), "type", "dummy").then(
      () => true,
      () => false,
    );
    if (!dummy)
      await addVeth(name, { name: DEV, mac: DEV_MAC }, { name: PEER, mac: PEER_MAC }, { mtu });
    await ip("link", "set", DEV, "up");
    await addAddress(name, family, DEV, `${a.local}/${a.prefix}`);
    // a dummy device resolves no neighbour (NOARP); the veth needs a permanent entry
    if (!dummy) await addNeighbour(name, family, a.peer, PEER_MAC, DEV);
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
      destination: dummy
        ? `${a.peer} on ${DEV}, a dummy device: its driver frees every packet (TX packets)`
        : `${a.peer} (permanent neighbour; ${DEV}'s veth peer ${PEER} is down, so veth ` +
          "drops every packet)",
      mtu,
      sysctls,
    },
    async beginCase(c) {
      const before = await txStats();
      const delta = async (k: "dropped" | "packets") =>
        ((await txStats())[k] ?? 0) - (before[k] ?? 0);
      return {
        dstPort: c.socket.port,
        collect: async () =>
          dummy ? { txPackets: await delta("packets") } : { txDropped: await delta("dropped") },
      };
    },
    close,
  };
}
