/**
 * The executor's raw window readings (native/window.c) as figures: /proc/stat
 * ticks to ns, TCP_INFO's fields by name.
 */
import type { CpuTimes, MachineCpu, TcpView } from "../model/measured/machine.js";
import type { RawCpuTicks, RawMachine, RawTcp } from "./abi.js";
import { ZC_CPU } from "./abi.js";

/**
 * One cpu line's change over the window in ns. A tick is 1/clkTck s: the C
 * side reads sysconf(_SC_CLK_TCK) (USER_HZ, 100 on every Linux
 * architecture zcspec runs on), the unit /proc/stat counts in.
 */
export function cpuTimesOf(t: RawCpuTicks, clkTck: number): CpuTimes {
  const ns = (state: keyof typeof ZC_CPU) => {
    const i = ZC_CPU[state];
    // a counter that went back (a CPU's row replaced) counts nothing
    return (Math.max(0, (t.end[i] ?? 0) - (t.start[i] ?? 0)) * 1e9) / clkTck;
  };
  return {
    userNs: ns("user"),
    niceNs: ns("nice"),
    systemNs: ns("system"),
    idleNs: ns("idle"),
    iowaitNs: ns("iowait"),
    irqNs: ns("irq"),
    softirqNs: ns("softirq"),
    stealNs: ns("steal"),
  };
}

/** The time CPUs spent running something: neither idle, waiting on I/O, nor stolen. */
export function busyNs(t: CpuTimes): number {
  return t.userNs + t.niceNs + t.systemNs + t.irqNs + t.softirqNs;
}

const BUSY = ["userNs", "niceNs", "systemNs", "irqNs", "softirqNs"] as const;

/**
 * One CPU's busy states scaled so that they fill the window less its idle,
 * iowait and steal time. A tickless kernel measures idle time exactly (at
 * idle entry and exit) but samples busy time by the tick, which a CPU that
 * idles for less than a tick at a time often misses: on the project's
 * 2-vCPU VM such a CPU's ticks came to 67-87 % of the window. The ticks
 * still give the split between user, system, irq and softirq; where no tick
 * saw the CPU busy there is no split, and its busy time counts as system.
 */
export function fillWindow(t: CpuTimes, windowNs: number): CpuTimes {
  const sampled = busyNs(t);
  const busy = Math.max(0, windowNs - t.idleNs - t.iowaitNs - t.stealNs);
  // no tick saw it busy (bursts shorter than a tick, as a paced sender's): the time still
  // counts, as system time, the kernel's, where a sender's short bursts mostly run
  if (sampled === 0) return { ...t, systemNs: busy };
  const scaled = { ...t };
  for (const k of BUSY) scaled[k] = (t[k] * busy) / sampled;
  return scaled;
}

function sumTimes(rows: readonly CpuTimes[]): CpuTimes {
  const out: CpuTimes = {
    userNs: 0,
    niceNs: 0,
    systemNs: 0,
    idleNs: 0,
    iowaitNs: 0,
    irqNs: 0,
    softirqNs: 0,
    stealNs: 0,
  };
  for (const r of rows) for (const k of Object.keys(out) as (keyof CpuTimes)[]) out[k] += r[k];
  return out;
}

/**
 * The machine's CPU over the window (each CPU's busy time filled as
 * fillWindow says), or undefined when the executor could not read /proc/stat.
 */
export function machineOf(raw: RawMachine | undefined): MachineCpu | undefined {
  if (!raw?.clk_tck) return undefined;
  const rows = raw.cpu.slice(0, raw.cpus).map((ticks, i) => ({ cpu: raw.cpu_id[i] ?? i, ticks }));
  return machineOfTicks(rows, raw.all, raw.end_ns - raw.start_ns, raw.clk_tck, raw.more_cpus !== 0);
}

/**
 * The machine's CPU from /proc/stat's cpu lines at a window's edges: each CPU's row (busy time
 * filled as fillWindow says) and the aggregate line, which alone covers CPUs past the rows.
 */
export function machineOfTicks(
  rows: readonly { cpu: number; ticks: RawCpuTicks }[],
  all: RawCpuTicks,
  windowNs: number,
  clkTck: number,
  moreCpus: boolean,
): MachineCpu {
  const cpus = rows.map((r) => ({
    cpu: r.cpu,
    ...fillWindow(cpuTimesOf(r.ticks, clkTck), windowNs),
  }));
  return {
    clkTck,
    windowNs,
    moreCpus,
    // past the rows kept, only the aggregate line covers every CPU: its ticks as they are
    all: moreCpus ? cpuTimesOf(all, clkTck) : sumTimes(cpus),
    cpus,
  };
}

/** The machine's CPU per request: busy ns per request, and softirq's share of the busy time. */
export function machineFigures(
  m: MachineCpu,
  requests: number,
): { machineCpuNsPerRequest: number; softirqShare: number } {
  const busy = busyNs(m.all);
  return {
    machineCpuNsPerRequest: requests > 0 ? busy / requests : 0,
    softirqShare: busy > 0 ? m.all.softirqNs / busy : 0,
  };
}

/** TCP's view of the connections; undefined for UDP or a kernel before TCP_INFO's later fields. */
export function tcpOf(raw: RawTcp | undefined): TcpView | undefined {
  if (!raw?.connections) return undefined;
  return {
    connections: raw.connections,
    rttUs: raw.rtt_us,
    rttvarUs: raw.rttvar_us,
    sndCwnd: raw.snd_cwnd,
    sndMss: raw.snd_mss,
    unacked: raw.unacked,
    lost: raw.lost,
    retrans: raw.retrans,
    retransBytes: raw.retrans_bytes,
    deliveryRate: raw.delivery_rate,
    notsentBytes: raw.notsent_bytes,
    inFlightBytes: raw.in_flight_bytes,
    busyUs: raw.busy_us,
    rwndLimitedUs: raw.rwnd_limited_us,
    sndbufLimitedUs: raw.sndbuf_limited_us,
  };
}
