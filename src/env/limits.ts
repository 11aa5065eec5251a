import { readFileSync } from "node:fs";
import type { MemlockLimit, ProcessLimits } from "../model/capabilities.js";
import { effectiveCaps } from "./caps.js";

const CAP_IPC_LOCK = 14n;

/** RLIMIT_MEMLOCK from the text of /proc/self/limits (null: unlimited). */
export function parseMemlock(limits: string): MemlockLimit {
  const m = /^Max locked memory\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!m) throw new Error("no 'Max locked memory' line in /proc/self/limits");
  const n = (s: string | undefined) => (s === undefined || s === "unlimited" ? null : Number(s));
  return { soft: n(m[1]), hard: n(m[2]) };
}

/** This process's RLIMIT_MEMLOCK: registered and zerocopy-pinned buffers count against it. */
export function readMemlock(): MemlockLimit {
  return parseMemlock(readFileSync("/proc/self/limits", "utf8"));
}

/** A sysctl's number from /proc/sys, or null where there is none (or it cannot be read). */
function readSysctl(path: string): number | null {
  try {
    const n = Number(readFileSync(path, "utf8").trim());
    return Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

/**
 * Whether this process is in the initial user namespace, where its
 * capabilities are the ones the kernel's capable() checks (in a user
 * namespace of its own, CapEff lists everything and lifts no rlimit).
 */
export function inInitialUserNamespace(uidMap: string): boolean {
  return /^\s*0\s+0\s+4294967295\s*$/.test(uidMap);
}

/**
 * What can stop a feature the kernel has: RLIMIT_MEMLOCK, CAP_IPC_LOCK, optmem_max,
 * io_uring_disabled.
 */
export function readProcessLimits(): ProcessLimits {
  let initial = true;
  try {
    initial = inInitialUserNamespace(readFileSync("/proc/self/uid_map", "utf8"));
  } catch {
    // no user namespaces in this kernel: the initial one it is
  }
  return {
    memlock: readMemlock(),
    ipcLock: initial && Boolean((effectiveCaps() >> CAP_IPC_LOCK) & 1n),
    optmemMax: readSysctl("/proc/sys/net/core/optmem_max"),
    ioUringDisabled: readSysctl("/proc/sys/kernel/io_uring_disabled"),
  };
}
