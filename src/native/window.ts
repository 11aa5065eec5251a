/**
 * The executor's raw window readings (native/window.c) as figures: /proc/stat
 * ticks to ns, TCP_INFO's fields by name.
 */
import type { CpuTimes, MachineCpu, TcpView } from "../model/machine.js";
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

/** The machine's CPU over the window, or undefined when the executor could not read /proc/stat. */
export function machineOf(raw: RawMachine | undefined): MachineCpu | undefined {
  if (!raw?.clk_tck) return undefined;
  const tick = raw.clk_tck;
  return {
    clkTck: tick,
    windowNs: raw.end_ns - raw.start_ns,
    moreCpus: raw.more_cpus !== 0,
    all: cpuTimesOf(raw.all, tick),
    cpus: raw.cpu.slice(0, raw.cpus).map((t, i) => ({
      cpu: raw.cpu_id[i] ?? i,
      ...cpuTimesOf(t, tick),
    })),
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
