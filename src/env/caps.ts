import { readFileSync } from "node:fs";
import type { TargetKind } from "../model/case.js";

const CAP_NET_ADMIN = 12n;
const CAP_SYS_ADMIN = 21n;

/** The effective capability mask of this process (0 when /proc says nothing). */
export function effectiveCaps(): bigint {
  const status = readFileSync("/proc/self/status", "utf8");
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  return m?.[1] ? BigInt(`0x${m[1]}`) : 0n;
}

/**
 * Why this process cannot build namespace targets, or undefined when it can:
 * `ip netns add` needs CAP_SYS_ADMIN, the veth and addresses CAP_NET_ADMIN.
 */
export function namespaceBlocker(caps: bigint = effectiveCaps()): string | undefined {
  const missing: string[] = [];
  if (!((caps >> CAP_NET_ADMIN) & 1n)) missing.push("CAP_NET_ADMIN");
  if (!((caps >> CAP_SYS_ADMIN) & 1n)) missing.push("CAP_SYS_ADMIN");
  if (missing.length === 0) return undefined;
  return (
    `needs ${missing.join(" and ")} to create network namespaces (run as root, or as an ` +
    "ordinary user where the kernel allows user namespaces; target: loopback needs neither)"
  );
}

/** Why this process cannot use a target of this kind, or undefined when it can. */
export function targetBlocker(
  kind: TargetKind,
  caps: bigint = effectiveCaps(),
): string | undefined {
  if (kind !== "sink" && kind !== "pair") return undefined;
  const why = namespaceBlocker(caps);
  return why && `the ${kind} target ${why}`;
}
