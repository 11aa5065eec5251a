import { describe, expect, it } from "vitest";
import type { Measured } from "../../src/model/measured/measured.js";
import { loadNative } from "../../src/native/library.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { measure } from "../../src/native/result.js";
import { integrationBlocker, NATIVE_LIB } from "../helpers/env.js";
import { caseOf, featureSkip, planFor, sharedSink } from "../helpers/native.js";

const blocker = integrationBlocker();
const MODES = ["send", "send_zc", "sendmsg", "sendmsg_zc", "msg_zerocopy", "sendto"] as const;
const ZC = new Set(["send_zc", "sendmsg_zc", "msg_zerocopy"]);
const SHORT = "duration: 100ms, warmup: 10ms";

/** What must hold for any mode: the counters the assertion stage turns into failures. */
function expectInvariants(name: string, mode: string, m: Measured, size: number) {
  expect(m.errors, `${name} ${JSON.stringify(m.errnos)}`).toBe(0);
  expect(m.requests, name).toBeGreaterThan(0);
  expect(m.completions, name).toBe(m.requests);
  expect(m.bytes, name).toBe(m.requests * size);
  expect(m.shortSends, name).toBe(0);
  expect(m.zcRequests, name).toBe(ZC.has(mode) ? m.requests : 0);
  expect(m.notifications, name).toBe(m.zcRequests);
  expect(m.owedNotifications, name).toBe(0);
  expect(m.notifUnexpected, name).toBe(0);
  expect(m.moreOnNotif, name).toBe(0);
  expect(m.moreOnPlain, name).toBe(0);
  expect(m.interrupted, name).toBe(false);
  expect(m.intervals.length, name).toBeGreaterThan(0);
  expect(m.intervals.at(-1)?.requests, name).toBe(m.requests);
}

