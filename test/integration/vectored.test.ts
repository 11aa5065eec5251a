import { readFileSync } from "node:fs";
import { type AddressInfo, createServer, type Server } from "node:net";
import { release } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { capabilitySkip, probeCapabilities } from "../../src/env/probe.js";
import type { CaseResult, RunResult } from "../../src/model/results.js";
import { loadNative } from "../../src/native/library.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { measure } from "../../src/native/result.js";
import { runSpec } from "../../src/runner/run-spec.js";
import { readSpecText } from "../../src/spec/read.js";
import { integrationBlocker, NATIVE_LIB, ROOT } from "../helpers/env.js";
import { LOOPBACK4, patternByte, planFor, runCorrupted, sharedSink } from "../helpers/native.js";
import { condition } from "../helpers/wait.js";

const blocker = integrationBlocker();
const lib = () => loadNative(NATIVE_LIB);

const REQUESTS = 300;
const SIZE = 4000;

/**
 * Every vectored path on the pair, verified byte by byte by the built-in
 * receiver: 300 requests of 4000 bytes each, the sequence pattern (a piece
 * in the wrong place shows). A zerocopy datagram charges the receiving
 * socket about a page per iovec (64 pages for 4000 bytes at iov 64), so the
 * receive buffer is made big enough for all 300 at that: UDP then loses
 * nothing however late the receiver thread runs.
 */
const SPEC = `version: 1
name: vectored
defaults:
  target: pair
  requests: ${REQUESTS}
  duration: 10s
  warmup: 0ms
  batch: 1
  buffers: { size: ${SIZE}, count: 4, pattern: sequence }
  receiver: { rcvbuf: 128MiB }
matrix:
  mode: [sendmsg_zc]
  socket.type: [udp, tcp]
  buffers.iov: [1, 3, 64]
  buffers.register: [none, fixed]
  exclude:
    # more fragments than any datagram holds: a spec error (ZC_IOV_FRAGS)
    - { socket.type: udp, buffers.iov: 64, buffers.register: fixed }
cases:
  - { name: send-3-udp, mode: send, buffers: { iov: 3 } }
  - { name: send-64-tcp, mode: send, socket: { type: tcp }, buffers: { iov: 64 } }
  - { name: send_zc-3-udp, mode: send_zc, buffers: { iov: 3 } }
  - { name: send_zc-64-udp, mode: send_zc, buffers: { iov: 64 } }
  - { name: send_zc-3-tcp, mode: send_zc, socket: { type: tcp }, buffers: { iov: 3 } }
  - { name: send_zc-64-tcp, mode: send_zc, socket: { type: tcp }, buffers: { iov: 64 } }
  - { name: send_zc-unconnected, mode: send_zc, socket: { connect: false }, buffers: { iov: 5 } }
  - { name: sendmsg_zc-unconnected, mode: sendmsg_zc, socket: { connect: false }, buffers: { iov: 5 } }
  - { name: sendmsg-udp, mode: sendmsg, buffers: { iov: 4 } }
  - { name: sendmsg-tcp, mode: sendmsg, socket: { type: tcp }, buffers: { iov: 4 } }
  - { name: msg_zerocopy-udp, mode: msg_zerocopy, buffers: { iov: 4 } }
  - { name: msg_zerocopy-tcp, mode: msg_zerocopy, socket: { type: tcp }, buffers: { iov: 4 } }
  - { name: sendto-udp, mode: sendto, buffers: { iov: 4 } }
  - { name: sendto-tcp, mode: sendto, socket: { type: tcp }, buffers: { iov: 4 } }
  - name: mixed
    mode: mixed
    mix: { order: rotate, weights: { send: 1, send_zc: 1, sendmsg: 1, sendmsg_zc: 1, sendmsg_zc_fixed: 1 } }
    buffers: { iov: 7 }
`;

