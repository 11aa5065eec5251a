import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createPair } from "../../src/env/pair.js";
import { probeCapabilities } from "../../src/env/probe.js";
import type { CaseResult, RunResult } from "../../src/model/results.js";
import { ZC_PLAN_TCP } from "../../src/native/abi.js";
import { loadNative } from "../../src/native/library.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { compileCase } from "../../src/plan/compile.js";
import { runSpec } from "../../src/runner/run-spec.js";
import { readSpecText } from "../../src/spec/read.js";
import { integrationBlocker, NATIVE_LIB, ROOT } from "../helpers/env.js";

const blocker = integrationBlocker();

/** What the kernel refuses sets no test here: a kernel without UDP GSO skips them all. */
function gsoBlocker(): string | undefined {
  if (blocker) return blocker;
  const gso = probeCapabilities(loadNative(NATIVE_LIB)).features.udp_segment;
  return gso.ok ? undefined : `this kernel refuses UDP_SEGMENT (${gso.error})`;
}

const GSO = 1400;
/** 45 full segments per request: the test plan's request shape */
const SEGMENTS = 45;
const SIZE = GSO * SEGMENTS;
const REQUESTS = 300;

const spec = (name: string, body: string) =>
  readSpecText(join(ROOT, `test/${name}.yaml`), `version: 1\nname: ${name}\n${body}`);

function byName(run: RunResult, name: string): CaseResult {
  const r = run.results.find((x) => x.case.name === name);
  if (!r) throw new Error(`no case ${name}`);
  return r;
}

