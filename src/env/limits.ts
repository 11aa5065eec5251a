import { readFileSync } from "node:fs";
import type { MemlockLimit } from "../model/capabilities.js";

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
