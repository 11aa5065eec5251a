import { describe, expect, it } from "vitest";
import { machineBetween } from "../../src/env/agent/host.js";
import { parseCpuLines } from "../../src/env/procstat.js";
import type { RawMachine, RawTcp } from "../../src/native/abi.js";
import {
  busyNs,
  cpuTimesOf,
  fillWindow,
  machineFigures,
  machineOf,
  tcpOf,
} from "../../src/native/window.js";

/** user nice system idle iowait irq softirq steal, as /proc/stat lists them */
const ticks = (start: number[], end: number[]) => ({ start, end });

/**
 * Two CPUs over a window of 0.5 s at 100 ticks/s (1 tick = 10 ms):
 * cpu0: user +10, system +20, softirq +15, idle +5   -> busy 450 ms, all 500 ms
 * cpu1: user +2, nice +1, system +3, idle +40, iowait +2, irq +1, steal +1
 *                                                     -> busy 70 ms, all 500 ms
 * aggregate: the sums, user +12 nice +1 system +23 idle +45 iowait +2 irq +1 softirq +15 steal +1
 *                                                     -> busy 520 ms, softirq 150 ms
 */
const RAW: RawMachine = {
  cpus: 2,
  clk_tck: 100,
  more_cpus: 0,
  reserved: 0,
  start_ns: 1_000_000_000,
  end_ns: 1_500_000_000,
  all: ticks([1000, 50, 2000, 9000, 30, 7, 400, 3], [1012, 51, 2023, 9045, 32, 8, 415, 4]),
  cpu: [
    ticks([600, 20, 1200, 4000, 10, 3, 300, 1], [610, 20, 1220, 4005, 10, 3, 315, 1]),
    ticks([400, 30, 800, 5000, 20, 4, 100, 2], [402, 31, 803, 5040, 22, 5, 100, 3]),
    // rows past `cpus` are the struct's unused space
    ticks([0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0]),
  ],
  cpu_id: [0, 3, 0],
};

describe("the machine's CPU from /proc/stat ticks", () => {
  it("turns each state's change into ns at clk_tck ticks per second", () => {
    expect(cpuTimesOf(RAW.cpu[0] as never, 100)).toEqual({
      userNs: 100e6,
      niceNs: 0,
      systemNs: 200e6,
      idleNs: 50e6,
      iowaitNs: 0,
      irqNs: 0,
      softirqNs: 150e6,
      stealNs: 0,
    });
    // USER_HZ 250 (a kernel built so): a tick is 4 ms
    expect(cpuTimesOf(ticks([0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0]), 250).userNs).toBe(
      4e6,
    );
    // a counter that went back (a CPU replaced inside the window) counts nothing
    expect(cpuTimesOf(ticks([5, 0, 0, 0, 0, 0, 0, 0], [3, 0, 0, 0, 0, 0, 0, 0]), 100).userNs).toBe(
      0,
    );
  });

  it("keeps the filled rows with their CPU numbers, the window, and the aggregate", () => {
    const m = machineOf(RAW);
    expect(m?.clkTck).toBe(100);
    expect(m?.windowNs).toBe(500e6);
    expect(m?.moreCpus).toBe(false);
    expect(m?.cpus.map((c) => c.cpu)).toEqual([0, 3]);
    expect(m?.cpus[1]).toMatchObject({ cpu: 3, userNs: 20e6, niceNs: 10e6, irqNs: 10e6 });
    // busy: user + nice + system + irq + softirq; idle, iowait and steal are not
    expect(m?.cpus.map(busyNs)).toEqual([450e6, 70e6]);
    expect(busyNs(m?.all as never)).toBe(520e6);
    // every state of every CPU adds up to the window times the CPUs
    const all = m?.all as NonNullable<typeof m>["all"];
    expect(Object.values(all).reduce((a, b) => a + b, 0)).toBe(2 * 500e6);
  });

  it("fills a CPU's window with busy time where the ticks missed it, split as the ticks say", () => {
    const zero = { niceNs: 0, iowaitNs: 0, irqNs: 0, stealNs: 0 };
    // 800 ms: idle 300 ms measured exactly, but ticks saw only 100 + 100 ms of the 500 ms busy
    const missed = { ...zero, userNs: 100e6, systemNs: 100e6, softirqNs: 0, idleNs: 300e6 };
    expect(fillWindow(missed, 800e6)).toEqual({ ...missed, userNs: 250e6, systemNs: 250e6 });
    // steal and iowait are not busy either
    const stolen = { ...missed, stealNs: 100e6, iowaitNs: 100e6 };
    expect(busyNs(fillWindow(stolen, 800e6))).toBe(300e6);
    // no tick saw the 100 ms busy (bursts shorter than a tick): it still counts, as system
    const unseen = { ...zero, userNs: 0, systemNs: 0, softirqNs: 0, idleNs: 700e6 };
    expect(fillWindow(unseen, 800e6)).toEqual({ ...unseen, systemNs: 100e6 });
    // a CPU idle the whole window stays idle
    const idle = { ...unseen, idleNs: 800e6 };
    expect(fillWindow(idle, 800e6)).toEqual(idle);
    // the machine's rows and aggregate are filled alike (RAW's rows already fill their window)
    const short = machineOf({
      ...RAW,
      cpu: [ticks([0, 0, 0, 0, 0, 0, 0, 0], [10, 0, 10, 30, 0, 0, 0, 0])],
      cpus: 1,
      start_ns: 0,
      end_ns: 800e6,
    });
    expect(short?.cpus[0]).toMatchObject({ userNs: 250e6, systemNs: 250e6, idleNs: 300e6 });
    expect(busyNs(short?.all as never)).toBe(500e6);
  });

  it("divides the busy time by the requests, and gives softirq's share of it", () => {
    const m = machineOf(RAW);
    expect(machineFigures(m as never, 26_000)).toEqual({
      machineCpuNsPerRequest: 20_000, // 520 ms / 26,000
      softirqShare: 150 / 520,
    });
    expect(machineFigures(m as never, 0).machineCpuNsPerRequest).toBe(0);
  });

  it("is absent where the executor read no /proc/stat", () => {
    expect(machineOf({ ...RAW, clk_tck: 0, cpus: 0 })).toBeUndefined();
    expect(machineOf(undefined)).toBeUndefined();
  });
});