describe("every send mode on the sink", () => {
  const sink = sharedSink(blocker);
  const lib = () => loadNative(NATIVE_LIB);
  const run = async (defaults: string) => {
    const raw = await lib().runCase(toNativePlan(planFor(defaults), sink()));
    expect(raw.status, raw.message).toBe(0);
    return measure(raw);
  };

  for (const mode of MODES) {
    it(`${mode}: connected and unconnected, registered buffers where the op takes them`, async (ctx) => {
      if (blocker) return ctx.skip(blocker);
      for (const socket of ["{ connect: true }", "{ connect: false }"]) {
        const defaults = `{ mode: ${mode}, ${SHORT}, socket: ${socket} }`;
        const { collect } = await sink().beginCase(caseOf(defaults));
        const m = await run(defaults);
        expectInvariants(`${mode} ${socket}`, mode, m, 4000);
        // every request really left the stack: the sink device dropped it (warmup's too)
        expect((await collect()).txDropped).toBeGreaterThanOrEqual(m.requests);
        // the sink drops what leaves the stack: zerocopy stays zerocopy
        if (ZC.has(mode)) expect(m.zcCopied).toBe(0);
      }
    });
  }

  it("flush policies differ observably, each keeping its promise", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const mode of ["send_zc", "sendmsg_zc", "msg_zerocopy"]) {
      const base = `mode: ${mode}, ${SHORT}, batch: 8`;
      const immediate = await run(`{ ${base}, buffers: { count: 1 } }`);
      const afterBatch = await run(
        `{ ${base}, buffers: { count: 1 }, notifications: { reuse: after_batch } }`,
      );
      const afterNotif = await run(
        `{ ${base}, buffers: { count: 8 }, notifications: { reuse: after_notification } }`,
      );
      for (const [n, m] of [
        ["immediate", immediate],
        ["after_batch", afterBatch],
        ["after_notification", afterNotif],
      ] as const) {
        expectInvariants(`${mode} ${n}`, mode, m, 4000);
      }
      // immediate hands one slot to the kernel again and again while it still holds it
      expect(immediate.reuseBusy, mode).toBeGreaterThan(0);
      // after_batch: never more notifications owed than one batch
      expect(afterBatch.maxOutstanding, mode).toBeLessThanOrEqual(8);
      expect(afterBatch.maxOutstanding, mode).toBeGreaterThan(0);
      // after_notification: no slot handed out while its notification is owed
      expect(afterNotif.reuseBusy, mode).toBe(0);
    }
  });

  it("reports copied zerocopy notifications as zero on the sink with report_usage", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const missing = featureSkip("{ mode: send_zc, notifications: { report_usage: true } }");
    if (missing) return ctx.skip(missing);
    for (const mode of ["send_zc", "sendmsg_zc"]) {
      const m = await run(`{ mode: ${mode}, ${SHORT}, notifications: { report_usage: true } }`);
      expectInvariants(mode, mode, m, 4000);
      expect(m.zcCopied, mode).toBe(0);
    }
  });

  it("runs one ring per thread and totals them", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const m = await run(`{ mode: send_zc, ${SHORT}, threads: { count: 2, cpus: [0, 1] } }`);
    expectInvariants("2 threads", "send_zc", m, 4000);
    expect(m.threads.map((t) => t.cpu)).toEqual([0, 1]);
    expect(m.threads.reduce((a, t) => a + t.requests, 0)).toBe(m.requests);
    expect(m.threads.reduce((a, t) => a + t.notifications, 0)).toBe(m.notifications);
    for (const t of m.threads) expect(t.requests).toBeGreaterThan(0);
    expect(m.elapsedNs).toBe(Math.max(...m.threads.map((t) => t.elapsedNs)));
  });

  it.for([
    "ring: { flags: [single_issuer, defer_taskrun] }",
    "ring: { flags: [coop_taskrun, taskrun_flag] }",
    "ring: { flags: [sqpoll], register_ring_fd: false }",
    "ring: { poll_first: true, async: true, fixed_files: false }",
    "submit: submit_and_wait",
    "buffers: { register: mixed, count: 4, offset: 3, align: 4096, pattern: sequence }",
    "buffers: { register: none, pattern: zeros }",
    "socket: { cork: msg_more }, buffers: { size: 1000 }",
    "socket: { cork: udp_cork }, buffers: { size: 1000 }",
    "socket: { bind_device: zs0 }",
    "requests: 64",
  ])("honours %s", async (v, ctx) => {
    if (blocker) return ctx.skip(blocker);
    const defaults = `{ mode: send_zc, ${SHORT}, ${v} }`;
    const missing = featureSkip(defaults);
    if (missing) return ctx.skip(missing);
    const size = /size: (\d+)/.exec(v)?.[1] ?? "4000";
    expectInvariants(v, "send_zc", await run(defaults), Number(size));
  });

  it("mixed: draws kinds by weight from its seed, or rotates them, one notification per zerocopy request", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const mix = (m: string) =>
      `{ mode: mixed, requests: 600, duration: 1s, warmup: 0ms, batch: 8, notifications: { report_usage: true }, mix: ${m} }`;
    const check = (name: string, m: Measured) => {
      expect(m.errors, name).toBe(0);
      expect(m.requests, name).toBe(600);
      expect(m.zcRequests, name).toBe(m.zcSent);
      expect(m.notifications, name).toBe(m.zcSent);
      expect(m.owedNotifications, name).toBe(0);
      expect(m.notifUnexpected, name).toBe(0);
      expect(m.moreOnPlain, name).toBe(0);
      expect(m.zcCopied, name).toBe(0);
    };
    // rotate: 1:2:3 interleaved, so 600 requests are exactly 100, 200 and 300
    const rotated = await run(
      mix("{ weights: { sendmsg: 1, send_zc: 2, sendmsg_zc_fixed: 3 }, order: rotate }"),
    );
    check("rotate", rotated);
    expect(rotated.requestsByKind).toEqual({ sendmsg: 100, send_zc: 200, sendmsg_zc_fixed: 300 });
    expect(rotated.zcSent).toBe(500);
    // random: the same seed draws the same kinds, each about a third
    const a = await run(mix("{ seed: 7 }"));
    const b = await run(mix("{ seed: 7 }"));
    check("random", a);
    expect(a.requestsByKind).toEqual(b.requestsByKind);
    for (const k of ["send", "send_zc", "send_zc_fixed"] as const) {
      expect(a.requestsByKind?.[k], k).toBeGreaterThan(120);
      expect(a.requestsByKind?.[k], k).toBeLessThan(280);
    }
    expect(a.zcSent).toBe(600 - (a.requestsByKind?.send ?? 0));
  });

  it("stops at the request cap", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const capped = await run(`{ mode: send, ${SHORT}, requests: 20, batch: 8 }`);
    expect(capped.requests).toBe(20);
  });

  it("corks a UDP batch into one datagram (udp_cork, msg_more), as the sink's drop counter shows", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const mode of ["send", "send_zc", "sendto"]) {
      for (const cork of ["udp_cork", "msg_more", "none"]) {
        const defaults = `{ mode: ${mode}, requests: 64, duration: 1s, warmup: 0, batch: 8, socket: { cork: ${cork} }, buffers: { size: 1000 } }`;
        const session = await sink().beginCase(caseOf(defaults));
        const m = await run(defaults);
        expect(m.requests, `${mode} ${cork}`).toBe(64);
        expect((await session.collect()).txDropped, `${mode} ${cork}`).toBe(
          cork === "none" ? 64 : 8,
        );
      }
    }
  });

  it("says which socket option failed", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const raw = await lib().runCase(
      toNativePlan(planFor("{ socket: { bind_device: nosuchdev0 } }"), sink()),
    );
    expect(raw.status).toBe(-19);
    expect(raw.message).toBe("setsockopt SO_BINDTODEVICE nosuchdev0: No such device");
  });
});
