import { createSocket } from "node:dgram";
import { type AddressInfo, createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import type { Case } from "../../src/model/case.js";
import type { Progress } from "../../src/model/progress.js";
import { loadNative } from "../../src/native/library.js";
import { CORRUPT_PATTERN_ENV, toNativePlan } from "../../src/native/marshal.js";
import { measure } from "../../src/native/result.js";
import { integrationBlocker, NATIVE_LIB } from "../helpers/env.js";
import {
  abortWhenStuck,
  LOOPBACK4,
  LOOPBACK6,
  patternByte,
  planFor,
  sharedSink,
} from "../helpers/native.js";
import { condition } from "../helpers/wait.js";

const blocker = integrationBlocker();
const lib = () => loadNative(NATIVE_LIB);

describe("stop and live progress", () => {
  const sink = sharedSink(blocker);

  it("reports progress from shared memory and stops within 100 ms of an abort", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const mode of ["send_zc", "msg_zerocopy"]) {
      const seen: Progress[] = [];
      const abort = new AbortController();
      const plan = toNativePlan(planFor(`{ mode: ${mode}, duration: 20s, warmup: 0 }`), sink());
      const raw = await lib().runCase(plan, {
        signal: abort.signal,
        intervalMs: 50,
        onProgress: (p) => {
          seen.push(p);
          if (seen.length === 4) abort.abort();
        },
      });
      const m = measure(raw);
      expect(raw.status, raw.message).toBe(0);
      expect(m.interrupted).toBe(true);
      // how long the loop sent on after the abort, on its own clock: from the progress it
      // had published when the abort fired to where it stopped (it reads the flag every
      // batch), without the event loop's delay in noticing the end on a busy machine
      expect(m.elapsedNs - (seen[3]?.elapsedNs ?? 0), mode).toBeLessThan(100e6);
      expect(m.elapsedNs).toBeLessThan(5e9);
      expect(m.requests).toBeGreaterThan(0);
      // progress rose monotonically and never ran ahead of the final count
      for (let i = 1; i < seen.length; i++) {
        expect(seen[i]?.requests).toBeGreaterThanOrEqual(seen[i - 1]?.requests ?? 0);
      }
      expect(seen[3]?.requests).toBeGreaterThan(0);
      expect(seen.at(-1)?.requests).toBeLessThanOrEqual(m.requests);
      // notifications of an interrupted run are still all collected
      expect(m.notifications).toBe(m.zcRequests);
      expect(m.intervals.length).toBeGreaterThanOrEqual(4);
    }
  });

  it("resolves at once with an already aborted signal", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const abort = new AbortController();
    abort.abort();
    const raw = await lib().runCase(
      toNativePlan(planFor("{ mode: send, duration: 20s, warmup: 5s }"), sink()),
      { signal: abort.signal },
    );
    expect(raw.status).toBe(0);
    expect(raw.interrupted).toBe(1);
    expect(raw.elapsed_ns).toBeLessThan(1e9);
  });
});

/** A TCP peer on loopback that checks the stream is whole payloads back to back. */
class Drain {
  server: Server;
  bytes = 0;
  mismatches = 0;
  connections = 0;
  /** re-checks what settle() waits for, on every chunk */
  private arrived: () => void = () => undefined;
  constructor(
    private size: number,
    private pattern: Case["buffers"]["pattern"],
  ) {
    this.server = createServer((sock) => {
      this.connections++;
      let n = 0;
      sock.on("data", (chunk: Buffer) => {
        for (let i = 0; i < chunk.length; i++, n++) {
          if (chunk[i] !== patternByte(this.pattern, n % this.size)) this.mismatches++;
        }
        this.bytes += chunk.length;
        this.arrived();
      });
      sock.on("error", () => undefined);
    });
  }
  listen(host: string): Promise<number> {
    return new Promise((resolve) =>
      this.server.listen(0, host, () => resolve((this.server.address() as AddressInfo).port)),
    );
  }
  /** wait until `bytes` arrived (the sender's count), then close */
  async settle(bytes: number) {
    const all = condition(() => this.bytes >= bytes);
    this.arrived = all.check;
    await all.met;
    await new Promise((r) => this.server.close(r));
  }
}

