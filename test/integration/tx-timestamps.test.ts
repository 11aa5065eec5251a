import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { TX_SPANS, type TxSpan } from "../../src/model/measured/latency.js";
import type { Measured } from "../../src/model/measured/measured.js";
import type { CaseResult } from "../../src/model/results.js";
import { integrationBlocker } from "../helpers/env.js";
import { featureSkip } from "../helpers/native.js";
import { runCli, writeSpec } from "../helpers/spawn.js";

const blocker = integrationBlocker();
/** the io_uring reader needs SOCKET_URING_OP_TX_TIMESTAMP (Linux 6.17); the error queue any kernel */
const uringSkip =
  blocker ?? featureSkip("{ mode: send_zc, timestamps: { every: 8, via: io_uring } }");

/** the spans a request is split into, without their sum (tx_total) */
const PARTS = TX_SPANS.filter((s) => s !== "tx_total");

/**
 * Every sampled request's spans add up to its own submit -> notification:
 * the executor counts those whose sum is off by more than the bucket width
 * of that time (mismatched), and the stamps out of order (disordered); both
 * must be 0 with requests timed. The histograms' exact sums must add up
 * too: the parts' sums are the total's, to the ns (sum = mean x count).
 */
function expectSpansAddUp(name: string, m: Measured | undefined, absent: TxSpan[]) {
  const t = m?.timestamps;
  expect(t, `${name}: timestamps`).toBeDefined();
  if (!m || !t) return;
  expect(t.timed, `${name}: timed ${JSON.stringify(t)}`).toBeGreaterThan(0);
  expect(t.mismatched, `${name}: mismatched`).toBe(0);
  expect(t.disordered, `${name}: disordered`).toBe(0);
  expect(t.timed + t.incomplete, name).toBeLessThanOrEqual(t.sampled);
  const total = m.latency.tx_total;
  expect(total?.count, `${name}: tx_total`).toBe(t.timed);
  for (const span of absent) {
    expect(m.latency[span], `${name}: ${span}`).toBeUndefined();
    expect(t.absent[span], `${name}: why ${span} is absent`).toBeTruthy();
  }
  const parts = PARTS.filter((s) => !absent.includes(s));
  for (const span of parts) expect(m.latency[span]?.count, `${name}: ${span}`).toBe(t.timed);
  const sum = (s: TxSpan) => (m.latency[s]?.mean ?? 0) * (m.latency[s]?.count ?? 0);
  const partsSum = parts.reduce((a, s) => a + sum(s), 0);
  expect(Math.abs(partsSum - sum("tx_total")), name).toBeLessThanOrEqual(sum("tx_total") * 1e-9);
}

function run(spec: string): CaseResult[] {
  const file = writeSpec(spec);
  const out = join(dirname(file), "results.json");
  const r = runCli(["run", file, "--json", out]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return JSON.parse(readFileSync(out, "utf8")).runs[0].results;
}

describe("transmit timestamps split a zerocopy request's lifetime", () => {
  it("on loopback and the pair, UDP and TCP, through io_uring and the error queue: every sampled request's spans add up", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    if (uringSkip) ctx.annotate(`io_uring reader not tried: ${uringSkip}`);
    const vias = uringSkip ? ["error_queue"] : ["io_uring", "error_queue"];
    const results = run(`version: 1
name: tx
defaults:
  duration: 300ms
  warmup: 30ms
  mode: send_zc
  buffers: { size: 4000 }
  timestamps: { every: 8 }
matrix:
  target: [loopback, pair]
  socket.type: [udp, tcp]
  timestamps.via: [${vias.join(", ")}]
expect:
  - name: the spans' means add up to the sampled requests' mean
    where: case.socket.type == "tcp"
    that: >-
      result.latency.tx_sched.mean + result.latency.tx_driver.mean +
      result.latency.tx_ack.mean + result.latency.tx_notif.mean
      - result.latency.tx_total.mean < 1.0
`);
    expect(results).toHaveLength(4 * vias.length);
    for (const { case: c, measured } of results) {
      expect(measured?.timestamps?.via, c.name).toBe(c.timestamps.via);
      expectSpansAddUp(c.name, measured, c.socket.type === "udp" ? ["tx_ack"] : []);
    }
  });

  it("on the sink: a SCHED stamp, and what the device gives of the rest said", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const m = run(`version: 1
name: tx-sink
defaults: { duration: 200ms, warmup: 20ms, target: sink, mode: send_zc, timestamps: { every: 4 } }
cases:
  - { name: sink }
`)[0]?.measured;
    const software = m?.timestamps?.stamps.software ?? 0;
    // the dummy driver stamps and frees; the veth stand-in (no dummy module) drops before it
    expectSpansAddUp("sink", m, software ? ["tx_ack"] : ["tx_driver", "tx_ack"]);
    expect(m?.timestamps?.absent.tx_ack).toBe("UDP has no ACK stamp");
  });

  it("leaves requests that ask for no stamps alone", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const m = run(`version: 1
name: tx-off
defaults: { duration: 100ms, warmup: 10ms, target: sink, mode: send_zc }
cases:
  - { name: off }
`)[0]?.measured;
    expect(m?.timestamps).toBeUndefined();
    for (const span of TX_SPANS) expect(m?.latency[span], span).toBeUndefined();
  });
});