describe("vectored requests (buffers.iov) on the pair, verified by the receiver", () => {
  let run: RunResult;
  beforeAll(async () => {
    if (blocker) return;
    run = await runSpec(readSpecText(join(ROOT, "test/vectored.yaml"), SPEC));
  }, 120_000);

  it("runs every case", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    // 11 sendmsg_zc cells and 15 named cases
    expect(run.results).toHaveLength(26);
  });

  it("delivers every byte of every request in its place: 0 mismatches, every byte checked", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    for (const r of run.results) {
      const name = `${r.case.name}: ${r.reason ?? ""}`;
      const m = r.measured;
      const t = m?.target;
      expect(r.status, name).toBe("passed");
      expect(m?.requests, name).toBe(REQUESTS);
      expect(m?.bytes, name).toBe(REQUESTS * SIZE);
      expect(m?.errors, name).toBe(0);
      expect(t?.rxBytes, name).toBe(m?.bytes);
      expect(t?.rxChecked, name).toBe(m?.bytes);
      expect(t?.rxMismatches, name).toBe(0);
      if (r.case.socket.type === "udp") expect(t?.rxDatagrams, name).toBe(REQUESTS);
    }
  });

  it("sent sendmsg_zc from registered buffers where asked, and a vectored send_zc from plain ones", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const kinds = (r: CaseResult) => r.measured?.requestsByKind;
    for (const r of run.results.filter((x) => x.case.mode === "sendmsg_zc")) {
      const fixed = r.case.buffers.register !== "none";
      expect(kinds(r), r.case.name).toEqual(
        fixed ? { sendmsg_zc_fixed: REQUESTS } : { sendmsg_zc: REQUESTS },
      );
    }
    for (const r of run.results.filter((x) => x.case.mode === "send_zc"))
      expect(kinds(r), r.case.name).toEqual({ send_zc: REQUESTS });
    const mixed = run.results.find((x) => x.case.mode === "mixed");
    // rotate: 300 requests over 5 equal weights
    expect(kinds(mixed as CaseResult)).toEqual({
      send: 60,
      send_zc: 60,
      sendmsg: 60,
      sendmsg_zc: 60,
      sendmsg_zc_fixed: 60,
    });
  });
});

describe("the executor's own check of iov", () => {
  it("refuses what the spec rules refuse, before sending anything", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const refused = async (defaults: string, over: Partial<ReturnType<typeof toNativePlan>>) => {
      const raw = await lib().runCase({ ...toNativePlan(planFor(defaults), LOOPBACK4), ...over });
      expect(raw.requests + raw.errors).toBe(0);
      return [raw.status, raw.message];
    };
    expect(await refused("{ buffers: { size: 10 } }", { iov: 11 })).toEqual([
      -22,
      "iov 11 must be 1..64 and at most the buffer size",
    ]);
    expect(await refused("{}", { iov: 65 })).toEqual([
      -22,
      "iov 65 must be 1..64 and at most the buffer size",
    ]);
    const fixedSend =
      "iov 2 on send/send_zc from registered buffers: IORING_SEND_VECTORIZED takes none";
    expect(await refused("{ mode: send_zc, buffers: { register: fixed } }", { iov: 2 })).toEqual([
      -22,
      fixedSend,
    ]);
    expect(await refused("{ mode: send, buffers: { register: mixed } }", { iov: 2 })).toEqual([
      -22,
      fixedSend,
    ]);
    expect(await refused("{ mode: mixed }", { iov: 2 })).toEqual([-22, fixedSend]);
  });
});

/** This kernel's MAX_SKB_FRAGS as far as a sysctl tells: net.core.max_skb_frags defaults to it. */
function maxSkbFrags(): number {
  return Number(readFileSync("/proc/sys/net/core/max_skb_frags", "utf8"));
}

describe("UDP sendmsg_zc from a registered buffer: a fragment per piece", () => {
  const sink = sharedSink(blocker);

  it("fits MAX_SKB_FRAGS pieces in a datagram and refuses one more with EMSGSIZE, as ZC_IOV_FRAGS warns", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const frags = maxSkbFrags();
    if (frags !== 17)
      return ctx.skip(`net.core.max_skb_frags is ${frags}, not the default build's 17`);
    // 4000 bytes in one page: exactly `iov` fragments
    const run = (iov: number) =>
      lib().runCase(
        toNativePlan(
          planFor(
            `{ mode: sendmsg_zc, requests: 20, duration: 2s, warmup: 0, buffers: { register: fixed, iov: ${iov} } }`,
          ),
          sink(),
        ),
      );
    const fits = measure(await run(17));
    expect(fits.errors).toBe(0);
    expect(fits.requests).toBe(20);
    const over = measure(await run(18));
    expect(over.requests).toBe(0);
    expect(over.errnos).toEqual({ EMSGSIZE: 20 });
  });
});

