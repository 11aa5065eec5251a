import { readFileSync } from "node:fs";
import { cpus } from "node:os";

/** "0-3,6,8-9" (the kernel's cpu list format) as the set of CPU numbers. */
export function parseCpuList(list: string): Set<number> {
  const out = new Set<number>();
  for (const part of list.trim().split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    for (let n = first; n <= last; n++) out.add(n);
  }
  return out;
}

/**
 * The CPUs this machine has online, for the plan-time pinning check: the
 * kernel's list, or 0..n-1 from Node where /sys is not mounted.
 */
export function onlineCpus(): Set<number> {
  try {
    const set = parseCpuList(readFileSync("/sys/devices/system/cpu/online", "utf8"));
    if (set.size > 0) return set;
  } catch {
    // no sysfs (a container without it): fall back to what Node counts
  }
  return new Set(cpus().map((_, i) => i));
}
