import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { LatencyHistogram } from "../../src/model/measured/latency.js";
import type { Measured } from "../../src/model/measured/measured.js";
import type { CaseResult } from "../../src/model/results.js";
import { loadNative } from "../../src/native/library.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { measure } from "../../src/native/result.js";
import { bucketWidth } from "../../src/stats/latency.js";
import { integrationBlocker, NATIVE_LIB } from "../helpers/env.js";
import { planFor, sharedSink } from "../helpers/native.js";
import { runCli, writeSpec } from "../helpers/spawn.js";

const blocker = integrationBlocker();
/** every request timed: the histograms' counts are the requests' */
const SHORT = "duration: 150ms, warmup: 20ms, latency: { record: full }";
const SIZE = 4000;

/**
 * What any histogram the executor reports must be: ordered percentiles
 * between the exact extremes, a mean among them, its extremes inside its
 * first and last buckets and its sum inside the buckets' bounds (the C
 * bucket function against the bounds the TypeScript reads them with).
 */
function expectHistogram(name: string, h: LatencyHistogram | undefined, count: number) {
  expect(h, name).toBeDefined();
  const { min, p50, p90, p99, p999, max, mean, buckets } = h as LatencyHistogram;
  expect(h?.count, name).toBe(count);
  expect(
    buckets.reduce((a, [, n]) => a + n, 0),
    name,
  ).toBe(count);
  const order = [min, p50, p90, p99, p999, max];
  expect(order, name).toEqual([...order].sort((a, b) => a - b));
  expect(mean, name).toBeGreaterThanOrEqual(min);
  expect(mean, name).toBeLessThanOrEqual(max);
  const [firstLow] = buckets[0] as [number, number];
  const [lastLow] = buckets.at(-1) as [number, number];
  expect(min, name).toBeGreaterThanOrEqual(firstLow);
  expect(min, name).toBeLessThan(firstLow + bucketWidth(firstLow));
  expect(max, name).toBeGreaterThanOrEqual(lastLow);
  expect(max, name).toBeLessThan(lastLow + bucketWidth(lastLow));
  // every value in its bucket: the exact sum lies between the buckets' bounds
  const sum = mean * count;
  const floor = buckets.reduce((a, [low, n]) => a + low * n, 0);
  const ceiling = buckets.reduce((a, [low, n]) => a + (low + bucketWidth(low) - 1) * n, 0);
  expect(sum, name).toBeGreaterThanOrEqual(floor * (1 - 1e-12));
  expect(sum, name).toBeLessThanOrEqual(ceiling * (1 + 1e-12));
}

/** Every request timed once, every notification once, no record lost. */
function expectTimed(name: string, m: Measured, zerocopy: boolean) {
  expect(m.errors, `${name} ${JSON.stringify(m.errnos)}`).toBe(0);
  expect(m.requests, name).toBeGreaterThan(0);
  expect(m.latencyLost, name).toBe(0);
  expectHistogram(`${name} completion`, m.latency.completion, m.requests);
  if (!zerocopy) {
    expect(Object.keys(m.latency), name).toEqual(["completion"]);
    expect(m.peakPinnedBytes, name).toBe(0);
    return;
  }
  expect(m.notifications, name).toBe(m.zcRequests);
  expectHistogram(`${name} notif`, m.latency.notif, m.notifications);
  expectHistogram(`${name} pinned`, m.latency.pinned, m.notifications);
  // a buffer is held from submit to notification: at least as long as to its completion
  expect(m.latency.notif?.max, name).toBeGreaterThanOrEqual(m.latency.pinned?.max as number);
  expect(m.peakPinnedBytes, name).toBeGreaterThanOrEqual(SIZE);
}

