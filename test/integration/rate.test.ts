import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { PACED_SPANS } from "../../src/model/measured/latency.js";
import type { Measured } from "../../src/model/measured/measured.js";
import type { CaseResult } from "../../src/model/results.js";
import type { RawResult } from "../../src/native/abi.js";
import { loadNative } from "../../src/native/library.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { integrationBlocker, NATIVE_LIB } from "../helpers/env.js";
import { planFor, sharedSink } from "../helpers/native.js";
import { runCli, writeSpec } from "../helpers/spawn.js";

const blocker = integrationBlocker();

const PERCENTILES = ["min", "p50", "p90", "p99", "p999", "max"] as const;

/**
 * Paced sends on loopback: a modest rate over UDP (100 requests/s in
 * batches of 10) and TCP (10 requests/s, one at a time: in stream order),
 * a batch every 100 ms, the bound of lateness, which a loaded machine's
 * scheduling delays stay inside; one far above what any machine sends
 * (10^9/s), and an unpaced case. Figures are compared with the offered rate and with
 * each other, never with an absolute speed.
 */
describe("offered load (rate:)", () => {
  it("keeps a modest rate, flags one it cannot keep, and times from the intended start", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const file = writeSpec(`version: 1
name: rate
defaults: { target: loopback, duration: 1s, warmup: 50ms, batch: 1, buffers: { size: 1000 } }
cases:
  - { name: modest-udp, mode: send_zc, rate: 100, batch: 10, buffers: { count: 10 } }
  - { name: modest-tcp, mode: send_zc, socket: { type: tcp }, rate: "80kbit/s" }
  - { name: beyond, mode: send, batch: 8, rate: 1000000000, duration: 300ms }
  - { name: unpaced, mode: send, duration: 300ms }
expect:
  - name: kept
    where: has(result.schedule_kept)
    that: result.schedule_kept
`);
    const out = join(dirname(file), "results.json");
    const r = runCli(["run", file, "--json", out]);
    // the case beyond its rate fails the expectation: exit 1, not an error
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/beyond: note: schedule not kept: offered 1000000000 requests\/s/);
    const results: CaseResult[] = JSON.parse(readFileSync(out, "utf8")).runs[0].results;
    const byName = (n: string) => results.find((c) => c.case.name === n) as CaseResult;
    const measured = (n: string) => byName(n).measured as Measured;

    for (const [name, offered] of [
      ["modest-udp", 100],
      ["modest-tcp", 10],
    ] as const) {
      const m = measured(name);
      expect(m.errors, name).toBe(0);
      expect(m.offeredRps, name).toBe(offered);
      // the window closes at its end whatever is due, so achieved is close to offered
      expect(m.achievedShare, name).toBeGreaterThan(0.95);
      expect(m.achievedShare, name).toBeLessThan(1.05);
      expect(m.lateBoundNs, name).toBe(100e6);
      expect(m.scheduleKept, `${name} late share ${m.lateShare}`).toBe(true);
      expect(byName(name).warnings ?? [], name).toEqual([]);
      // every request timed from its intended start, and never less than from its submit
      expect(m.latency.lateness?.count, name).toBe(m.requests);
      expect(m.latency.intended_completion?.count, name).toBe(m.latency.completion?.count);
      expect(m.latency.intended_notif?.count, name).toBe(m.latency.notif?.count);
      for (const p of PERCENTILES) {
        const at = `${name} ${p}`;
        expect(m.latency.intended_completion?.[p], at).toBeGreaterThanOrEqual(
          m.latency.completion?.[p] as number,
        );
        expect(m.latency.intended_notif?.[p], at).toBeGreaterThanOrEqual(
          m.latency.notif?.[p] as number,
        );
      }
    }
    // a batch every 100 ms: the sender sleeps between them, it does not spin the core
    const udp = measured("modest-udp");
    expect(udp.userNs + udp.sysNs).toBeLessThan(udp.elapsedNs / 2);

    const beyond = measured("beyond");
    expect(beyond.errors).toBe(0);
    expect(beyond.scheduleKept).toBe(false);
    expect(beyond.achievedShare).toBeLessThan(0.5);
    expect(beyond.lateShare).toBeGreaterThan(0.5);
    expect(byName("beyond").warnings?.join("\n")).toMatch(/^schedule not kept/m);
    for (const p of PERCENTILES)
      expect(beyond.latency.intended_completion?.[p], p).toBeGreaterThanOrEqual(
        beyond.latency.completion?.[p] as number,
      );

    // unpaced: nothing of the above
    const unpaced = measured("unpaced");
    expect(unpaced.offeredRps).toBeUndefined();
    expect(unpaced.scheduleKept).toBeUndefined();
    for (const span of PACED_SPANS) expect(unpaced.latency[span], span).toBeUndefined();

    const checks = results.flatMap((c) =>
      c.checks.filter((k) => k.kind === "expect").map((k) => [c.case.name, k.pass]),
    );
    expect(checks).toEqual([
      ["modest-udp", true],
      ["modest-tcp", true],
      ["beyond", false],
    ]);
  });
});

describe("a paced sender's wait", () => {
  const sink = sharedSink(blocker);

  it("ends at a stop, not at the next due time", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    // one request every 2 s: the first goes at once, then the thread sleeps towards the second
    const plan = planFor("{ mode: send_zc, rate: 0.5, batch: 1, duration: 20s, warmup: 0 }");
    const abort = new AbortController();
    const running = loadNative(NATIVE_LIB).runCase(toNativePlan(plan, sink()), {
      signal: abort.signal,
      intervalMs: 20,
      onProgress: (p) => {
        if (p.requests > 0) abort.abort();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"hung">((r) => {
      timer = setTimeout(() => r("hung"), 1900);
    });
    const raw = await Promise.race([running, late]).finally(() => clearTimeout(timer));
    expect(raw, "still waiting for the next due time").not.toBe("hung");
    await running;
    const r = raw as RawResult;
    expect(r.status, r.message).toBe(0);
    expect(r.interrupted).toBe(1);
    expect(r.requests).toBe(1);
  });
});