describe("UDP GSO (socket.gso_size)", () => {
  let skip: string | undefined;
  beforeAll(() => {
    skip = gsoBlocker();
  });

  it("the probe sees a 2-segment datagram arrive as 2 datagrams", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    expect(probeCapabilities(loadNative(NATIVE_LIB)).features.udp_segment).toMatchObject({
      ok: true,
    });
  });

  it("pair at MTU 1500: every mode's segments arrive, verified, one wire datagram per segment", async (ctx) => {
    if (skip) return ctx.skip(skip);
    const run = await runSpec(
      spec(
        "gso-pair",
        `defaults:
  target: pair
  pair: { mtu: 1500 }
  socket: { gso_size: ${GSO} }
  buffers: { size: ${SIZE}, count: 4 }
  requests: ${REQUESTS}
  duration: 5s
  warmup: 0ms
matrix:
  mode: [send_zc, sendmsg_zc, msg_zerocopy, sendto]
cases:
  # a last segment shorter than the others, over IPv6, with the sampling and the blind receiver
  - { name: short-tail-ipv6, mode: send, socket: { family: ipv6 }, buffers: { size: 10000 } }
  - { name: sample, mode: send_zc, receiver: { verify: sample, sample_every: 4 } }
  - { name: off, mode: sendmsg, receiver: { verify: off } }
`,
      ),
    );
    expect(run.results).toHaveLength(7);
    for (const r of run.results) {
      const m = r.measured;
      const t = m?.target;
      const name = r.case.name;
      const perRequest = Math.ceil(r.case.buffers.size / GSO);
      expect(r.status, `${name}: ${r.reason ?? ""}`).toBe("passed");
      expect(r.topology?.mtu, name).toBe(1500);
      expect(m?.requests, name).toBe(REQUESTS);
      expect(m?.segments, name).toBe(REQUESTS * perRequest);
      expect(t?.rxDatagrams, name).toBe(m?.segments);
      expect(t?.rxBytes, name).toBe(m?.bytes);
      expect(t?.rxMismatches, name).toBe(0);
      const checked = r.case.receiver.verify;
      if (checked === "full") expect(t?.rxChecked, name).toBe(m?.bytes);
      else if (checked === "off") expect(t?.rxChecked, name).toBe(0);
      else expect(t?.rxChecked, name).toBeLessThan(m?.bytes ?? 0);
      expect(
        r.checks.find((c) => c.name === "receiver wire datagrams = sender segments")?.pass,
      ).toBe(true);
    }
    expect(byName(run, "sample").measured?.target.rxChecked).toBeGreaterThan(0);
  });

  it("catches a corrupted byte in every payload when the payloads arrive as segments", async (ctx) => {
    if (skip) return ctx.skip(skip);
    process.env.ZCSPEC_TEST_CORRUPT_PATTERN = "1";
    let run: RunResult;
    try {
      run = await runSpec(
        spec(
          "gso-corrupt",
          `defaults: { target: pair, mode: send_zc, socket: { gso_size: ${GSO} }, buffers: { size: ${SIZE} }, requests: ${REQUESTS}, duration: 5s, warmup: 0ms }
`,
        ),
      );
    } finally {
      delete process.env.ZCSPEC_TEST_CORRUPT_PATTERN;
    }
    const [r] = run.results;
    // the hook flips one byte of every payload: one mismatch per request received
    expect(r?.measured?.target.rxDatagrams).toBe(REQUESTS * SEGMENTS);
    expect(r?.measured?.target.rxMismatches).toBe(REQUESTS);
    expect(r?.status).toBe("failed");
  });

  it("sink: veth counts one TX drop per GSO send, not per segment, at any MTU", async (ctx) => {
    if (skip) return ctx.skip(skip);
    const run = await runSpec(
      spec(
        "gso-sink",
        `defaults: { target: sink, socket: { gso_size: ${GSO} }, buffers: { size: ${SIZE} }, requests: ${REQUESTS}, duration: 5s, warmup: 0ms }
matrix:
  mode: [send_zc, sendto]
  sink.mtu: [1500, 65535]
`,
      ),
    );
    expect(run.results).toHaveLength(4);
    for (const r of run.results) {
      expect(r.status, r.case.name).toBe("passed");
      expect(r.topology?.mtu, r.case.name).toBe(r.case.sink.mtu);
      // docs/gso.md: the carrier-less veth's noop qdisc drops the whole skb before segmentation
      expect(r.measured?.target.txDropped, r.case.name).toBe(REQUESTS);
      expect(r.measured?.segments, r.case.name).toBe(REQUESTS * SEGMENTS);
    }
  });

  it("verifies segments that arrive one by one (a sender device without UDP segmentation offload)", async (ctx) => {
    if (skip) return ctx.skip(skip);
    if (spawnSync("ethtool", ["--version"]).status !== 0)
      return ctx.skip("ethtool is not installed");
    const lib = loadNative(NATIVE_LIB);
    const pair = await createPair("ipv4", undefined, 1500);
    try {
      // the stack then cuts every GSO packet before veth: the receiver reads single segments
      const ns = pair.topology.namespaces[0] ?? "";
      execFileSync("ip", [
        "netns",
        "exec",
        ns,
        "ethtool",
        "-K",
        "zp0",
        "tx-udp-segmentation",
        "off",
      ]);
      // a short last segment (10000 = 7 x 1400 + 200) and whole ones only, alternately
      for (const size of [10000, SIZE, 10000]) {
        const [c] = spec(
          "gso-single",
          `defaults: { target: pair, mode: send, socket: { gso_size: ${GSO} }, buffers: { size: ${size} }, requests: ${REQUESTS}, duration: 5s, warmup: 0ms }\n`,
        ).cases;
        if (!c) throw new Error("no case");
        const session = await pair.beginCase(c);
        const raw = await lib.runCase({
          ...toNativePlan(compileCase(c), pair),
          dst_port: session.dstPort,
        });
        const t = await session.collect();
        expect(raw.status, raw.message).toBe(0);
        expect(t.rxDatagrams, `${size}`).toBe(REQUESTS * Math.ceil(size / GSO));
        expect(t.rxBytes, `${size}`).toBe(raw.bytes);
        expect(t.rxChecked, `${size}`).toBe(raw.bytes);
        expect(t.rxMismatches, `${size}`).toBe(0);
      }
    } finally {
      await pair.close();
    }
  });

  it("the executor refuses what the kernel would, with the kernel's limit in the message", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const lib = loadNative(NATIVE_LIB);
    const plan = (defaults: string) => {
      const [c] = readSpecText("t.yaml", `version: 1\nname: t\ndefaults: ${defaults}\n`).cases;
      if (!c) throw new Error("no case");
      return toNativePlan(compileCase(c), {
        netnsPath: "",
        family: "ipv4",
        dstAddr: [127, 0, 0, 1],
      });
    };
    const base = plan("{ target: loopback, duration: 10ms, warmup: 0ms }");
    const refused = async (p: typeof base) => {
      const raw = await lib.runCase(p);
      return [raw.status, raw.message];
    };
    expect(await refused({ ...base, gso_size: 1400, flags: base.flags | ZC_PLAN_TCP })).toEqual([
      -22,
      "gso_size 1400: UDP_SEGMENT is UDP only",
    ]);
    expect(await refused({ ...base, gso_size: 100, buf_size: 12801 })).toEqual([
      -22,
      "buffer size 12801 in segments of 100 is 129 segments, over the kernel's 128 (UDP_MAX_SEGMENTS)",
    ]);
    expect(await refused({ ...base, gso_size: 1400, buf_size: 65508 })).toEqual([
      -90,
      "buffer size 65508 is over 65507, the most one UDP GSO send carries over IPv4",
    ]);
    expect(await refused({ ...base, gso_size: 1400, cork: 1 })).toEqual([
      -22,
      "gso_size 1400 with cork is not supported",
    ]);
  });
});