describe("latency histograms and pinned bytes on the sink", () => {
  const sink = sharedSink(blocker);
  const run = async (defaults: string) => {
    const raw = await loadNative(NATIVE_LIB).runCase(toNativePlan(planFor(defaults), sink()));
    expect(raw.status, raw.message).toBe(0);
    return measure(raw);
  };

  for (const mode of ["send_zc", "sendmsg_zc", "msg_zerocopy"]) {
    it(`${mode}: every request and every notification timed`, async (ctx) => {
      if (blocker) return ctx.skip(blocker);
      expectTimed(mode, await run(`{ mode: ${mode}, ${SHORT} }`), true);
    });
  }

  for (const mode of ["send", "sendmsg", "sendto"]) {
    it(`${mode}: completions timed, no notification span, nothing pinned`, async (ctx) => {
      if (blocker) return ctx.skip(blocker);
      expectTimed(mode, await run(`{ mode: ${mode}, ${SHORT} }`), false);
    });
  }

  it("mixed: the zerocopy kinds' notifications timed, every kind's completion", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const m = await run(
      `{ mode: mixed, ${SHORT}, mix: { weights: { send: 1, send_zc: 1, sendmsg_zc: 1 }, order: rotate } }`,
    );
    expectTimed("mixed", m, true);
    expect(m.zcSent).toBeLessThan(m.requests);
  });

  it("reuse bounds the bytes the kernel holds at once", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const mode of ["send_zc", "msg_zerocopy"]) {
      const batch = `{ mode: ${mode}, ${SHORT}, batch: 8, buffers: { count: 32 }, notifications: { reuse: after_batch } }`;
      const afterBatch = await run(batch);
      expectTimed(`${mode} after_batch`, afterBatch, true);
      expect(afterBatch.peakPinnedBytes, mode).toBeLessThanOrEqual(8 * SIZE);
      const notif = `{ mode: ${mode}, ${SHORT}, batch: 4, buffers: { count: 6 }, notifications: { reuse: after_notification } }`;
      const afterNotif = await run(notif);
      expectTimed(`${mode} after_notification`, afterNotif, true);
      expect(afterNotif.peakPinnedBytes, mode).toBeLessThanOrEqual(6 * SIZE);
    }
  });

  it("latency off: no histogram, the same counts and peak pinned bytes", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const mode of ["send_zc", "msg_zerocopy", "sendto"]) {
      const cap = `mode: ${mode}, requests: 3000, duration: 5s, warmup: 20ms, batch: 8, buffers: { count: 32 }, notifications: { reuse: after_batch }`;
      const off = await run(`{ ${cap}, latency: { record: off } }`);
      const full = await run(`{ ${cap}, latency: { record: full } }`);
      expect(off.latency, mode).toEqual({});
      expect(off.requests, mode).toBe(3000);
      expect(off.notifications, mode).toBe(full.notifications);
      expect(off.zcRequests, mode).toBe(full.zcRequests);
      // a batch of 8 is what after_batch lets the kernel hold: both runs reach it, neither passes it
      expect(off.peakPinnedBytes, mode).toBe(full.peakPinnedBytes);
      expect(off.peakPinnedBytes, mode).toBe(mode === "sendto" ? 0 : 8 * SIZE);
    }
  });

  it("latency sampled: one request in N timed, the histograms exact for those", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const mode of ["send_zc", "msg_zerocopy", "sendto"]) {
      const m = await run(`{ mode: ${mode}, ${SHORT.replace("full", "sampled, every: 16")} }`);
      expect(m.errors, mode).toBe(0);
      const timed = Math.ceil(m.requests / 16);
      expectHistogram(`${mode} completion`, m.latency.completion, timed);
      if (mode !== "sendto") {
        expectHistogram(`${mode} notif`, m.latency.notif, timed);
        expectHistogram(`${mode} pinned`, m.latency.pinned, timed);
        expect(m.peakPinnedBytes, mode).toBeGreaterThanOrEqual(SIZE);
      }
    }
  });

  it("threads: histograms merged, peaks summed", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const m = await run(
      `{ mode: send_zc, ${SHORT}, batch: 4, threads: { count: 2 }, notifications: { reuse: after_batch } }`,
    );
    expectTimed("2 threads", m, true);
    const sum = (f: (t: Measured["threads"][number]) => number) =>
      m.threads.reduce((a, t) => a + f(t), 0);
    expect(sum((t) => t.latency.notif?.count ?? 0)).toBe(m.latency.notif?.count);
    expect(Math.min(...m.threads.map((t) => t.latency.completion?.min as number))).toBe(
      m.latency.completion?.min,
    );
    expect(sum((t) => t.peakPinnedBytes)).toBe(m.peakPinnedBytes);
    expect(m.peakPinnedBytes).toBeLessThanOrEqual(4 * SIZE * 2);
  });
});

describe("latency expectations in a spec run", () => {
  it("judges zerocopy cases on their notification latency, and fails one on a span its case lacks", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const file = writeSpec(`version: 1
name: lat
defaults: { target: sink, duration: 100ms, warmup: 10ms, repeat: 2, latency: { record: full } }
matrix:
  mode: [send, send_zc]
expect:
  - name: notified
    where: has(result.latency.notif)
    that: >-
      result.latency.notif.p99 >= result.latency.notif.p50 &&
      result.latency.notif.p999 <= result.latency.notif.max &&
      result.latency.notif.count == 2 * result.notifications &&
      result.peak_pinned_bytes > 0.0
  - name: unguarded
    where: case.mode == "send"
    that: result.latency.notif.p99 < 1e12
`);
    const out = join(dirname(file), "results.json");
    const r = runCli(["run", file, "--json", out]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const results: CaseResult[] = JSON.parse(readFileSync(out, "utf8")).runs[0].results;
    const checks = (mode: string) =>
      results.find((c) => c.case.mode === mode)?.checks.filter((k) => k.kind === "expect");
    // the two runs' histograms are merged: twice the median run's notifications
    expect(checks("send_zc")).toMatchObject([{ name: "notified", pass: true }]);
    // where: has(...) keeps the copying case out of "notified"
    expect(checks("send")).toHaveLength(1);
    const [unguarded] = checks("send") ?? [];
    expect(unguarded).toMatchObject({ name: "unguarded", pass: false });
    expect(unguarded?.reason).toMatch(
      /^cannot evaluate result\.latency\.notif\.p99 < 1e12: No such key: notif .*guard with where: has\(result\.latency\.notif\)\)$/,
    );
  });
});
