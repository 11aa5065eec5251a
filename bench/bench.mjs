#!/usr/bin/env node
/**
 * `npm run bench`: zcspec's sender against the liburing send-zerocopy
 * example (and sockperf's throughput mode), side by side in one run.
 *
 *   node bench/bench.mjs [--rounds 5] [--seconds 1] [--sizes 600,4000,8000]
 *                        [--best-flags single_issuer,defer_taskrun] [--no-sockperf]
 *
 * Everything sends UDP into one sink namespace (src/env/sink.ts, the same
 * one `zcspec run` builds), with the example's settings: batch 8, 512
 * entries, COOP_TASKRUN, registered ring fd and socket, a registered
 * buffer for zerocopy, SO_SNDBUF 2 MiB, no warmup, seconds + 200 ms per
 * run. The example is built here from Debian's liburing-dev into a temp
 * directory (never committed). Its own tx/s divides a (seconds + 200 ms)
 * count by seconds, so its rate here is its count over its real run time.
 * Runs are interleaved in a different random order every round, and each
 * ratio is taken within a round, so the machine's drift hits both sides.
 * It is a benchmark, not a test: it prints figures, it asserts nothing.
 */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parseArgs, promisify } from "node:util";
import {
  compileCase,
  createSink,
  loadNative,
  measure,
  namespaceBlocker,
  readSpecText,
  removeLiveNamespacesSync,
  toNativePlan,
} from "../dist/index.js";

const EXAMPLE_SRC = "/usr/share/doc/liburing-dev/examples/send-zerocopy.c";
const PORT = 9;
const SNDBUF = 2 * 1024 * 1024;
const execFileP = promisify(execFile);

const { values: opt } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    seconds: { type: "string", default: "1" },
    sizes: { type: "string", default: "600,4000,8000" },
    "best-flags": { type: "string", default: "single_issuer,defer_taskrun" },
    "no-sockperf": { type: "boolean", default: false },
  },
});
const rounds = Number(opt.rounds);
const seconds = Number(opt.seconds);
const sizes = opt.sizes.split(",").map(Number);
const bestFlags = opt["best-flags"].split(",");
if (!(rounds >= 1) || !Number.isInteger(seconds) || seconds < 1 || sizes.some((s) => !(s > 0))) {
  process.stderr.write("usage: --rounds N (>= 1), --seconds S (whole, >= 1), --sizes a,b,c\n");
  process.exit(2);
}
/** the example runs -t S for S s + 200 ms; every tool gets that window */
const windowS = seconds + 0.2;

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(3);
}

const blocked = namespaceBlocker();
if (blocked) fail(blocked);
if (!existsSync(EXAMPLE_SRC))
  fail(`${EXAMPLE_SRC} is missing: apt-get install -y liburing-dev (it ships the example)`);

const tmp = mkdtempSync(join(tmpdir(), "zcspec-bench-"));
let sink;
const cleanup = () => {
  removeLiveNamespacesSync();
  rmSync(tmp, { recursive: true, force: true });
};
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    cleanup();
    process.stderr.write(`\nbench interrupted (${sig}); namespace and temp dir removed\n`);
    process.exit(sig === "SIGINT" ? 130 : 143);
  });
}

/** sockperf from Debian, installed only when missing; undefined when usable, else why not. */
function sockperfBlocker() {
  if (opt["no-sockperf"]) return "--no-sockperf";
  const has = () => spawnSync("sockperf", ["--version"], { stdio: "ignore" }).status === 0;
  if (has()) return undefined;
  if (process.getuid?.() !== 0)
    return "sockperf is not installed (apt-get install sockperf, as root)";
  process.stderr.write("sockperf is missing: apt-get install -y sockperf\n");
  const install = () =>
    spawnSync("apt-get", ["install", "-y", "sockperf"], { stdio: ["ignore", "ignore", "inherit"] });
  if (install().status !== 0) {
    spawnSync("apt-get", ["update"], { stdio: ["ignore", "ignore", "inherit"] });
    install();
  }
  return has() ? undefined : "apt-get install sockperf failed";
}

