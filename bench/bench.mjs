#!/usr/bin/env node
/**
 * `npm run bench`: zcspec's sender against the liburing send-zerocopy
 * example (and sockperf's throughput mode), side by side in one run.
 *
 *   node bench/bench.mjs [--rounds 5] [--seconds 1] [--sizes 600,4000,8000]
 *                        [--best-flags single_issuer,defer_taskrun] [--no-sockperf]
 *                        [--example-src send-zerocopy.c] [--knobs]
 *
 * Everything sends UDP into one sink namespace (src/env/sink.ts, the same
 * one `zcspec run` builds), with the example's settings: batch 8, 512
 * entries, COOP_TASKRUN, registered ring fd and socket, a registered
 * buffer for zerocopy, SO_SNDBUF 2 MiB, no warmup, seconds + 200 ms per
 * run. The example is built here (example.mjs) from Debian's liburing-dev,
 * or from --example-src, into a temp directory (never committed), and
 * zcspec's "example settings" match its ring: no SQ array where the
 * liburing it is built with (2.6+) sets IORING_SETUP_NO_SQARRAY. --knobs
 * adds the example's newer options beside zcspec's: -y against
 * socket.background_poll, and zcspec with the other SQ array choice.
 * Runs are interleaved in a different random order every round, and each
 * ratio is taken within a round, so the machine's drift hits both sides.
 * It is a benchmark, not a test: it prints figures, it asserts nothing.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { compileCase, probeCapabilities, readSpecText } from "../dist/index.js";
import { createSink, loadNative, namespaceBlocker } from "../dist/internal.js";
import { parseOptions } from "./args.mjs";
import { runMeasured } from "./case-run.mjs";
import { buildExample, DEBIAN_EXAMPLE, inSink, runExample } from "./example.mjs";
import { knobJobs, knobsReport } from "./knobs.mjs";
import { int, median, shuffled, spread } from "./rounds.mjs";

const PORT = 9;
const SNDBUF = 2 * 1024 * 1024;

const opt = parseOptions(
  {
    rounds: { type: "string", default: "5" },
    seconds: { type: "string", default: "1" },
    sizes: { type: "string", default: "600,4000,8000" },
    "best-flags": { type: "string", default: "single_issuer,defer_taskrun" },
    "no-sockperf": { type: "boolean", default: false },
    "example-src": { type: "string", default: DEBIAN_EXAMPLE },
    knobs: { type: "boolean", default: false },
    cpu: { type: "string" },
  },
  "usage: node bench/bench.mjs [--rounds 5] [--seconds 1] [--sizes 600,4000,8000]\n" +
    "                            [--best-flags single_issuer,defer_taskrun] [--no-sockperf]\n" +
    "                            [--example-src FILE] [--knobs] [--cpu N]\n" +
    "  --example-src FILE  the send-zerocopy.c to build (default: Debian's, liburing 2.3's);\n" +
    "                      linked statically against the liburing gcc finds\n" +
    "                      (C_INCLUDE_PATH, LIBRARY_PATH); zcspec matches its ring\n" +
    "  --knobs             also: the example's -y against socket.background_poll (where\n" +
    "                      the example has -y), and zcspec with the other SQ array choice\n" +
    "  --cpu N             every sender on CPU N (the example and sockperf through taskset,\n" +
    "                      zcspec with threads.cpus), so no run migrates between CPUs",
);
const rounds = Number(opt.rounds);
const seconds = Number(opt.seconds);
const sizes = opt.sizes.split(",").map(Number);
const bestFlags = opt["best-flags"].split(",");
const pinCpu = opt.cpu === undefined ? undefined : Number(opt.cpu);
if (
  !(rounds >= 1) ||
  !Number.isInteger(seconds) ||
  seconds < 1 ||
  sizes.some((s) => !(s > 0)) ||
  (pinCpu !== undefined && !(Number.isInteger(pinCpu) && pinCpu >= 0 && pinCpu < cpus().length))
) {
  process.stderr.write(
    "usage: --rounds N (>= 1), --seconds S (whole, >= 1), --sizes a,b,c, --cpu N (a CPU here)\n",
  );
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
const exampleSrc = opt["example-src"];
if (!existsSync(exampleSrc))
  fail(
    exampleSrc === DEBIAN_EXAMPLE
      ? `${exampleSrc} is missing: apt-get install -y liburing-dev (it ships the example)`
      : `--example-src ${exampleSrc}: no such file`,
  );

const tmp = mkdtempSync(join(tmpdir(), "zcspec-bench-"));
let sink;
// zcspec's exit hook removes the sink's namespace
const cleanup = () => {
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

/**
 * zcspec cases with the example's settings (and sendto if built), keyed variant/mode/size:
 * "zcspec" with the example's ring (`sq`: [no_sqarray] where it has no SQ array, else []) and
 * the default latency (one request in 64 timed), "zcspec-off" the same with latency off (no
 * request timed: what the instrument costs is the gap between the two), "zcspec-best" with
 * --best-flags, and for --knobs "zcspec-poll" (socket.background_poll,
 * the example's -y) and, where the kernel has NO_SQARRAY, "zcspec-sq" (the other SQ array
 * choice).
 */
