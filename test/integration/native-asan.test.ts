import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { integrationBlocker, ROOT, sanitizerEnv } from "../helpers/env.js";

const blocker = integrationBlocker();

/**
 * Drives the sanitizer build through every mode (mixed too, and vectored:
 * sendmsg_zc from registered buffers, send_zc with IORING_SEND_VECTORIZED,
 * the syscall modes' iovecs) with its latency histograms, the thread gate,
 * a stop, a setup that fails half-way, the receiver's sample and off paths,
 * UDP GSO sends and their segmented receiving, the ring knobs' setup (a
 * NO_SQARRAY ring, SQ_AFF, CQSIZE, io-wq CPUs, the background poll), 64
 * flows on one ring with the receiver's per-port counts, and the probe, in a child
 * NO_SQARRAY ring, SQ_AFF, CQSIZE, io-wq CPUs, the background poll), both
 * transmit-timestamp readers, and the probe, in a child
 * process with
 * libasan preloaded (node itself is not instrumented).
 */
const SCRIPT = `
import { compileCase, readSpecText, probeCapabilities } from "./dist/index.js";
import { createSink, loadNative, toNativePlan } from "./dist/internal.js";
import { startReceiver } from "./dist/native/receiver.js";
import { settle } from "./dist/env/receiving.js";
const lib = loadNative(process.env.ZCSPEC_NATIVE_LIB);
// every request timed unless the case says otherwise
const timedAll = (d) => d.includes("latency") ? d : d.replace("{ ", "{ latency: { record: full }, ");
const plan = (d) => ({ ...compileCase(readSpecText("t.yaml", "version: 1\\nname: t\\ndefaults: " + timedAll(d) + "\\n").cases[0]), unsupported: [] });
const sink = await createSink();
const out = [];
// 1 unless every request and notification was timed once (the latency paths ran and added up);
// timing one in \`every\` (0: none) of one thread's requests, the first and every every-th after it
const untimed = (r, every = 1) => {
  const timed = every ? Math.ceil(r.requests / every) : 0;
  // sampled cases send one kind: every request, or none, is notified
  const notified = every === 1 ? r.notifications : r.notifications ? timed : 0;
  return r.latency[0].count === timed && r.latency[1].count === notified && r.latency[2].count === notified && !r.latency_lost ? 0 : 1;
};
try {
  for (const mode of ["send", "send_zc", "sendmsg", "sendmsg_zc", "msg_zerocopy", "sendto"]) {
    for (const extra of ["", ", socket: { connect: false }, buffers: { count: 4, offset: 1 }",
        ", threads: { count: 2 }, notifications: { reuse: after_notification }, buffers: { count: 8 }",
        ", notifications: { reuse: after_batch }, socket: { cork: msg_more }, buffers: { size: 500 }",
        ", socket: { connect: false }, buffers: { iov: 3, count: 2, offset: 1 }"]) {
      const raw = await lib.runCase(toNativePlan(plan("{ mode: " + mode + ", requests: 200, duration: 1s, warmup: 5ms" + extra + " }"), sink));
      out.push([mode + extra, raw.status || untimed(raw), raw.errors, raw.message]);
    }
  }
  // timing one request in 3, and none: the sampled and untimed paths, peak pinned still counted
  for (const mode of ["send", "send_zc", "sendmsg_zc", "msg_zerocopy", "sendto"]) {
    for (const [latency, every] of [["{ record: sampled, every: 3 }", 3], ["{ record: off }", 0]]) {
      const raw = await lib.runCase(toNativePlan(plan("{ mode: " + mode + ", requests: 200, duration: 1s, warmup: 5ms, latency: " + latency + " }"), sink));
      const pinned = mode === "send" || mode === "sendto" ? raw.peak_pinned_bytes === 0 : raw.peak_pinned_bytes >= 4000;
      out.push([mode + " latency " + latency, raw.status || untimed(raw, every) || (pinned ? 0 : 1), raw.errors, raw.message]);
    }
  }
  for (const mix of ["{ order: rotate }", "{ weights: { send: 1, send_zc: 1, sendmsg: 1, sendmsg_zc: 1, sendmsg_zc_fixed: 1 } }, buffers: { iov: 5 }"]) {
    const raw = await lib.runCase(toNativePlan(plan("{ mode: mixed, requests: 200, duration: 1s, warmup: 5ms, mix: " + mix + " }"), sink));
    out.push(["mixed " + mix, raw.status || untimed(raw), raw.errors, raw.message]);
  }
  // the receiver's sample and off paths, UDP and TCP, fed on loopback (off by vectored sends)
  for (const verify of ["sample", "off"]) {
    for (const proto of ["udp", "tcp"]) {
      const rx = startReceiver({ family: "ipv4", proto, addr: [127, 0, 0, 1], port: 0, rcvbuf: 0, netnsPath: "", verify, sampleEvery: 3, cpu: 0 }, process.env.ZCSPEC_NATIVE_LIB);
      try {
        rx.expect("alphabet", 3000);
        const iov = verify === "off" ? 64 : 1;
        const p = { ...toNativePlan(plan("{ mode: send, requests: 300, duration: 1s, warmup: 0ms, buffers: { size: 3000, iov: " + iov + " }, socket: { type: " + proto + " }, batch: 1 }"), { netnsPath: "", family: "ipv4", dstAddr: [127, 0, 0, 1] }), dst_port: rx.port };
        const raw = await lib.runCase(p);
        const got = await settle(rx, proto);
        const bad = raw.status || got.status || got.mismatches || (proto === "tcp" && got.bytes !== 900000) ? 1 : 0;
        out.push(["receiver " + verify + " " + proto, bad, raw.errors, raw.message + got.message + " (mismatches " + got.mismatches + ", bytes " + got.bytes + ")"]);
      } finally {
        rx.stop();
      }
    }
  }
  // UDP GSO: each mode cuts its payloads into segments, the receiver verifies them (UDP_GRO)
  const gsoRx = startReceiver({ family: "ipv4", proto: "udp", addr: [127, 0, 0, 1], port: 0, rcvbuf: 64 << 20, netnsPath: "" }, process.env.ZCSPEC_NATIVE_LIB);
  try {
    gsoRx.expect("alphabet", 10000, 1400);
    for (const mode of ["send_zc", "sendmsg_zc", "msg_zerocopy", "sendto"]) {
      const before = gsoRx.read();
      const p = { ...toNativePlan(plan("{ mode: " + mode + ", requests: 100, duration: 1s, warmup: 0ms, buffers: { size: 10000 }, socket: { gso_size: 1400 }, batch: 4 }"), { netnsPath: "", family: "ipv4", dstAddr: [127, 0, 0, 1] }), dst_port: gsoRx.port };
      const raw = await lib.runCase(p);
      const got = await settle(gsoRx);
      const datagrams = got.datagrams - before.datagrams;
      const bad = raw.status || got.status || got.mismatches || datagrams !== raw.requests * 8 ? 1 : 0;
      out.push(["gso " + mode, bad, raw.errors, raw.message + got.message + " (mismatches " + got.mismatches + ", datagrams " + datagrams + ")"]);
    }
  } finally {
    gsoRx.stop();
  }
  // the ring knobs' setup paths: a NO_SQARRAY ring set up by hand, SQ_AFF, CQSIZE, io-wq CPUs, the background poll
  for (const ring of ["{ flags: [sqpoll, sq_aff, no_sqarray, submit_all], sqpoll_cpu: 0, cqsize: 4096, iowq_cpus: [0] }",
      "{ flags: [single_issuer, defer_taskrun, no_sqarray], entries: 64 }"]) {
    const raw = await lib.runCase(toNativePlan(plan("{ mode: send_zc, requests: 200, duration: 1s, warmup: 5ms, batch: 16, socket: { background_poll: true }, ring: " + ring + " }"), sink));
    out.push(["ring " + ring, raw.status || untimed(raw), raw.errors, raw.message]);
  }
  // ring.napi's registration and the NAPI ID read (the sink gives no ID: the paths run all the same)
  if (probeCapabilities(lib).features.napi.ok) {
    const napi = await lib.runCase({ ...toNativePlan(plan("{ mode: send_zc, requests: 200, duration: 1s, warmup: 5ms }"), sink), napi_busy_poll_us: 50 });
    out.push(["napi", napi.status || (napi.napi_threads === 1 ? 0 : 1), napi.errors, napi.message]);
  } else out.push(["napi", 0, 0, "probe: no napi here"]);
  // flows: 64 sockets on one ring (registered files, a background poll each), the receiver's per-port counts
  for (const proto of ["udp", "tcp"]) {
    const rx = startReceiver({ family: "ipv4", proto, addr: [127, 0, 0, 1], port: 0, rcvbuf: 64 << 20, netnsPath: "" }, process.env.ZCSPEC_NATIVE_LIB);
    try {
      rx.expect("alphabet", 2000);
      const p = { ...toNativePlan(plan("{ mode: send_zc, requests: 640, duration: 1s, warmup: 0ms, buffers: { size: 2000 }, socket: { type: " + proto + ", flows: 64, background_poll: true }, ring: { fixed_files: true }, batch: 32 }"), { netnsPath: "", family: "ipv4", dstAddr: [127, 0, 0, 1] }), dst_port: rx.port };
      const raw = await lib.runCase(p);
      await settle(rx, proto);
      const flows = raw.threads[0].flow.slice(0, raw.threads[0].flows);
      const got = rx.flowBytes(flows.map((f) => f.port));
      const bad = raw.status || untimed(raw) || flows.length !== 64 || flows.some((f, i) => got[i] !== f.sent_bytes || f.bytes !== 20000) ? 1 : 0;
      out.push(["flows " + proto, bad, raw.errors, raw.message + " (received " + got.slice(0, 4) + ")"]);
    } finally {
      rx.stop();
    }
  }
  // tx-timestamps: both readers on the sink (UDP), and on loopback TCP into a receiver (keys by byte offset)
  const stamped = (r) => r.tstamp.timed > 0 && !r.tstamp.mismatched ? 0 : 1;
  for (const via of ["io_uring", "error_queue"]) {
    const raw = await lib.runCase(toNativePlan(plan("{ mode: send_zc, requests: 400, duration: 1s, warmup: 5ms, batch: 8, timestamps: { every: 4, via: " + via + " } }"), sink));
    out.push(["timestamps sink " + via, raw.status || untimed(raw) || stamped(raw), raw.errors, raw.message + JSON.stringify({ ...raw.tstamp, hist: undefined })]);
    const rx = startReceiver({ family: "ipv4", proto: "tcp", addr: [127, 0, 0, 1], port: 0, rcvbuf: 0, netnsPath: "", verify: "off", cpu: -1 }, process.env.ZCSPEC_NATIVE_LIB);
    try {
      rx.expect("alphabet", 4000);
      const p = { ...toNativePlan(plan("{ mode: sendmsg_zc, requests: 400, duration: 1s, warmup: 5ms, batch: 4, socket: { type: tcp }, timestamps: { every: 4, via: " + via + " } }"), { netnsPath: "", family: "ipv4", dstAddr: [127, 0, 0, 1] }), dst_port: rx.port };
      const tcp = await lib.runCase(p);
      out.push(["timestamps tcp " + via, tcp.status || stamped(tcp), tcp.errors, tcp.message + JSON.stringify({ ...tcp.tstamp, hist: undefined })]);
    } finally {
      rx.stop();
    }
  }
  const drawn = await lib.runCase(toNativePlan(plan("{ mode: sendto, requests: 200, duration: 1s, warmup: 5ms, socket: { flows: 8, flow_order: random } }"), sink));
  out.push(["flows sendto random", drawn.status, drawn.errors, drawn.message]);
  // the pacing clock (rate:), io_uring and syscall modes: every request also timed from its intended start
  for (const mode of ["send_zc", "msg_zerocopy", "sendto"]) {
    const raw = await lib.runCase(toNativePlan(plan("{ mode: " + mode + ", requests: 200, duration: 1s, warmup: 5ms, batch: 4, rate: 20000 }"), sink));
    const paced = raw.latency[5].count === raw.requests && raw.latency[3].count === raw.latency[0].count && raw.latency[4].count === raw.latency[1].count ? 0 : 1;
    out.push(["paced " + mode, raw.status || untimed(raw) || paced, raw.errors, raw.message]);
  }
  const ac = new AbortController();
  // stopped mid-send: at its first progress report, the senders are measuring
  const stopped = await lib.runCase(toNativePlan(plan("{ mode: send_zc, duration: 10s, warmup: 0 }"), sink), { signal: ac.signal, intervalMs: 20, onProgress: () => ac.abort() });
  out.push(["stopped", stopped.interrupted === 1 ? 0 : 1, stopped.errors, stopped.message]);
  const bad = await lib.runCase({ ...toNativePlan(plan("{}"), sink), ring_flags: 4 });
  out.push(["refused ring", bad.status === -22 ? 0 : 1, 0, bad.message]);
  out.push(["probe", probeCapabilities(lib).features.send_zc.ok ? 0 : 1, 0, ""]);
} finally {
  await sink.close();
}
console.log(JSON.stringify(out));
`;

describe("the ASan+UBSan build", () => {
  it("runs every mode, threads, paced sends, a stop, a refused setup, the receiver and the probe clean", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const sanitizer = sanitizerEnv();
    if ("skip" in sanitizer) return ctx.skip(sanitizer.skip);
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", SCRIPT], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, ...sanitizer.env },
    });
    expect(r.stderr).not.toContain("AddressSanitizer");
    expect(r.stderr).not.toContain("runtime error");
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "[]") as [
      string,
      number,
      number,
      string,
    ][];
    expect(rows).toHaveLength(66);
    for (const [name, status, errors, message] of rows) {
      expect(status, `${name}: ${message}`).toBe(0);
      expect(errors, name).toBe(0);
    }
  });
});
