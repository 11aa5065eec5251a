import { randomBytes } from "node:crypto";
import { run, runQuietSync } from "./command.js";
import type { Target } from "./target.js";

/**
 * The cover letter's "dummy" device, emulated: a private network namespace
 * holding a veth pair whose peer stays down. Packets cross the whole UDP/IP
 * stack with zerocopy intact and veth drops them (its TX dropped counter
 * counts them). 198.18.0.0/15 (RFC 2544 benchmarking) exists only in there.
 */
export const NETNS_PREFIX = "zcspec-";
const DEV = "zs0";
const PEER = "zs1";
const LOCAL = "198.18.0.1";
const REMOTE = [198, 18, 0, 2];
const REMOTE_MAC = "02:00:00:00:00:02";
const MTU = "65535";

/** Namespaces this process created and has not removed yet, for exit handlers. */
const live = new Set<string>();

/** Remove every namespace this process still owns, synchronously (for signal and exit handlers). */
export function removeLiveNamespacesSync(): void {
  for (const name of live) runQuietSync("ip", ["netns", "del", name]);
  live.clear();
}

function uniqueName(): string {
  return `${NETNS_PREFIX}${process.pid}-${randomBytes(3).toString("hex")}`;
}

export async function createSink(): Promise<Target> {
  const name = uniqueName();
  await run("ip", ["netns", "add", name]);
  live.add(name);
  const ip = (...args: string[]) => run("ip", ["-n", name, ...args]);
  const close = async () => {
    if (!live.delete(name)) return;
    await run("ip", ["netns", "del", name]);
  };
  const txDropped = async () => {
    const out = JSON.parse(await ip("-s", "-j", "link", "show", DEV)) as {
      stats64?: { tx?: { dropped?: number } };
    }[];
    return out[0]?.stats64?.tx?.dropped ?? 0;
  };
  try {
    await ip("link", "add", DEV, "mtu", MTU, "type", "veth", "peer", "name", PEER, "mtu", MTU);
    await ip("link", "set", DEV, "up");
    await ip("addr", "add", `${LOCAL}/30`, "dev", DEV);
    await ip(
      "neigh",
      "add",
      REMOTE.join("."),
      "lladdr",
      REMOTE_MAC,
      "dev",
      DEV,
      "nud",
      "permanent",
    );
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
  return {
    kind: "sink",
    netnsPath: `/run/netns/${name}`,
    family: "ipv4",
    dstAddr: REMOTE,
    async beginCase() {
      const before = await txDropped();
      return async () => ({ txDropped: (await txDropped()) - before });
    },
    close,
  };
}

/** The namespaces that exist now and carry zcspec's prefix. */
export async function listZcspecNamespaces(): Promise<string[]> {
  const out = await run("ip", ["netns", "list"]);
  return out
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter((n) => n.startsWith(NETNS_PREFIX));
}