describe("TCP's view from TCP_INFO", () => {
  const raw: RawTcp = {
    connections: 1,
    rtt_us: 40_123,
    rttvar_us: 1_500,
    snd_cwnd: 10,
    snd_mss: 65_483,
    unacked: 4,
    lost: 0,
    retrans: 2,
    delivery_rate: 125_000_000,
    notsent_bytes: 0,
    in_flight_bytes: 16_000,
    retrans_bytes: 8_000,
    busy_us: 990_000,
    rwnd_limited_us: 0,
    sndbuf_limited_us: 10_000,
  };

  it("names each field, and is absent for a case without a connection (UDP)", () => {
    expect(tcpOf(raw)).toMatchObject({
      rttUs: 40_123,
      rttvarUs: 1_500,
      sndCwnd: 10,
      unacked: 4,
      retrans: 2,
      retransBytes: 8_000,
      deliveryRate: 125_000_000,
      inFlightBytes: 16_000,
      sndbufLimitedUs: 10_000,
    });
    expect(tcpOf({ ...raw, connections: 0 })).toBeUndefined();
    expect(tcpOf(undefined)).toBeUndefined();
  });
});

describe("the receiving host's CPU between the sender's window marks (zcspec receive)", () => {
  // /proc/stat of a 2-CPU host 500 ms apart (USER_HZ 100): real-shaped, not measured
  const before = parseCpuLines(
    "cpu  1000 10 500 8000 5 0 100 2 0 0\ncpu0 500 5 250 4000 3 0 60 1 0 0\n" +
      "cpu1 500 5 250 4000 2 0 40 1 0 0\nintr 12345\nprocs_running 2\n",
    1_000_000_000,
  );
  const after = parseCpuLines(
    "cpu  1030 10 540 8060 5 0 130 2 0 0\ncpu0 520 5 270 4010 3 0 70 1 0 0\n" +
      "cpu1 510 5 270 4050 2 0 60 1 0 0\nprocs_running 1\n",
    1_500_000_000,
  );

  it("reads every cpu line's first eight columns, the aggregate apart", () => {
    expect(before.all).toEqual([1000, 10, 500, 8000, 5, 0, 100, 2]);
    expect([...before.cpus.keys()]).toEqual([0, 1]);
    expect(() => parseCpuLines("intr 1\n", 0)).toThrow(/no aggregate cpu line/);
  });

  it("fills each CPU's busy time to its window less idle, split as its ticks were", () => {
    const m = machineBetween(before, after, 100);
    expect(m.windowNs).toBe(500e6);
    expect(m.cpus.map((c) => c.cpu)).toEqual([0, 1]);
    // cpu0: 100 ms idle of 500: 400 ms busy, its ticks user 20, system 20, softirq 10 of 50
    const cpu0 = m.cpus[0];
    expect(cpu0?.idleNs).toBe(100e6);
    expect(cpu0?.userNs).toBeCloseTo(160e6, 0);
    expect(cpu0?.softirqNs).toBeCloseTo(80e6, 0);
    // cpu1 idled the whole window: its stray ticks fill nothing; the machine is the CPUs summed
    expect(busyNs(m.cpus[1] ?? m.all)).toBe(0);
    expect(busyNs(m.all)).toBeCloseTo(400e6, -3);
  });
});