function zcspecCases(sq, kernelNoSq) {
  const base = ["coop_taskrun", ...sq];
  const otherSq = sq.length ? ["coop_taskrun"] : ["coop_taskrun", "no_sqarray"];
  const variants = [
    ["zcspec", base, false, ["send", "send_zc", "sendto"]],
    ["zcspec-off", base, false, ["send", "send_zc"], "off"],
    ["zcspec-best", bestFlags, false, ["send", "send_zc"]],
    ...(opt.knobs ? [["zcspec-poll", base, true, ["send", "send_zc"]]] : []),
    ...(opt.knobs && kernelNoSq ? [["zcspec-sq", otherSq, false, ["send", "send_zc"]]] : []),
  ];
  const out = new Map();
  for (const [variant, flags, poll, modes, latency = "sampled"] of variants) {
    const text = `version: 1
name: bench
defaults:
  target: sink
  socket: { family: ipv4, type: udp, connect: true, sndbuf: ${SNDBUF}, port: ${PORT}, background_poll: ${poll} }
  ring: { entries: 512, register_ring_fd: true, fixed_files: true, flags: [${flags.join(", ")}] }
  buffers: { register: auto, count: 1 }
  notifications: { reuse: immediate }${pinCpu === undefined ? "" : `\n  threads: { cpus: [${pinCpu}] }`}
  latency: { record: ${latency} }
  batch: 8
  duration: ${windowS * 1000}ms
  warmup: 0
matrix:
  mode: [${modes.join(", ")}]
  buffers.size: [${sizes.join(", ")}]
`;
    for (const c of readSpecText("bench.yaml", text).cases)
      out.set(`${variant}/${c.mode}/${c.buffers.size}`, c);
  }
  return out;
}

async function runZcspec(native, target, c) {
  const m = await runMeasured(native, target, c);
  return { rps: m.rps, cpuNs: m.cpuNsPerRequest, sent: m.requests, dropped: m.target.txDropped };
}

async function runSockperf(ns, dst, target, c) {
  const session = await target.beginCase(c);
  const argv = ["sockperf", "tp", "-i", dst, "-p", String(PORT), "-m", String(c.buffers.size)];
  argv.push("-t", String(seconds), "--buffer-size", String(SNDBUF));
  const { output, cpuNs } = await inSink(ns, argv, pinCpu);
  const m = /Total of (\d+) messages sent in ([0-9.]+) sec/.exec(output);
  if (!m) throw new Error(`sockperf printed no total: ${output.trim().slice(-300)}`);
  const sent = Number(m[1]);
  // sockperf's CPU includes its warmup and its setup around the timed second: not comparable
  return {
    rps: sent / Number(m[2]),
    cpuNs: cpuNs / sent,
    sent,
    dropped: (await session.collect()).txDropped,
  };
}