describe("TCP on loopback, with a drain that checks the pattern", () => {
  const TCP_MODES = ["send", "send_zc", "sendmsg", "sendmsg_zc", "msg_zerocopy", "sendto"];

  for (const mode of TCP_MODES) {
    it(`${mode}: every byte arrives, in order, as the pattern`, async (ctx) => {
      if (blocker) return ctx.skip(blocker);
      const drain = new Drain(1500, "sequence");
      const port = await drain.listen("127.0.0.1");
      const plan = planFor(
        `{ mode: ${mode}, duration: 100ms, warmup: 0, batch: 4, socket: { type: tcp, port: ${port}, nodelay: true }, buffers: { size: 1500, count: 4, offset: 5, pattern: sequence } }`,
      );
      const raw = await lib().runCase(toNativePlan(plan, LOOPBACK4));
      expect(raw.status, raw.message).toBe(0);
      const m = measure(raw);
      await drain.settle(m.bytes);
      expect(m.errors).toBe(0);
      expect(m.requests).toBeGreaterThan(0);
      expect(m.notifications).toBe(m.zcRequests);
      expect(drain.connections).toBe(1);
      // warmup is 0, so the drain saw exactly the measured bytes
      expect(drain.bytes).toBe(m.bytes);
      expect(drain.mismatches).toBe(0);
    });
  }

  it("keeps the flush policies' promises on a stream too", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const mode of ["send_zc", "sendmsg_zc", "msg_zerocopy"]) {
      for (const reuse of ["after_batch", "after_notification"]) {
        const drain = new Drain(3000, "alphabet");
        const port = await drain.listen("127.0.0.1");
        const plan = planFor(
          `{ mode: ${mode}, duration: 100ms, warmup: 0, batch: 4, notifications: { reuse: ${reuse} }, socket: { type: tcp, port: ${port} }, buffers: { size: 3000, count: 4 } }`,
        );
        const raw = await lib().runCase(toNativePlan(plan, LOOPBACK4));
        expect(raw.status, raw.message).toBe(0);
        const m = measure(raw);
        await drain.settle(m.bytes);
        const name = `${mode} ${reuse}`;
        expect(m.errors, name).toBe(0);
        expect(m.notifications, name).toBe(m.zcRequests);
        if (reuse === "after_batch") expect(m.maxOutstanding, name).toBeLessThanOrEqual(4);
        else expect(m.reuseBusy, name).toBe(0);
        expect(drain.bytes, name).toBe(m.bytes);
        expect(drain.mismatches, name).toBe(0);
      }
    }
  });

  it("shows loopback copying zerocopy data: report_usage and msg_zerocopy count it", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const mode of ["send_zc", "sendmsg_zc", "msg_zerocopy"]) {
      const drain = new Drain(4000, "alphabet");
      const port = await drain.listen("127.0.0.1");
      const plan = planFor(
        `{ mode: ${mode}, requests: 200, duration: 1s, warmup: 0, notifications: { report_usage: ${mode !== "msg_zerocopy"} }, socket: { type: tcp, port: ${port} } }`,
      );
      const m = measure(await lib().runCase(toNativePlan(plan, LOOPBACK4)));
      await drain.settle(m.bytes);
      expect(m.requests, mode).toBe(200);
      expect(m.notifications, mode).toBe(200);
      // every notification of a loopback delivery says its data was copied
      expect(m.zcCopied, mode).toBe(m.notifications);
    }
  });

  it("stops at the abort even when a stalled TCP peer blocks every send", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const mode of ["send", "send_zc", "sendto", "msg_zerocopy"]) {
      // a peer that accepts and never reads: the sender's socket fills and stays full
      const server = createServer((sock) => sock.pause());
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as AddressInfo).port;
      const abort = new AbortController();
      const plan = planFor(
        `{ mode: ${mode}, duration: 20s, warmup: 0, socket: { type: tcp, port: ${port} }, buffers: { size: 60000 } }`,
      );
      const raw = await lib().runCase(toNativePlan(plan, LOOPBACK4), {
        signal: abort.signal,
        intervalMs: 20,
        onProgress: abortWhenStuck(abort),
      });
      server.close();
      // status 0: the abort ended the blocked send; the 5 s stall limit (ZC_STALL_NS) would
      // have ended it with ETIMEDOUT, and the 20 s duration cannot end a blocked send at all
      expect(raw.status, `${mode}: ${raw.message}`).toBe(0);
      expect(raw.interrupted, mode).toBe(1);
      expect(raw.requests, mode).toBeGreaterThan(0);
    }
  });

  it("lets a receiver catch a corrupted payload (ZCSPEC_TEST_CORRUPT_PATTERN=1)", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const drain = new Drain(1000, "alphabet");
    const port = await drain.listen("127.0.0.1");
    process.env[CORRUPT_PATTERN_ENV] = "1";
    let plan: ReturnType<typeof toNativePlan>;
    try {
      plan = toNativePlan(
        planFor(
          `{ mode: send_zc, requests: 10, duration: 1s, warmup: 0, socket: { type: tcp, port: ${port} }, buffers: { size: 1000 } }`,
        ),
        LOOPBACK4,
      );
    } finally {
      delete process.env[CORRUPT_PATTERN_ENV];
    }
    const raw = await lib().runCase(plan);
    expect(raw.status, raw.message).toBe(0);
    await drain.settle(raw.bytes);
    expect(raw.requests).toBe(10);
    // one byte per payload
    expect(drain.mismatches).toBe(10);
  });

  it("runs IPv6 and several threads, one connection each", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const drain = new Drain(2000, "alphabet");
    const port = await drain.listen("::1");
    const plan = planFor(
      `{ mode: send_zc, duration: 100ms, warmup: 0, threads: { count: 2 }, socket: { family: ipv6, type: tcp, port: ${port} }, buffers: { size: 2000 } }`,
    );
    const raw = await lib().runCase(toNativePlan(plan, LOOPBACK6));
    expect(raw.status, raw.message).toBe(0);
    const m = measure(raw);
    await drain.settle(m.bytes);
    expect(drain.connections).toBe(2);
    expect(drain.bytes).toBe(m.bytes);
    expect(drain.mismatches).toBe(0);
    // loopback delivery copies: report_usage would say so; notifications still match
    expect(m.notifications).toBe(m.zcRequests);
  });

  it("says when no TCP receiver listens", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const drain = new Drain(100, "alphabet");
    const port = await drain.listen("127.0.0.1");
    await drain.settle(0); // closed: the port now refuses
    const raw = await lib().runCase(
      toNativePlan(planFor(`{ mode: send, socket: { type: tcp, port: ${port} } }`), LOOPBACK4),
    );
    expect(raw.status).toBe(-111);
    expect(raw.message).toContain("no TCP receiver listening");
  });
});

