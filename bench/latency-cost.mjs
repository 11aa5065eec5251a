#!/usr/bin/env node
/**
 * What the per-request latency histograms cost the sender thread, from a
 * CPU profile (perf) of real runs on the sink:
 *
 *   node bench/latency-cost.mjs [--seconds 3] [--frequency 4000]
 *
 * For each case below it runs `zcspec run` under `perf record -e cpu-clock`,
 * keeps the samples of the sender thread (named zcspec-tx), and resolves
 * every sample in libzcspec.so to its innermost source line (addr2line -i:
 * the histogram code is inlined into the send loop, so only the line tells
 * it apart). It prints the share of the sender thread's samples (user and
 * kernel) that fell on native/latency.h and latency.c, and the share of
 * every clock read of the thread (the vDSO and zc_now_ns), which counts the
 * batch clock the loop always read as well: an upper bound on what timing
 * adds. The uncertainty is the sampling error of a count, sqrt(k) / n.
 * Needs root (or perf_event_paranoid <= 0) and perf, addr2line and nm on
 * PATH. A benchmark, not a test: run it on a quiet machine.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseOptions } from "./args.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const LIB = join(ROOT, "native/build/libzcspec.so");
const opts = parseOptions(
  { seconds: { type: "string", default: "3" }, frequency: { type: "string", default: "4000" } },
  "usage: node bench/latency-cost.mjs [--seconds 3] [--frequency 4000]",
);
const seconds = Number(opts.seconds);
const frequency = Number(opts.frequency);

// every request timed (the cost `latency: { record: sampled }`, the default, divides), and the
// default itself once
const CASES = [
  ["send_zc, batch 8", "mode: send_zc, batch: 8, latency: { record: full }"],
  ["send_zc, batch 1", "mode: send_zc, batch: 1, latency: { record: full }"],
  ["send, batch 8", "mode: send, batch: 8, latency: { record: full }"],
  ["msg_zerocopy, batch 8", "mode: msg_zerocopy, batch: 8, latency: { record: full }"],
  ["send_zc, batch 8, default", "mode: send_zc, batch: 8"],
];

/** symbol -> its address in the library, for sym+off samples */
function symbols() {
  const out = new Map();
  for (const line of execFileSync("nm", ["--defined-only", LIB], { encoding: "utf8" }).split(
    "\n",
  )) {
    const [addr, , name] = line.trim().split(/\s+/);
    if (name) out.set(name, Number.parseInt(addr, 16));
  }
  return out;
}

/** the innermost source file:line of each address (addr2line -i puts it first) */
function innermost(addrs) {
  if (addrs.length === 0) return [];
  const out = execFileSync("addr2line", ["-i", "-p", "-a", "-e", LIB], {
    input: addrs.map((a) => `0x${a.toString(16)}`).join("\n"),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  return out
    .split("\n")
    .filter((l) => l.startsWith("0x"))
    .map((l) => l.slice(l.indexOf(": ") + 2).split(" ")[0] ?? "");
}

function profile(dir, name, params, syms) {
  const spec = join(dir, "spec.yaml");
  writeFileSync(
    spec,
    `version: 1\nname: cost\ndefaults: { target: sink, buffers: { size: 4000, count: 16 }, duration: ${seconds}s, warmup: 100ms, ${params} }\n`,
  );
  const data = join(dir, "perf.data");
  const rec = spawnSync(
    "perf",
    [
      "record",
      "-q",
      "-e",
      "cpu-clock",
      "-F",
      String(frequency),
      "-o",
      data,
      "--",
      process.execPath,
      join(ROOT, "bin/zcspec.js"),
      "run",
      spec,
    ],
    { encoding: "utf8" },
  );
  if (rec.status !== 0) throw new Error(`perf record (${name}): ${rec.stderr}`);
  const script = execFileSync(
    "perf",
    ["script", "-i", data, "--comm", "zcspec-tx", "-F", "ip,sym,symoff,dso"],
    {
      encoding: "utf8",
      maxBuffer: 1 << 28,
    },
  );
  let total = 0;
  let clock = 0;
  const inLib = [];
  for (const line of script.split("\n")) {
    if (!line.trim()) continue;
    total++;
    // every clock read: the vDSO, and zc_now_ns (a function of its own, never inlined)
    if (line.includes("[vdso]") || /\s(zc_now_ns|clock_gettime@plt)\+/.test(line)) clock++;
    const m = /\s([\w.]+)\+0x([0-9a-f]+) \(.*libzcspec\.so\)/.exec(line);
    const base = m && syms.get(m[1]);
    if (m && base !== undefined) inLib.push(base + Number.parseInt(m[2], 16));
  }
  const files = innermost(inLib);
  const latency = files.filter((f) => /\/latency\.[ch]:/.test(f)).length;
  return { name, total, latency, clock };
}

function share(k, n) {
  const p = k / n;
  return `${(100 * p).toFixed(2)} % ± ${((100 * Math.sqrt(k)) / n).toFixed(2)}`;
}

const syms = symbols();
const dir = mkdtempSync(join(tmpdir(), "zcspec-cost-"));
const load0 = loadavg()[0];
try {
  console.log(
    "case                    tx samples  latency code (latency.h/.c)  all clock reads (upper bound)",
  );
  for (const [name, params] of CASES) {
    const r = profile(dir, name, params, syms);
    console.log(
      `${name.padEnd(22)}  ${String(r.total).padStart(10)}  ${share(r.latency, r.total).padStart(27)}  ${share(r.clock, r.total).padStart(29)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(
  `load average ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end; ${seconds} s per case, ${frequency} Hz`,
);
