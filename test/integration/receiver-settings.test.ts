import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { CaseResult, RunResult } from "../../src/model/results.js";
import { CORRUPT_PATTERN_ENV } from "../../src/native/marshal.js";
import { type Receiver, startReceiver } from "../../src/native/receiver.js";
import { runSpec } from "../../src/runner/run-spec.js";
import { readSpecText } from "../../src/spec/read.js";
import { integrationBlocker, NATIVE_LIB, ROOT } from "../helpers/env.js";

const loopbackBlocker = existsSync(NATIVE_LIB)
  ? undefined
  : `native library not built (${NATIVE_LIB}); run npm run build:native`;
const pairBlocker = integrationBlocker();

/** Each verify setting over UDP and TCP on loopback; no warmup, so TCP's bytes are the sender's. */
const VERIFY = `version: 1
name: verify
defaults:
  target: loopback
  mode: send
  buffers: { size: 4000, count: 2 }
  receiver: { sample_every: 4 }
  duration: 150ms
  warmup: 0ms
matrix:
  receiver.verify: [full, sample, off]
  socket.type: [udp, tcp]
`;

/** The kernel selftest's -m 3 through the whole pipeline, UDP and TCP. */
const MIXED = `version: 1
name: mixed
defaults:
  target: loopback
  mode: mixed
  buffers: { size: 4000, count: 4 }
  duration: 150ms
  warmup: 20ms
matrix:
  socket.type: [udp, tcp]
  include:
    - { socket.type: tcp, batch: 1 }
`;

const run = (name: string, text: string) =>
  runSpec(readSpecText(join(ROOT, `test/${name}.yaml`), text));

function byName(r: RunResult, name: string): CaseResult {
  const found = r.results.find((x) => x.case.name === name);
  if (!found) throw new Error(`no case ${name}`);
  return found;
}

describe("receiver settings on loopback", () => {
  let verify: RunResult;
  let mixed: RunResult;

  beforeAll(async () => {
    if (loopbackBlocker) return;
    verify = await run("verify", VERIFY);
    mixed = await run("mixed", MIXED);
  }, 30_000);

  it("full compares every byte, sample a part, off none, and each says how much", (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    for (const r of verify.results) {
      const t = r.measured?.target ?? {};
      expect(r.status, `${r.case.name}: ${r.reason}`).toBe("passed");
      expect(t.rxBytes, r.case.name).toBeGreaterThan(0);
      expect(t.rxMismatches, r.case.name).toBe(0);
      if (r.case.socket.type === "tcp") expect(t.rxBytes, r.case.name).toBe(r.measured?.bytes);
      else expect(t.rxBytes, r.case.name).toBe((t.rxDatagrams ?? 0) * 4000);
      const check = r.checks.some((c) => c.name === "received pattern mismatches");
      switch (r.case.receiver.verify) {
        case "full":
          expect(t.rxChecked, r.case.name).toBe(t.rxBytes);
          expect(check, r.case.name).toBe(true);
          break;
        case "sample":
          expect(t.rxChecked, r.case.name).toBeGreaterThan(0);
          expect(t.rxChecked, r.case.name).toBeLessThan((t.rxBytes ?? 0) / 2);
          expect(check, r.case.name).toBe(true);
          break;
        default:
          // nothing compared: bytes counted, no claim about the pattern made
          expect(t.rxChecked, r.case.name).toBe(0);
          expect(check, r.case.name).toBe(false);
      }
    }
  });

  it("reports the receiver's CPU time per request and its rate beside the sender's", (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    for (const r of verify.results) {
      const t = r.measured?.target ?? {};
      expect(t.rxCpuNs, r.case.name).toBeGreaterThan(0);
      // a receiver thread cannot have used more CPU than the wall time the case took
      expect(t.rxCpuNs, r.case.name).toBeLessThan(2e9);
      expect(t.rxCpuNsPerRequest, r.case.name).toBeCloseTo(
        ((t.rxCpuNs ?? 0) * 4000) / (t.rxBytes ?? 1),
        6,
      );
      expect(t.rxGbps, r.case.name).toBeGreaterThan(0);
    }
  });

  it("catches a corrupted byte with verify: sample, on UDP and TCP", async (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    process.env[CORRUPT_PATTERN_ENV] = "1";
    let corrupt: RunResult;
    try {
      // the flipped byte sits mid-payload: past the sampled prefix, so only full checks see it
      corrupt = await run(
        "corrupt-sample",
        VERIFY.replace("receiver.verify: [full, sample, off]", "receiver.verify: [sample]"),
      );
    } finally {
      delete process.env[CORRUPT_PATTERN_ENV];
    }
    for (const r of corrupt.results) {
      const t = r.measured?.target ?? {};
      expect(t.rxMismatches, r.case.name).toBeGreaterThan(0);
      expect(r.status, r.case.name).toBe("failed");
      expect(r.checks.find((c) => !c.pass)?.name).toBe("received pattern mismatches");
    }
  });

  it("mixes copying and zerocopy requests, one notification per zerocopy request only", (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    for (const name of ["type=udp", "type=tcp"]) {
      const r = byName(mixed, name);
      const m = r.measured;
      expect(r.status, `${name}: ${r.reason}`).toBe("passed");
      expect(r.case.batch).toBe(name === "type=tcp" ? 1 : 8);
      if (!m) throw new Error("no figures");
      expect(Object.keys(m.requestsByKind ?? {}).sort()).toEqual([
        "send",
        "send_zc",
        "send_zc_fixed",
      ]);
      expect(m.zcSent).toBe(
        (m.requestsByKind?.send_zc ?? 0) + (m.requestsByKind?.send_zc_fixed ?? 0),
      );
      // some requests copied, the others each owed and got exactly one notification
      expect(m.requestsByKind?.send).toBeGreaterThan(0);
      expect(m.zcSent).toBeLessThan(m.requests);
      expect(m.zcRequests).toBe(m.zcSent);
      expect(m.notifications).toBe(m.zcSent);
      expect(m.moreOnPlain).toBe(0);
      expect(r.checks.find((c) => c.name === "requests owing a notification")?.pass).toBe(true);
      expect(r.measured?.target.rxMismatches).toBe(0);
    }
  });
});

