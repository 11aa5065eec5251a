import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CpuTimes } from "../../src/model/measured/machine.js";
import type { CaseResult } from "../../src/model/results.js";
import { busyNs } from "../../src/native/window.js";
import { integrationBlocker } from "../helpers/env.js";
import { runCli, writeSpec } from "../helpers/spawn.js";

const blocker = integrationBlocker();

/** the states' times added up (a per-CPU row's `cpu` number too: the caller takes it off) */
const sum = (t: CpuTimes) => Object.values(t).reduce((a, b) => a + b, 0);

/**
 * A TCP case on the pair (sender and receiver in namespaces of the run's
 * own, softirqs on both ends), TCP and UDP on loopback, 400 ms each: the
 * machine's CPU read from /proc/stat at the window's edges, TCP_INFO of the
 * TCP connection, and expressions reading both.
 */
describe("the whole machine's CPU and TCP's view", () => {
  it("reports per-CPU deltas that add up to the window, at least the sender's CPU, and tcp_info for TCP only", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const file = writeSpec(`version: 1
name: machine
defaults: { duration: 400ms, warmup: 20ms, mode: send }
cases:
  - { name: tcp-pair, target: pair, socket: { type: tcp } }
  - { name: tcp-loopback, target: loopback, socket: { type: tcp } }
  - { name: udp-loopback, target: loopback, socket: { type: udp } }
expect:
  - name: tcp view
    where: case.socket.type == "tcp"
    that: >-
      result.tcp_connections == 1 && result.tcp_snd_cwnd > 0 &&
      result.tcp_snd_mss > 0 && result.tcp_delivery_rate > 0.0
  - name: machine at least the sender
    that: >-
      result.machine_cpu_ns_per_request > 0.0 &&
      result.softirq_share >= 0.0 && result.softirq_share <= 1.0
`);
    const out = join(dirname(file), "results.json");
    const r = runCli(["run", file, "--json", out]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const results: CaseResult[] = JSON.parse(readFileSync(out, "utf8")).runs[0].results;
    const [tcp, tcpLoopback, udp] = ["tcp-pair", "tcp-loopback", "udp-loopback"].map(
      (n) => results.find((c) => c.case.name === n)?.measured,
    );
    for (const m of [tcp, tcpLoopback, udp]) {
      const machine = m?.machine;
      expect(machine, "machine figures").toBeDefined();
      if (!m || !machine) return;
      expect(machine.clkTck).toBeGreaterThan(0);
      const tick = 1e9 / machine.clkTck;
      const cpus = machine.cpus.length;
      expect(cpus).toBeGreaterThan(0);
      // what /proc/stat measures exactly (idle, iowait, steal: at idle entry and exit) fits
      // in each CPU's window, give or take a tick at each edge; the busy states fill the rest
      // (fillWindow), so every CPU's states add up to the window
      for (const c of machine.cpus) {
        expect(c.idleNs + c.iowaitNs + c.stealNs).toBeLessThanOrEqual(machine.windowNs + 2 * tick);
        if (busyNs(c) > 0) expect(sum(c) - c.cpu).toBeCloseTo(machine.windowNs, -3);
      }
      // the window /proc/stat spans holds the measured one
      expect(machine.windowNs).toBeGreaterThanOrEqual(m.elapsedNs);
      // the machine's busy time holds the sender thread's CPU (tick-sampled: give it 2 ticks a CPU)
      expect(busyNs(machine.all) + 2 * tick * cpus).toBeGreaterThanOrEqual(m.userNs + m.sysNs);
      expect((m.machineCpuNsPerRequest ?? 0) * m.requests).toBeCloseTo(busyNs(machine.all), -3);
    }
    expect(tcp?.tcp).toMatchObject({ connections: 1 });
    expect(tcp?.tcp?.sndMss).toBeGreaterThan(0);
    expect(tcp?.tcp?.rttUs).toBeGreaterThan(0);
    expect(tcpLoopback?.tcp).toMatchObject({ connections: 1, lost: 0 });
    expect(udp?.tcp).toBeUndefined();
    // the pair's receive path runs in softirq: some of the machine's busy time is there
    expect(tcp?.machine?.all.softirqNs).toBeGreaterThan(0);
    const checks = results.flatMap((c) => c.checks.filter((k) => k.kind === "expect"));
    expect(checks.map((k) => [k.name, k.pass])).toEqual([
      ["tcp view", true],
      ["machine at least the sender", true],
      ["tcp view", true],
      ["machine at least the sender", true],
      ["machine at least the sender", true],
    ]);
  });
});
