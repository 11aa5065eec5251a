import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CaseResult } from "../../src/model/results.js";
import { loadNative } from "../../src/native/library.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { measure } from "../../src/native/result.js";
import { flowsLine } from "../../src/report/text/flows-text.js";
import { runSpec } from "../../src/runner/run-spec.js";
import { readSpecText } from "../../src/spec/read.js";
import { integrationBlocker, NATIVE_LIB, ROOT } from "../helpers/env.js";
import { planFor, sharedSink } from "../helpers/native.js";

const blocker = integrationBlocker();
const lib = () => loadNative(NATIVE_LIB);
const FLOWS = 64;
const REQUESTS = 64 * 40;
const SIZE = 4000;

/** 64 flows on a target: TCP (send, send_zc, two threads of 32) and UDP (random order), every flow checked at the receiver. */
const spec = (target: string) => `version: 1
name: flows-${target}
defaults:
  target: ${target}
  requests: ${REQUESTS}
  duration: 10s
  warmup: 20ms
  batch: 16
  buffers: { size: ${SIZE}, count: 64 }
  receiver: { rcvbuf: 64MiB }
  ring: { fixed_files: true }
  socket: { flows: ${FLOWS} }
cases:
  - { name: tcp-send, mode: send, socket: { type: tcp } }
  - { name: tcp-send_zc, mode: send_zc, socket: { type: tcp } }
  - { name: udp-send_zc-random, mode: send_zc, socket: { type: udp, flow_order: random, flow_seed: 7 } }
  - { name: tcp-two-threads, mode: send_zc, threads: { count: 2 }, socket: { type: tcp, flows: ${FLOWS / 2} } }
`;

/** What 64 flows must show: each its own port, counts that add up, the receiver's per-flow bytes. */
function expectFlows(r: CaseResult, exact: boolean) {
  const name = `${r.case.name}: ${r.reason ?? ""} ${JSON.stringify(r.checks.filter((k) => !k.pass))}`;
  expect(r.status, name).toBe("passed");
  const m = r.measured;
  const flows = m?.flows ?? [];
  expect(flows, name).toHaveLength(FLOWS);
  expect(new Set(flows.map((f) => f.port)).size, name).toBe(FLOWS);
  expect(flows.every((f) => f.port > 0 && f.requests > 0)).toBe(true);
  expect(m?.requests, name).toBe(REQUESTS);
  expect(flows.reduce((a, f) => a + f.requests, 0)).toBe(REQUESTS);
  expect(flows.reduce((a, f) => a + f.bytes, 0)).toBe(m?.bytes);
  for (const f of flows) {
    expect(f.bytes, name).toBe(f.requests * SIZE);
    // the warmup's bytes are sent and received too: sentBytes covers them
    expect(f.sentBytes).toBeGreaterThanOrEqual(f.bytes);
    if (exact) expect(f.rxBytes, `${name} port ${f.port}`).toBe(f.sentBytes);
    else expect(f.rxBytes as number).toBeLessThanOrEqual(f.sentBytes);
  }
  // the receiver got nothing but the flows' bytes in the case
  const rx = flows.reduce((a, f) => a + (f.rxBytes ?? 0), 0);
  if (exact) expect(rx).toBe(m?.target.rxBytes);
  expect(m?.flowJain).toBeGreaterThan(0);
  expect(m?.flowJain).toBeLessThanOrEqual(1);
  expect(m?.flowMinShare).toBeLessThanOrEqual(1 / FLOWS);
  expect(m?.flowMaxShare).toBeGreaterThanOrEqual(1 / FLOWS);
  expect(
    r.checks.find(
      (k) => k.name === `each of ${FLOWS} flows: bytes received ${exact ? "=" : "<="} bytes sent`,
    )?.pass,
  ).toBe(true);
  if (m?.tcp) expect(m.tcp.connections).toBe(FLOWS);
}

describe.each(["loopback", "pair"])("64 flows on %s", (target) => {
  it("verifies every flow's bytes at the receiver, TCP exactly, and reports their fairness", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const run = await runSpec(readSpecText(join(ROOT, `test/flows-${target}.yaml`), spec(target)));
    const [send, sendZc, udp, two] = run.results as [
      CaseResult,
      CaseResult,
      CaseResult,
      CaseResult,
    ];
    expectFlows(send, true);
    expectFlows(sendZc, true);
    expectFlows(udp, false);
    // two threads of 32: listed thread by thread, each thread's share even
    expectFlows(two, true);
    expect(two.measured?.flows?.map((f) => f.thread)).toEqual(
      [0, 1].flatMap((t) => new Array(FLOWS / 2).fill(t)),
    );
    // round robin with a batch a quarter of the flows: every flow gets the same count
    expect(send.measured?.flowJain).toBe(1);
    expect(send.measured?.flowMinShare).toBe(1 / FLOWS);
    // drawn at random: uneven, but every flow drew some
    expect(udp.measured?.flowJain).toBeLessThan(1);
    // pinned across all 64 sockets: at least one payload, at most what can be in flight at once
    const z = sendZc.measured;
    expect(z?.peakPinnedBytes).toBeGreaterThanOrEqual(SIZE);
    expect(z?.peakPinnedBytes).toBeLessThanOrEqual(
      ((z?.maxOutstanding ?? 0) + sendZc.case.batch) * SIZE,
    );
    expect(flowsLine(sendZc)).toBe(
      "64 flows, Jain's index 1.000, shares 1.6%..1.6%, each flow's bytes verified at the receiver",
    );
  }, 120_000);
});

describe("the flow order on the sink", () => {
  const sink = sharedSink(blocker);
  const run = async (order: string) => {
    const defaults = `{ mode: send, requests: 4096, duration: 5s, warmup: 0ms, socket: { flows: 8, flow_order: ${order}, flow_seed: 3 } }`;
    const raw = await lib().runCase(toNativePlan(planFor(defaults), sink()));
    expect(raw.status, raw.message).toBe(0);
    return measure(raw).flows?.map((f) => f.requests) ?? [];
  };

  it("repeats a random draw from its seed exactly, and spreads round robin evenly", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const first = await run("random");
    expect(first).toHaveLength(8);
    expect(first.reduce((a, n) => a + n, 0)).toBe(4096);
    expect(await run("random")).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(1);
    expect(await run("round_robin")).toEqual(new Array(8).fill(512));
  });

  it("refuses more flows than it has room for, and flows with msg_zerocopy", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const over = toNativePlan(planFor("{ mode: send }"), sink());
    const a = await lib().runCase({ ...over, flows: 65 });
    expect(a.status).toBe(-22);
    expect(a.message).toContain("flows 65 must be 0..64");
    const zc = toNativePlan(planFor("{ mode: msg_zerocopy }"), sink());
    const b = await lib().runCase({ ...zc, flows: 2 });
    expect(b.status).toBe(-22);
    expect(b.message).toContain("one flow only");
  });
});
