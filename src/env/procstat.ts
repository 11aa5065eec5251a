import { readFileSync } from "node:fs";

/** What /proc/stat says about the whole machine at one moment. */
export interface ProcStat {
  /**
   * the "cpu" line's columns summed (user .. steal, in USER_HZ ticks; guest time is inside user)
   */
  total: number;
  /** the "cpu" line's steal column: time the hypervisor ran something else on our vCPUs */
  steal: number;
  /** tasks runnable right now, the reader included */
  procsRunning: number;
}

/**
 * Parse /proc/stat (proc(5)): the aggregate "cpu" line is user nice system
 * idle iowait irq softirq steal guest guest_nice; guest and guest_nice are
 * already counted in user and nice, so the total stops at steal. Kernels
 * older than 2.6.11 have no steal column: it reads 0. Throws on text without
 * a cpu line.
 */
export function parseProcStat(text: string): ProcStat {
  const { all } = parseCpuLines(text, 0);
  if (all.some((v) => !Number.isFinite(v))) throw new Error("/proc/stat has no aggregate cpu line");
  const running = /^procs_running\s+(\d+)/m.exec(text);
  return {
    total: all.reduce((a, b) => a + b, 0),
    steal: all[7] ?? 0,
    procsRunning: Number(running?.[1]) || 0,
  };
}

/** The machine's /proc/stat now, or undefined where there is none (not Linux, no procfs). */
export function readProcStat(path = "/proc/stat"): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(path, "utf8"));
  } catch {
    return undefined;
  }
}

/** The share of all CPU time between two readings that was stolen (0..1; 0 when no time passed). */
export function stealShare(before: ProcStat, after: ProcStat): number {
  const total = after.total - before.total;
  return total > 0 ? Math.max(0, after.steal - before.steal) / total : 0;
}

/** /proc/stat's cpu lines at one moment, with when they were read. */
export interface CpuLines {
  /** CLOCK_MONOTONIC of the read, ns */
  atNs: number;
  /** the aggregate "cpu" line: user nice system idle iowait irq softirq steal, in ticks */
  all: number[];
  /** each "cpuN" line, by N */
  cpus: Map<number, number[]>;
}

/** The cpu lines of /proc/stat text (the first eight columns: guest time is inside user). */
export function parseCpuLines(text: string, atNs: number): CpuLines {
  const out: CpuLines = { atNs, all: [], cpus: new Map() };
  for (const line of text.split("\n")) {
    const m = /^cpu(\d*)\s+(.*)$/.exec(line);
    if (!m) continue;
    const ticks = (m[2] ?? "").split(/\s+/).slice(0, 8).map(Number);
    while (ticks.length < 8) ticks.push(0);
    if (m[1] === "") out.all = ticks;
    else out.cpus.set(Number(m[1]), ticks);
  }
  if (out.all.length === 0) throw new Error("/proc/stat has no aggregate cpu line");
  return out;
}

/** The machine's cpu lines now, or undefined where there is no /proc/stat. */
export function readCpuLines(path = "/proc/stat"): CpuLines | undefined {
  try {
    return parseCpuLines(readFileSync(path, "utf8"), Number(process.hrtime.bigint()));
  } catch {
    return undefined;
  }
}