describe("UDP on IPv6 loopback, with a receiver that checks every datagram", () => {
  it("sends every request as one datagram carrying the pattern from its first byte", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const mode of ["send", "send_zc", "sendmsg_zc", "msg_zerocopy", "sendto"]) {
      for (const connect of [true, false]) {
        const rx = createSocket({ type: "udp6", recvBufferSize: 4 << 20 });
        let datagrams = 0;
        let mismatches = 0;
        const all = condition(() => datagrams >= 200);
        rx.on("message", (msg: Buffer) => {
          datagrams++;
          if (msg.length !== 1000) mismatches++;
          for (let i = 0; i < msg.length; i++)
            if (msg[i] !== patternByte("sequence", i)) mismatches++;
          all.check();
        });
        await new Promise<void>((r) => rx.bind(0, "::1", r));
        const plan = planFor(
          `{ mode: ${mode}, requests: 200, duration: 2s, warmup: 0, socket: { family: ipv6, connect: ${connect}, port: ${rx.address().port} }, buffers: { size: 1000, count: 3, offset: 7, pattern: sequence } }`,
        );
        const raw = await lib().runCase(toNativePlan(plan, LOOPBACK6));
        await all.met;
        rx.close();
        const name = `${mode} connect=${connect}`;
        expect(raw.status, `${name}: ${raw.message}`).toBe(0);
        expect(raw.requests, name).toBe(200);
        expect(datagrams, name).toBe(200);
        expect(mismatches, name).toBe(0);
      }
    }
  });
});
