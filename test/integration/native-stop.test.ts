import { readdirSync, readFileSync } from "node:fs";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { settle } from "../../src/env/receiving.js";
import { createSink } from "../../src/env/sink.js";
import type { RawResult } from "../../src/native/abi.js";
import { loadNative } from "../../src/native/library.js";
import { CORRUPT_PATTERN_ENV, toNativePlan } from "../../src/native/marshal.js";
import { startReceiver } from "../../src/native/receiver.js";
import { integrationBlocker, NATIVE_LIB } from "../helpers/env.js";
import { abortWhenStuck, LOOPBACK4, planFor } from "../helpers/native.js";

const blocker = integrationBlocker();
const lib = () => loadNative(NATIVE_LIB);

/**
 * A TCP peer on loopback that never reads (the sender's socket fills and
 * stays full), or, given pauseMs, reads in bursts that far apart (the
 * sender's blocking sends time out part way).
 */
class Peer {
  private server: Server;
  private socks: Socket[] = [];
  constructor(pauseMs?: number) {
    this.server = createServer((sock) => {
      this.socks.push(sock);
      sock.on("error", () => undefined);
      if (pauseMs === undefined) {
        sock.pause();
        return;
      }
      sock.on("data", () => {
        sock.pause();
        setTimeout(() => sock.resume(), pauseMs);
      });
    });
  }
  listen(): Promise<number> {
    return new Promise((resolve) =>
      this.server.listen(0, "127.0.0.1", () =>
        resolve((this.server.address() as AddressInfo).port),
      ),
    );
  }
  /** drop the connections too: a sender still blocked on them then fails instead of hanging */
  close() {
    for (const s of this.socks) s.destroy();
    this.server.close();
  }
}

/** The case's result, or "hung" when it has not returned within ms. */
function within(running: Promise<RawResult>, ms: number): Promise<RawResult | "hung"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"hung">((r) => {
    timer = setTimeout(() => r("hung"), ms);
  });
  return Promise.race([running, late]).finally(() => clearTimeout(timer));
}

const STALL_CASES = ["send", "send_zc"].flatMap((mode) =>
  ["submit", "submit_and_wait"].map((submit) => ({ mode, submit })),
);

describe("io_uring TCP send loops against a peer that never reads", () => {
  for (const { mode, submit } of STALL_CASES) {
    it(`${mode} ${submit}: stops soon after the stop flag`, async (ctx) => {
      if (blocker) return ctx.skip(blocker);
      const peer = new Peer();
      const port = await peer.listen();
      const abort = new AbortController();
      const plan = planFor(
        `{ mode: ${mode}, submit: ${submit}, duration: 20s, warmup: 0, socket: { type: tcp, port: ${port} }, buffers: { size: 60000 } }`,
      );
      const running = lib().runCase(toNativePlan(plan, LOOPBACK4), {
        signal: abort.signal,
        intervalMs: 20,
        onProgress: abortWhenStuck(abort),
      });
      try {
        const raw = await running;
        // status 0: the stop flag ended the stuck wait (the loop sees it within a 50 ms wait
        // slice); the 5 s stall limit (ZC_STALL_NS) would have ended it with ETIMEDOUT, and
        // the 20 s duration cannot end a stuck wait at all
        expect(raw.status, raw.message).toBe(0);
        expect(raw.interrupted).toBe(1);
        expect(raw.requests).toBeGreaterThan(0);
      } finally {
        peer.close();
        await running;
      }
    });

    // submit waits in slices already; submit_and_wait used to block in the kernel for good
    if (submit !== "submit_and_wait") continue;
    it(`${mode} ${submit}: ends by itself when its duration is up`, async (ctx) => {
      if (blocker) return ctx.skip(blocker);
      const peer = new Peer();
      const port = await peer.listen();
      const plan = planFor(
        `{ mode: ${mode}, submit: ${submit}, duration: 200ms, warmup: 0, socket: { type: tcp, port: ${port} }, buffers: { size: 60000 } }`,
      );
      const running = lib().runCase(toNativePlan(plan, LOOPBACK4));
      try {
        // a batch stuck behind the stall is bounded by the 5 s stall limit
        const raw = await within(running, 8000);
        if (raw === "hung") throw new Error(`${mode} ${submit}: still running after 8 s`);
        expect(raw.interrupted).toBe(0);
        expect(raw.requests).toBeGreaterThan(0);
        // either the window closed on time, or the stall limit ended it with its reason
        if (raw.status !== 0) {
          expect(raw.status).toBe(-110);
          expect(raw.message).toMatch(/no completion for 5 s/);
        }
      } finally {
        peer.close();
        await running;
      }
    }, 15000);
  }
});

