import { randomBytes } from "node:crypto";
import { run, runQuietSync } from "./command.js";

/**
 * Named network namespaces of zcspec's own: `zcspec-<pid>-<random>`, so
 * concurrent runs never collide and a namespace whose creating process is
 * gone (a run killed with SIGKILL) is known to be stale.
 */
export const NETNS_PREFIX = "zcspec-";
const NAME_RE = /^zcspec-(\d+)-[0-9a-f]+$/;

/** Namespaces this process created and has not removed yet, for exit handlers. */
const live = new Set<string>();

/** Remove every namespace this process still owns, synchronously (for signal and exit handlers). */
export function removeLiveNamespacesSync(): void {
  for (const name of live) runQuietSync("ip", ["netns", "del", name]);
  live.clear();
}

export function netnsPath(name: string): string {
  return `/run/netns/${name}`;
}

/** A new namespace of this process, registered for removal on exit. */
export async function addNamespace(): Promise<string> {
  const name = `${NETNS_PREFIX}${process.pid}-${randomBytes(3).toString("hex")}`;
  await run("ip", ["netns", "add", name]);
  // process.exit() skips every finally block: the exit event still fires
  if (live.size === 0) process.once("exit", removeLiveNamespacesSync);
  live.add(name);
  return name;
}

/** Remove one of this process's namespaces (its veths go with it); safe to call twice. */
export async function removeNamespace(name: string): Promise<void> {
  if (!live.delete(name)) return;
  await run("ip", ["netns", "del", name]);
}

/** `ip -n NAME ...` */
export function ipIn(name: string, ...args: string[]): Promise<string> {
  return run("ip", ["-n", name, ...args]);
}

/**
 * Set sysctls inside a namespace, one by one. Only per-namespace ones exist
 * there (the kernel hides global knobs from a non-initial namespace), so
 * this can never change the host's settings; a knob an older kernel keeps
 * global (6.1 has no net.core.wmem_max in a new namespace, 6.12 refuses to
 * write it there) is left as it is. Returns the ones set.
 */
export async function setSysctlsIn(
  name: string,
  values: Readonly<Record<string, number>>,
): Promise<Record<string, number>> {
  const set: Record<string, number> = {};
  for (const [k, v] of Object.entries(values)) {
    try {
      await run("ip", ["netns", "exec", name, "sysctl", "-q", "-w", `${k}=${v}`]);
      set[k] = v;
    } catch (e) {
      // procps and busybox say "cannot stat"/"unknown key" and "permission denied" so
      if (!/unknown key|cannot stat|permission denied/i.test((e as Error).message)) throw e;
    }
  }
  return set;
}

/** The namespaces that exist now and carry zcspec's prefix. */
export async function listZcspecNamespaces(): Promise<string[]> {
  const out = await run("ip", ["netns", "list"]);
  return out
    .split("\n")
    .map((l) => l.split(" ")[0] ?? "")
    .filter((n) => n.startsWith(NETNS_PREFIX));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists, it just is not ours to signal
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Remove the namespaces left by runs that died without cleaning up (their
 * owner pid is gone). A namespace whose owner is alive is never touched:
 * another run may be using it right now. Returns the names removed.
 */
export async function reapStaleNamespaces(): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await listZcspecNamespaces()) {
    const pid = Number(NAME_RE.exec(name)?.[1]);
    if (!pid || alive(pid)) continue;
    // a concurrent run may reap the same one first: losing that race is fine
    await run("ip", ["netns", "del", name]).then(
      () => removed.push(name),
      () => undefined,
    );
  }
  return removed;
}

let reaped: Promise<string[]> | undefined;

/** reapStaleNamespaces, once per process: the first namespace target of a run triggers it. */
export function reapStaleOnce(): Promise<string[]> {
  reaped ??= reapStaleNamespaces();
  return reaped;
}