/** Small deterministic PRNG so that a round's order can be told again from its seed. */
function shuffled(items, seed) {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** zcspec cases with the example's settings, for both ring-flag variants (and sendto if built). */
function zcspecCases() {
  const text = `version: 1
name: bench
defaults:
  target: sink
  socket: { family: ipv4, type: udp, connect: true, sndbuf: ${SNDBUF}, port: ${PORT} }
  ring: { entries: 512, register_ring_fd: true, fixed_files: true }
  buffers: { register: auto, count: 1 }
  notifications: { reuse: immediate }
  batch: 8
  duration: ${windowS * 1000}ms
  warmup: 0
matrix:
  ring.flags: [[coop_taskrun], [${bestFlags.join(", ")}]]
  mode: [send, send_zc, sendto]
  buffers.size: [${sizes.join(", ")}]
`;
  const out = new Map();
  for (const c of readSpecText("bench.yaml", text).cases) {
    const variant = c.ring.flags.join(",") === "coop_taskrun" ? "zcspec" : "zcspec-best";
    if (c.mode === "sendto" && variant !== "zcspec") continue;
    out.set(`${variant}/${c.mode}/${c.buffers.size}`, c);
  }
  return out;
}

async function runZcspec(native, target, c) {
  const collect = await target.beginCase(c);
  const raw = await native.runCase(toNativePlan(compileCase(c), target));
  const m = measure(raw, await collect());
  if (raw.status !== 0 || m.errors)
    throw new Error(`zcspec ${c.name}: ${raw.message} (${raw.status}), ${m.errors} errors`);
  return { rps: m.rps, sent: m.requests, dropped: m.target.txDropped };
}

async function runExample(bin, ns, dst, target, c, zc) {
  const collect = await target.beginCase(c);
  const args = ["netns", "exec", ns, bin, "-4", "-D", dst, "-p", String(PORT)];
  args.push(
    "-s",
    String(c.buffers.size),
    "-t",
    String(seconds),
    "-n",
    "8",
    "-z",
    zc ? "1" : "0",
    "udp",
  );
  const { stderr } = await execFileP("ip", args);
  const tx = /tx=(\d+)/.exec(stderr);
  if (!tx) throw new Error(`the example printed no tx= line: ${stderr.trim()}`);
  const sent = Number(tx[1]);
  return { rps: sent / windowS, sent, dropped: (await collect()).txDropped };
}

async function runSockperf(ns, dst, target, c) {
  const collect = await target.beginCase(c);
  const args = ["netns", "exec", ns, "sockperf", "tp", "-i", dst, "-p", String(PORT)];
  args.push("-m", String(c.buffers.size), "-t", String(seconds), "--buffer-size", String(SNDBUF));
  const { stdout, stderr } = await execFileP("ip", args);
  const m = /Total of (\d+) messages sent in ([0-9.]+) sec/.exec(stdout + stderr);
  if (!m) throw new Error(`sockperf printed no total: ${(stdout + stderr).trim().slice(-300)}`);
  const sent = Number(m[1]);
  return { rps: sent / Number(m[2]), sent, dropped: (await collect()).txDropped };
}

const example = join(tmp, "send-zerocopy");
try {
  const cc = spawnSync("gcc", ["-O2", "-o", example, EXAMPLE_SRC, "-luring"], { encoding: "utf8" });
  if (cc.status !== 0) fail(`gcc could not build the example: ${cc.stderr || cc.error}`);
  const sockperfWhyNot = sockperfBlocker();
  const cases = zcspecCases();
  const sendtoBuilt = compileCase(cases.get(`zcspec/sendto/${sizes[0]}`)).unsupported.length === 0;
  const native = loadNative();
  sink = await createSink();
  const ns = basename(sink.netnsPath);
  const dst = sink.dstAddr.join(".");

  // one job per tool, mode and size; each round runs them all in its own order
  const jobs = [];
  for (const size of sizes) {
    for (const mode of ["send", "send_zc"]) {
      const c = cases.get(`zcspec/${mode}/${size}`);
      jobs.push({ key: `zcspec/${mode}/${size}`, run: () => runZcspec(native, sink, c) });
      const best = cases.get(`zcspec-best/${mode}/${size}`);
      jobs.push({ key: `zcspec-best/${mode}/${size}`, run: () => runZcspec(native, sink, best) });
      jobs.push({
        key: `example/${mode}/${size}`,
        run: () => runExample(example, ns, dst, sink, c, mode === "send_zc"),
      });
    }
    const sendto = cases.get(`zcspec/sendto/${size}`);
    if (sendtoBuilt)
      jobs.push({ key: `zcspec/sendto/${size}`, run: () => runZcspec(native, sink, sendto) });
    if (!sockperfWhyNot)
      jobs.push({ key: `sockperf/sendto/${size}`, run: () => runSockperf(ns, dst, sink, sendto) });
  }

  const cpu = cpus();
  const load0 = loadavg()[0];
  process.stderr.write(
    `bench: ${jobs.length} runs of ${windowS} s per round, ${rounds} rounds (about ${Math.ceil((jobs.length * rounds * (windowS + 0.15)) / 60)} min)\n`,
  );
  const rps = new Map(jobs.map((j) => [j.key, []]));
  const short = [];
  for (let r = 0; r < rounds; r++) {
    for (const [i, job] of shuffled(jobs, r + 1).entries()) {
      process.stderr.write(
        `\rround ${r + 1}/${rounds}  run ${i + 1}/${jobs.length}  ${job.key.padEnd(28)}`,
      );
      const res = await job.run();
      rps.get(job.key).push(res.rps);
      // the sink's device must have dropped what the tool says it sent
      if (res.dropped !== undefined && res.dropped < res.sent)
        short.push(`${job.key}: sent ${res.sent}, sink dropped ${res.dropped}`);
    }
  }
  process.stderr.write("\n\n");

  const cell = (xs) => (xs?.length ? int.format(median(xs)) : "-");
  /** median and min–max of the per-round ratios a/b (paired within each round) */
  const ratio = (a, b) => {
    const xs = rps.get(a);
    const ys = rps.get(b);
    if (!xs?.length || !ys?.length) return "-";
    const rs = xs.map((x, i) => x / ys[i]);
    return `${median(rs).toFixed(2)} [${Math.min(...rs).toFixed(2)}–${Math.max(...rs).toFixed(2)}]`;
  };
  const table = (head, rows) => {
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells) =>
      cells.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
    return [line(head), line(w.map((n) => "-".repeat(n))), ...rows.map(line)].join("\n");
  };

  const out = [];
  out.push(
    `zcspec vs the liburing send-zerocopy example: UDP into the sink namespace, batch 8, 512 entries,`,
    `registered ring fd and socket, fixed buffer for zc, SO_SNDBUF 2 MiB, no warmup, ${windowS} s per run,`,
    `${rounds} rounds interleaved in random order. Requests/s are medians over rounds; ratios are`,
    `medians of the per-round ratios [min–max]. "zcspec" uses the example's ring flags (coop_taskrun),`,
    `"best" uses ${bestFlags.join("+")}. Linux ${release()}, ${cpu[0]?.model} × ${cpu.length}, load ${load0.toFixed(2)} -> ${loadavg()[0].toFixed(2)}.`,
    "",
  );
  const rows = [];
  for (const size of sizes) {
    for (const mode of ["send", "send_zc"]) {
      const k = (t) => `${t}/${mode}/${size}`;
      rows.push([
        String(size),
        mode,
        cell(rps.get(k("example"))),
        cell(rps.get(k("zcspec"))),
        cell(rps.get(k("zcspec-best"))),
        ratio(k("zcspec"), k("example")),
        ratio(k("zcspec-best"), k("example")),
      ]);
    }
  }
  out.push(
    table(
      ["size", "mode", "example/s", "zcspec/s", "best/s", "zcspec/example", "best/example"],
      rows,
    ),
    "",
  );
  const zcRows = sizes.map((size) => {
    const zc = (t) => ratio(`${t}/send_zc/${size}`, `${t}/send/${size}`);
    return [String(size), "send_zc/send", zc("example"), zc("zcspec"), zc("zcspec-best")];
  });
  out.push(table(["size", "ratio", "example", "zcspec", "best"], zcRows), "");
  if (sockperfWhyNot) out.push(`sockperf: skipped (${sockperfWhyNot})`);
  else {
    const spRows = sizes.map((size) => [
      String(size),
      "sendto",
      cell(rps.get(`sockperf/sendto/${size}`)),
      sendtoBuilt ? cell(rps.get(`zcspec/sendto/${size}`)) : "n/a",
      sendtoBuilt ? ratio(`zcspec/sendto/${size}`, `sockperf/sendto/${size}`) : "n/a",
      ratio(`zcspec/send/${size}`, `sockperf/sendto/${size}`),
    ]);
    out.push(
      "sockperf throughput mode (a plain sendto(2) loop, one syscall per datagram):",
      table(
        [
          "size",
          "mode",
          "sockperf/s",
          "zcspec sendto/s",
          "sendto/sockperf",
          "io_uring send/sockperf",
        ],
        spRows,
      ),
    );
    if (!sendtoBuilt)
      out.push(
        "(zcspec's sendto mode is not in this build, so only io_uring send is set beside sockperf)",
      );
  }
  if (short.length)
    out.push("", "the sink dropped fewer packets than a tool claimed to send:", ...short);
  process.stdout.write(`${out.join("\n")}\n`);
} finally {
  await sink?.close();
  cleanup();
}