describe("the receiver with corked UDP: several payloads per datagram", () => {
  for (const cork of ["udp_cork", "msg_more"]) {
    for (const corrupt of [false, true]) {
      it(`${cork}${corrupt ? ", one byte wrong per payload" : ""}: verifies each payload`, async (ctx) => {
        if (blocker) return ctx.skip(blocker);
        const rx = startReceiver(
          {
            family: "ipv4",
            proto: "udp",
            addr: [127, 0, 0, 1],
            port: 0,
            rcvbuf: 4 << 20,
            netnsPath: "",
          },
          NATIVE_LIB,
        );
        try {
          rx.expect("sequence", 1000);
          if (corrupt) process.env[CORRUPT_PATTERN_ENV] = "1";
          let plan: ReturnType<typeof toNativePlan>;
          try {
            plan = toNativePlan(
              planFor(
                `{ mode: send, requests: 40, batch: 4, duration: 2s, warmup: 0, socket: { cork: ${cork}, port: ${rx.port} }, buffers: { size: 1000, count: 4, pattern: sequence } }`,
              ),
              LOOPBACK4,
            );
          } finally {
            delete process.env[CORRUPT_PATTERN_ENV];
          }
          const raw = await lib().runCase(plan);
          expect(raw.status, raw.message).toBe(0);
          expect(raw.requests).toBe(40);
          const got = await settle(rx);
          expect(got.bytes).toBe(40_000);
          // a batch leaves as one datagram of 4 payloads
          expect(got.datagrams).toBe(10);
          expect(got.mismatches).toBe(corrupt ? 40 : 0);
        } finally {
          rx.stop();
        }
      });
    }
  }
});

describe("msg_zerocopy over TCP when a payload takes several sendmsg calls", () => {
  it("owes one notification per call that sent something, and gets each", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const peer = new Peer(60);
    const port = await peer.listen();
    const plan = planFor(
      `{ mode: msg_zerocopy, duration: 300ms, warmup: 0, batch: 1, socket: { type: tcp, port: ${port}, sndbuf: 64KiB }, buffers: { size: 256KiB, count: 2 } }`,
    );
    try {
      const raw = await within(lib().runCase(toNativePlan(plan, LOOPBACK4)), 10_000);
      if (raw === "hung") throw new Error("still running after 10 s");
      expect(raw.status, raw.message).toBe(0);
      expect(raw.requests).toBeGreaterThan(0);
      // the point of the case: payloads did go out in several calls each
      expect(raw.zc_requests).toBeGreaterThan(raw.requests);
      expect(raw.notif_unexpected).toBe(0);
      expect(raw.notifications).toBe(raw.zc_requests);
      expect(raw.owed_notifications).toBe(0);
    } finally {
      peer.close();
    }
  });
});

/** This process's threads (io_uring's io-wq workers aside): tid -> blocked-signal mask. */
function threadMasks(): Map<string, bigint> {
  const masks = new Map<string, bigint>();
  for (const tid of readdirSync("/proc/self/task")) {
    try {
      const st = readFileSync(`/proc/self/task/${tid}/status`, "utf8");
      const blk = st.match(/^SigBlk:\s*([0-9a-f]+)/m)?.[1];
      if (blk && !/^Name:\s*iou-/m.test(st)) masks.set(tid, BigInt(`0x${blk}`));
    } catch {
      // the thread ended meanwhile
    }
  }
  return masks;
}

describe("sender threads", () => {
  it("block every signal, so node's handlers always run on its own threads", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const sink = await createSink();
    try {
      const plan = (d: string) =>
        toNativePlan(
          planFor(`{ mode: send, duration: ${d}, warmup: 0, threads: { count: 2 } }`),
          sink,
        );
      // a first case starts libuv's worker pool, so what is new during the second is its senders
      await lib().runCase(plan("10ms"));
      const before = threadMasks();
      // the first progress report comes once every sender passed the start gate: all are up
      const abort = new AbortController();
      let senders: [string, bigint][] = [];
      const raw = await lib().runCase(plan("20s"), {
        signal: abort.signal,
        intervalMs: 20,
        onProgress: () => {
          if (abort.signal.aborted) return;
          senders = [...threadMasks()].filter(([tid]) => !before.has(tid));
          abort.abort();
        },
      });
      expect(raw.status, raw.message).toBe(0);
      expect(senders).toHaveLength(2);
      for (const [tid, mask] of senders) {
        for (const sig of [2, 15, 17])
          expect((mask >> BigInt(sig - 1)) & 1n, `${tid} ${sig}`).toBe(1n);
      }
    } finally {
      await sink.close();
    }
  });
});

describe("entering a network namespace that is not there", () => {
  const path = `/run/netns/zcspec-missing-${process.pid}`;

  it("says why, and names CAP_SYS_ADMIN only for EPERM", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const raw = await lib().runCase(
      toNativePlan(planFor("{ mode: send, duration: 10ms, warmup: 0 }"), {
        ...LOOPBACK4,
        netnsPath: path,
      }),
    );
    expect(raw.status).toBe(-2);
    expect(raw.message).toBe(`enter network namespace ${path}: No such file or directory`);
    expect(() =>
      startReceiver(
        { family: "ipv4", proto: "udp", addr: [127, 0, 0, 1], port: 0, rcvbuf: 0, netnsPath: path },
        NATIVE_LIB,
      ),
    ).toThrow(
      `the receiver could not start: enter network namespace ${path}: No such file or directory (-2)`,
    );
  });
});