try {
  const example = buildExample(exampleSrc, tmp);
  if (example.error) fail(example.error);
  const native = loadNative();
  // the example's ring has no SQ array where its liburing sets the flag and the kernel has it
  const kernelNoSq = probeCapabilities(native).features.no_sqarray.ok;
  const sq = example.noSqarray && kernelNoSq ? ["no_sqarray"] : [];
  const sockperfWhyNot = sockperfBlocker();
  const cases = zcspecCases(sq, kernelNoSq);
  const sendtoBuilt = compileCase(cases.get(`zcspec/sendto/${sizes[0]}`)).unsupported.length === 0;
  sink = await createSink();
  const ns = basename(sink.netnsPath);
  const dst = sink.dstAddr.join(".");
  const at = { ns, dst, port: PORT, target: sink, seconds, windowS, cpu: pinCpu };
  // per size, one group of runs (every tool and mode); a round runs the groups
  // in a random order and each group's runs in a random order, so the runs a
  // ratio pairs are seconds apart and see the same neighbours on the machine
  const groups = sizes.map((size) => {
    const jobs = [];
    for (const mode of ["send", "send_zc"]) {
      for (const variant of ["zcspec", "zcspec-off", "zcspec-best"]) {
        const key = `${variant}/${mode}/${size}`;
        jobs.push({ key, run: () => runZcspec(native, sink, cases.get(key)) });
      }
      const c = cases.get(`zcspec/${mode}/${size}`);
      jobs.push({
        key: `example/${mode}/${size}`,
        run: () => runExample(example, { ...at, c, zc: mode === "send_zc", poll: false }),
      });
    }
    if (opt.knobs)
      jobs.push(
        ...knobJobs({ example, cases, size, at, zcspec: (c) => runZcspec(native, sink, c) }),
      );
    const sendto = cases.get(`zcspec/sendto/${size}`);
    if (sendtoBuilt)
      jobs.push({ key: `zcspec/sendto/${size}`, run: () => runZcspec(native, sink, sendto) });
    if (!sockperfWhyNot)
      jobs.push({ key: `sockperf/sendto/${size}`, run: () => runSockperf(ns, dst, sink, sendto) });
    return jobs;
  });
  const perRound = groups.reduce((n, g) => n + g.length, 0);

  const cpu = cpus();
  const load0 = loadavg()[0];
  process.stderr.write(
    `bench: ${perRound} runs of ${windowS} s per round, ${rounds} rounds (about ${Math.ceil((perRound * rounds * (windowS + 0.2)) / 60)} min)\n`,
  );
  /** per key, one figure per round */
  const rps = new Map();
  const cpuNs = new Map();
  const short = [];
  const tty = process.stderr.isTTY;
  for (let r = 0; r < rounds; r++) {
    let i = 0;
    for (const [g, group] of shuffled(groups, r + 1).entries()) {
      for (const job of shuffled(group, 1000 * (r + 1) + g)) {
        i++;
        if (tty)
          process.stderr.write(
            `\rround ${r + 1}/${rounds}  run ${i}/${perRound}  ${job.key.padEnd(28)}`,
          );
        const res = await job.run();
        for (const [m, v] of [
          [rps, res.rps],
          [cpuNs, res.cpuNs],
        ])
          m.set(job.key, [...(m.get(job.key) ?? []), v]);
        // the sink's device must have dropped what the tool says it sent
        if (res.dropped !== undefined && res.dropped < res.sent)
          short.push(`${job.key}: sent ${res.sent}, sink dropped ${res.dropped}`);
      }
    }
    if (!tty) process.stderr.write(`round ${r + 1}/${rounds} done\n`);
  }
  process.stderr.write(tty ? "\n\n" : "\n");

  const cell = (m, key) => (m.get(key)?.length ? int.format(median(m.get(key))) : "-");
  /** median [min–max] of the per-round ratios of a over b (higher is better for a) */
  const ratio = (m, a, b) => {
    const xs = m.get(a);
    const ys = m.get(b);
    if (!xs?.length || !ys?.length) return "-";
    // for CPU per request, less is better: b's cost over a's
    return spread(xs.map((x, i) => (m === cpuNs ? ys[i] / x : x / ys[i])));
  };
  const table = (head, rows) => {
    const w = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells) =>
      cells.map((c, i) => (i < 2 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
    return [line(head), line(w.map((n) => "-".repeat(n))), ...rows.map(line)].join("\n");
  };
  const versus = (m, unit) => {
    const rows = [];
    for (const size of sizes) {
      for (const mode of ["send", "send_zc"]) {
        const k = (t) => `${t}/${mode}/${size}`;
        rows.push([
          String(size),
          mode,
          cell(m, k("example")),
          cell(m, k("zcspec")),
          cell(m, k("zcspec-off")),
          cell(m, k("zcspec-best")),
          ratio(m, k("zcspec"), k("example")),
          ratio(m, k("zcspec-off"), k("example")),
          ratio(m, k("zcspec-best"), k("example")),
        ]);
      }
    }
    const head = ["size", "mode", `example ${unit}`, `zcspec ${unit}`, `off ${unit}`];
    return table([...head, `best ${unit}`, "zcspec/example", "off/example", "best/example"], rows);
  };
  const zcOverCopy = (m) =>
    table(
      ["size", "ratio", "example", "zcspec", "best"],
      sizes.map((size) => {
        const zc = (t) => ratio(m, `${t}/send_zc/${size}`, `${t}/send/${size}`);
        return [String(size), "send_zc/send", zc("example"), zc("zcspec"), zc("zcspec-best")];
      }),
    );

  const out = [];
  out.push(
    "zcspec vs the liburing send-zerocopy example: UDP into the sink namespace, batch 8, 512 entries,",
    `registered ring fd and socket, fixed buffer for zc, SO_SNDBUF 2 MiB, no warmup, ${windowS} s per run,`,
    `${rounds} rounds, runs interleaved in random order. Figures are medians over rounds; ratios are`,
    "medians of the per-round ratios [min–max], higher is better for the first named.",
    `"zcspec" uses the example's ring flags (${["coop_taskrun", ...sq].join("+")}), "best" uses ${bestFlags.join("+")}.`,
    '"zcspec" times one request in 64 (latency\'s default), "off" is zcspec with latency: { record: off }.',
    `The example: ${example.src}, built against liburing ${example.liburing}: its ring has ${sq.length ? "no SQ array (IORING_SETUP_NO_SQARRAY)" : "an SQ array"}.`,
    `Linux ${release()}, ${cpu[0]?.model} × ${cpu.length}, load average ${load0.toFixed(2)} at start, ${loadavg()[0].toFixed(2)} at end${pinCpu === undefined ? "" : `, every sender on CPU ${pinCpu}`}.`,
    "",
    "Requests per second (wall clock):",
    versus(rps, "req/s"),
    "",
    "CPU per request (user + sys of the sender; ratios are CPU of the second over the first):",
    versus(cpuNs, "ns"),
    "",
    "zerocopy over copy, requests per second:",
    zcOverCopy(rps),
    "",
    "zerocopy over copy, CPU per request:",
    zcOverCopy(cpuNs),
    "",
  );
  // the goals, read off the medians above: parity with identical settings, +10 % with the best flags
  const medians = (m, variant) =>
    sizes.flatMap((size) =>
      ["send", "send_zc"].map((mode) => {
        const a = m.get(`${variant}/${mode}/${size}`);
        const b = m.get(`example/${mode}/${size}`);
        return median(a.map((x, i) => (m === cpuNs ? b[i] / x : x / b[i])));
      }),
    );
  const range = (xs) => `${Math.min(...xs).toFixed(2)}..${Math.max(...xs).toFixed(2)}`;
  out.push(
    `goal >= 0.99, identical settings: zcspec/example medians ${range(medians(rps, "zcspec"))} (requests/s), ${range(medians(cpuNs, "zcspec"))} (CPU per request)`,
    `latency off:                      off/example medians ${range(medians(rps, "zcspec-off"))} (requests/s), ${range(medians(cpuNs, "zcspec-off"))} (CPU per request)`,
    `goal >= 1.10, best flags:         best/example medians ${range(medians(rps, "zcspec-best"))} (requests/s), ${range(medians(cpuNs, "zcspec-best"))} (CPU per request)`,
    "",
  );
  if (sockperfWhyNot) out.push(`sockperf: skipped (${sockperfWhyNot})`);
  else {
    const spRows = sizes.map((size) => [
      String(size),
      "sendto",
      cell(rps, `sockperf/sendto/${size}`),
      sendtoBuilt ? cell(rps, `zcspec/sendto/${size}`) : "n/a",
      sendtoBuilt ? ratio(rps, `zcspec/sendto/${size}`, `sockperf/sendto/${size}`) : "n/a",
      ratio(rps, `zcspec/send/${size}`, `sockperf/sendto/${size}`),
    ]);
    out.push(
      "sockperf throughput mode (a plain sendto(2) loop, one syscall per datagram), requests per second:",
      table(
        ["size", "mode", "sockperf", "zcspec sendto", "sendto/sockperf", "io_uring send/sockperf"],
        spRows,
      ),
    );
    if (!sendtoBuilt)
      out.push(
        "(zcspec's sendto mode is not in this build, so only io_uring send is set beside sockperf)",
      );
  }
  if (opt.knobs)
    out.push("", ...knobsReport({ example, sq, cases, sizes, rps, cpuNs, ratio, table }));
  if (short.length)
    out.push("", "the sink dropped fewer packets than a tool claimed to send:", ...short);
  process.stdout.write(`${out.join("\n")}\n`);
} finally {
  await sink?.close();
  cleanup();
}
