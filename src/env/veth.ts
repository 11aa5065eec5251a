import { EnvError } from "../model/errors.js";
import type { Family } from "./addresses.js";
import { findTool, run } from "./command.js";
import { ipIn } from "./netns.js";
import { VETH_MTU } from "./settings.js";

export interface VethEnd {
  name: string;
  mac: string;
}

/** A veth pair in namespace `ns`, with `mtu` at both ends; its peer moved to `peerNs` if given. */
export async function addVeth(
  ns: string,
  dev: VethEnd,
  peer: VethEnd,
  { mtu = VETH_MTU, peerNs }: { mtu?: number; peerNs?: string } = {},
): Promise<void> {
  const end = (e: VethEnd) => ["name", e.name, "address", e.mac, "mtu", String(mtu)];
  const where = peerNs ? ["netns", peerNs] : [];
  await ipIn(ns, "link", "add", ...end(dev), "type", "veth", "peer", ...end(peer), ...where);
}

/**
 * A device's offloads through ethtool -K (`features`: "gro", "on", ...),
 * read back, since the kernel may keep off a feature it calls fixed.
 */
export async function setOffloads(
  ns: string,
  dev: string,
  features: Readonly<Record<string, "on" | "off">>,
): Promise<void> {
  const ethtool = findTool("ethtool");
  if (!ethtool)
    throw new EnvError(
      "ZC_TOOL_MISSING",
      "pair.gro: ethtool is not installed",
      "install it (apt-get install -y ethtool, or run bin/setup.mjs as root), or set pair.gro: false",
    );
  const args = Object.entries(features).flat();
  await run("ip", ["netns", "exec", ns, ethtool, "-K", dev, ...args]);
  const shown = await run("ip", ["netns", "exec", ns, ethtool, "-k", dev]);
  for (const [name, state] of Object.entries(features)) {
    const long = ETHTOOL_NAMES[name] ?? name;
    if (!new RegExp(`^${long}: ${state}`, "m").test(shown))
      throw new EnvError(
        "ZC_COMMAND_FAILED",
        `pair.gro: ${dev} in ${ns} kept ${long} from turning ${state}`,
        "this kernel's veth refuses it: set pair.gro: false",
      );
  }
}

/** ethtool -K's short names as ethtool -k prints them */
const ETHTOOL_NAMES: Record<string, string> = {
  gro: "generic-receive-offload",
  tso: "tcp-segmentation-offload",
};

/** An address on a device; IPv6 ones skip duplicate detection so they are usable at once. */
export async function addAddress(
  ns: string,
  family: Family,
  dev: string,
  cidr: string,
): Promise<void> {
  const v6 = family === "ipv6";
  await ipIn(ns, v6 ? "-6" : "-4", "addr", "add", cidr, "dev", dev, ...(v6 ? ["nodad"] : []));
}

/** A permanent neighbour entry: no ARP/NDP exchange, so no case loses its first packets to one. */
export async function addNeighbour(
  ns: string,
  family: Family,
  addr: string,
  mac: string,
  dev: string,
): Promise<void> {
  await ipIn(
    ns,
    family === "ipv6" ? "-6" : "-4",
    "neigh",
    "add",
    addr,
    "lladdr",
    mac,
    "dev",
    dev,
    "nud",
    "permanent",
  );
}