describe("the corrupt-pattern hook with vectored requests", () => {
  it("is caught: one mismatched byte per payload, the case failed", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const run = await runCorrupted(
      "test/vectored-corrupt.yaml",
      `version: 1
name: corrupt
defaults: { target: loopback, requests: 100, duration: 5s, warmup: 0ms, batch: 1, buffers: { size: 4000, count: 2, iov: 3 }, receiver: { rcvbuf: 4MiB } }
matrix:
  mode: [send_zc, sendmsg_zc, sendto]
  socket.type: [udp, tcp]
`,
    );
    expect(run.results).toHaveLength(6);
    for (const r of run.results) {
      expect(r.measured?.requests, r.case.name).toBe(100);
      expect(r.measured?.target?.rxMismatches, r.case.name).toBe(100);
      expect(r.status, r.case.name).toBe("failed");
    }
  });
});

/**
 * A TCP peer on loopback that reads in bursts 60 ms apart (so the sender's
 * blocking sends time out part way) and checks the stream is whole payloads
 * back to back.
 */
class SlowDrain {
  server: Server;
  bytes = 0;
  mismatches = 0;
  /** re-checks what settle() waits for, on every chunk */
  private arrived: () => void = () => undefined;
  constructor(size: number) {
    let n = 0;
    this.server = createServer((sock) => {
      sock.on("data", (chunk: Buffer) => {
        for (let i = 0; i < chunk.length; i++, n++)
          if (chunk[i] !== patternByte("sequence", n % size)) this.mismatches++;
        this.bytes += chunk.length;
        this.arrived();
        sock.pause();
        setTimeout(() => sock.resume(), 60);
      });
      sock.on("error", () => undefined);
    });
  }
  listen(): Promise<number> {
    return new Promise((resolve) =>
      this.server.listen(0, "127.0.0.1", () =>
        resolve((this.server.address() as AddressInfo).port),
      ),
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

describe("a syscall mode's short TCP write with iovecs", () => {
  for (const mode of ["msg_zerocopy", "sendto"]) {
    it(`${mode}: finishes the payload from the piece where the write stopped`, async (ctx) => {
      if (blocker) return ctx.skip(blocker);
      const size = 256 * 1024;
      const drain = new SlowDrain(size);
      const port = await drain.listen();
      const plan = planFor(
        `{ mode: ${mode}, duration: 300ms, warmup: 0, batch: 1, socket: { type: tcp, port: ${port}, sndbuf: 64KiB }, buffers: { size: 256KiB, count: 2, offset: 3, iov: 63, pattern: sequence } }`,
      );
      const m = measure(await lib().runCase(toNativePlan(plan, LOOPBACK4)));
      await drain.settle(m.bytes);
      expect(m.errors).toBe(0);
      expect(m.requests).toBeGreaterThan(0);
      expect(m.bytes).toBe(m.requests * size);
      // msg_zerocopy counts its calls: payloads did go out in several each
      if (mode === "msg_zerocopy") expect(m.zcRequests).toBeGreaterThan(m.requests);
      expect(drain.bytes).toBe(m.bytes);
      expect(drain.mismatches).toBe(0);
    }, 20_000);
  }
});

describe("the probe's send_vectorized", () => {
  const sink = sharedSink(blocker);

  it("works from Linux 6.17 on and agrees with a real vectored send_zc", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const caps = probeCapabilities(lib());
    const [major = 0, minor = 0] = release().split(".").map(Number);
    const state = caps.features.send_vectorized;
    expect(state.ok, JSON.stringify(state)).toBe(major > 6 || (major === 6 && minor >= 17));
    const plan = planFor(
      "{ mode: send_zc, requests: 8, duration: 1s, warmup: 0, buffers: { iov: 2 } }",
    );
    const m = measure(await lib().runCase(toNativePlan(plan, sink())));
    expect(m.errors === 0 && m.requests === 8).toBe(state.ok);
    if (state.ok) expect(capabilitySkip(plan, caps)).toBeUndefined();
    else expect(capabilitySkip(plan, caps)).toContain(`(${state.error})`);
  });
});
