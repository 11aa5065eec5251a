import { addressBytes, BENCH, type Family } from "./addresses.js";
import { addNamespace, ipIn, netnsPath, removeNamespace, setSysctlsIn } from "./netns.js";
import { NAMESPACE_SYSCTLS, VETH_MTU } from "./settings.js";
import type { Target } from "./target.js";

/**
 * The cover letter's "dummy" device, emulated: a private network namespace
 * holding a veth pair whose peer stays down. Packets cross the whole UDP/IP
 * stack with zerocopy intact and veth drops them (its TX dropped counter
 * counts them).
 */
const DEV = "zs0";
const PEER = "zs1";
const PEER_MAC = "02:00:00:00:00:02";

export async function createSink(family: Family = "ipv4"): Promise<Target> {
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
  const v = family === "ipv6" ? "-6" : "-4";
  try {
    await setSysctlsIn(name, NAMESPACE_SYSCTLS);
    await ip(
      "link",
      "add",
      DEV,
      "mtu",
      VETH_MTU,
      "type",
      "veth",
      "peer",
      "name",
      PEER,
      "mtu",
      VETH_MTU,
    );
    await ip("link", "set", DEV, "up");
    // nodad: an IPv6 address is usable at once, not after duplicate detection
    await ip(
      v,
      "addr",
      "add",
      `${a.local}/${a.prefix}`,
      "dev",
      DEV,
      ...(family === "ipv6" ? ["nodad"] : []),
    );
    await ip(v, "neigh", "add", a.peer, "lladdr", PEER_MAC, "dev", DEV, "nud", "permanent");
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
      destination: `${a.peer} (permanent neighbour; ${DEV}'s veth peer ${PEER} is down, so veth drops every packet)`,
      mtu: Number(VETH_MTU),
      sysctls: NAMESPACE_SYSCTLS,
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
