import type { Family } from "./addresses.js";
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