describe("a TCP sender with one request at a time in flight", () => {
  it("is not held by the receiver's low-water mark: each request is read, and acknowledged, at once", async (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const r = await run(
      "one-in-flight",
      `version: 1
name: one-in-flight
defaults:
  target: loopback
  mode: send_zc
  socket: { type: tcp }
  buffers: { size: 1000, count: 1 }
  batch: 1
  notifications: { reuse: after_notification }
  receiver: { verify: off }
  duration: 300ms
  warmup: 0ms
`,
    );
    const [c] = r.results;
    expect(c?.status, c?.reason).toBe("passed");
    // each request waits for its notification, so for the ACK: were the receiver
    // to leave 1000 bytes below a 64 KiB mark for its 10 ms tail read, 300 ms would
    // hold about 30 requests; read at once, thousands even on a loaded machine
    expect(c?.measured?.requests).toBeGreaterThan(150);
  });
});

describe("the receiver thread", () => {
  let rx: Receiver | undefined;
  afterEach(() => {
    rx?.stop();
    rx = undefined;
  });

  /** The receiver threads of this process: /proc/self/task/N whose comm is zcspec-rx. */
  const receiverThreads = () =>
    readdirSync("/proc/self/task")
      .map((tid) => `/proc/self/task/${tid}`)
      .filter((t) => readFileSync(`${t}/comm`, "utf8").trim() === "zcspec-rx");

  it("runs pinned to receiver.cpu, and says which CPU it could not take", (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const udp = { family: "ipv4" as const, proto: "udp" as const, addr: [127, 0, 0, 1], port: 0 };
    const before = receiverThreads().length;
    rx = startReceiver({ ...udp, rcvbuf: 0, netnsPath: "", cpu: 0 }, NATIVE_LIB);
    const mine = receiverThreads();
    expect(mine.length).toBe(before + 1);
    const allowed = mine.map(
      (t) => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`${t}/status`, "utf8"))?.[1],
    );
    expect(allowed).toContain("0");
    expect(() =>
      startReceiver({ ...udp, rcvbuf: 0, netnsPath: "", cpu: 1000 }, NATIVE_LIB),
    ).toThrow(/pin the receiver to CPU 1000: Invalid argument/);
  });
});

describe("pair settings", () => {
  it("sets the spec's pair.sysctls in the namespaces and runs a verify: off receiver there", async (ctx) => {
    if (pairBlocker) return ctx.skip(pairBlocker);
    const r = await run(
      "pair-settings",
      `version: 1
name: pair-settings
defaults:
  target: pair
  mode: send_zc
  socket: { type: tcp }
  batch: 1
  pair: { sysctls: { optmem_max: 1000000 } }
  receiver: { verify: off, rcvbuf: 2MiB }
  duration: 100ms
  warmup: 0ms
`,
    );
    const [c] = r.results;
    expect(c?.status, c?.reason).toBe("passed");
    expect(c?.topology?.sysctls?.["net.core.optmem_max"]).toBe(1000000);
    expect(c?.topology?.sysctls?.["net.core.wmem_max"]).toBe(64 * 1024 * 1024);
    expect(c?.measured?.target.rxBytes).toBe(c?.measured?.bytes);
    expect(c?.measured?.target.rxChecked).toBe(0);
    // its reads are counted, each of at least one byte
    expect(c?.measured?.target.rxReads).toBeGreaterThan(0);
    expect(c?.measured?.target.rxReads).toBeLessThanOrEqual(c?.measured?.target.rxBytes ?? 0);
  });
});
