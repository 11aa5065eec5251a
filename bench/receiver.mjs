#!/usr/bin/env node
/**
 * What verifying on the receiving side costs the sender, on the pair target
 * (two namespaces joined by veth: the kernel selftest's topology), where
 * sender and receiver share this machine's CPUs and caches:
 *
 *   node bench/receiver.mjs [--rounds 5] [--seconds 1] [--warmup 0.2]
 *                           [--udp-size 4000] [--tcp-size 65536] [--family ipv4]
 *                           [--sender-cpu N] [--receiver-cpu N] [--seed N]
 *
 * The same cases (UDP and TCP, send and send_zc) run with each
 * receiver.verify setting (full, sample, off) side by side in one run,
 * interleaved: every round runs every case once, in an order shuffled from
 * the printed seed. For each case the sender's requests/s and CPU per
 * request are divided by those of the same case with verify: off in the
 * same round; the table shows each ratio's median over the rounds with its
 * range [min-max], and the receiver thread's own CPU per request. It is a
 * benchmark, not a test: it prints figures, it asserts nothing. Run it on a
 * quiet machine.
 */
import { cpus, loadavg, release } from "node:os";
import { readSpecText } from "../dist/index.js";
import { createPair, loadNative, namespaceBlocker } from "../dist/internal.js";
import { parseOptions, refuseBlocked, refuseUnless } from "./args.mjs";
import { runMeasured } from "./case-run.mjs";
import { int, median, shuffled, spread } from "./rounds.mjs";

const USAGE =
  "usage: node bench/receiver.mjs [--rounds 5] [--seconds 1] [--warmup 0.2]\n" +
  "                               [--udp-size 4000] [--tcp-size 65536] [--family ipv4|ipv6]\n" +
  "                               [--sender-cpu N] [--receiver-cpu N] [--seed N]";
const opt = parseOptions(
  {
    rounds: { type: "string", default: "5" },
    seconds: { type: "string", default: "1" },
    warmup: { type: "string", default: "0.2" },
    "udp-size": { type: "string", default: "4000" },
    "tcp-size": { type: "string", default: "65536" },
    family: { type: "string", default: "ipv4" },
    "sender-cpu": { type: "string" },
    "receiver-cpu": { type: "string" },
    seed: { type: "string" },
  },
  USAGE,
);
const rounds = Number(opt.rounds);
const seconds = Number(opt.seconds);
const warmup = Number(opt.warmup);
const udpSize = Number(opt["udp-size"]);
const tcpSize = Number(opt["tcp-size"]);
const cpuOpt = (v) => (v === undefined ? undefined : Number(v));
const senderCpu = cpuOpt(opt["sender-cpu"]);
const receiverCpu = cpuOpt(opt["receiver-cpu"]);
const seed = opt.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(opt.seed);
const wholeOrNone = (v) => v === undefined || (Number.isInteger(v) && v >= 0);
refuseUnless(
  Number.isInteger(rounds) &&
    rounds >= 1 &&
    seconds > 0 &&
    seconds <= 60 &&
    warmup >= 0 &&
    warmup <= 10 &&
    Number.isInteger(udpSize) &&
    udpSize >= 1 &&
    udpSize <= 65507 &&
    Number.isInteger(tcpSize) &&
    tcpSize >= 1 &&
    ["ipv4", "ipv6"].includes(opt.family) &&
    wholeOrNone(senderCpu) &&
    wholeOrNone(receiverCpu) &&
    Number.isInteger(seed),
  USAGE,
);
refuseBlocked(namespaceBlocker());

const VERIFY = ["full", "sample", "off"];

/** The cases: one spec, the matrix over verify, transport and mode; sizes and batches by transport. */
function benchCases() {
  const text = `version: 1
name: receiver-bench
defaults:
  target: pair
  socket: { family: ${opt.family} }
  buffers: { count: 1 }
  duration: ${Math.round(seconds * 1000)}ms
  warmup: ${Math.round(warmup * 1000)}ms
  ${senderCpu === undefined ? "" : `threads: { cpus: [${senderCpu}] }`}
  ${receiverCpu === undefined ? "" : `receiver: { cpu: ${receiverCpu} }`}
matrix:
  socket.type: [udp, tcp]
  mode: [send, send_zc]
  receiver.verify: [${VERIFY.join(", ")}]
  include:
    - { socket.type: udp, buffers.size: ${udpSize}, batch: 8 }
    - { socket.type: tcp, buffers.size: ${tcpSize}, batch: 1 }
`;
  return readSpecText("receiver-bench.yaml", text).cases;
}

/** One run of one case: the sender's rate and CPU per request, the receiver's CPU per request. */
async function runOnce(native, target, c) {
  const m = await runMeasured(native, target, c);
  return { rps: m.rps, cpu: m.cpuNsPerRequest, rxCpu: m.target.rxCpuNsPerRequest ?? Number.NaN };
}

const cases = benchCases();
const native = loadNative();
const target = await createPair(opt.family);
/** case name -> one entry per round */
const runs = new Map(cases.map((c) => [c.name, []]));
const started = Date.now();
try {
  process.stderr.write(
    `pair (${opt.family}), ${cases.length} cases x ${rounds} round(s), ${seconds} s + ${warmup} s warmup each, order seed ${seed}\n`,
  );
  for (let round = 0; round < rounds; round++) {
    for (const c of shuffled(cases, seed + round)) {
      runs.get(c.name)?.push(await runOnce(native, target, c));
    }
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }
} finally {
  await target.close();
}

/** "type=udp/send/verify=full" -> the same case with verify off */
const offOf = (name) => name.replace(/verify=(full|sample|off)/, "verify=off");
const rows = cases.map((c) => {
  const mine = runs.get(c.name) ?? [];
  const off = runs.get(offOf(c.name)) ?? [];
  const paired = (f) => mine.map((r, i) => f(r) / f(off[i]));
  return [
    c.socket.type,
    String(c.buffers.size),
    c.mode,
    c.receiver.verify,
    int.format(median(mine.map((r) => r.rps))),
    c.receiver.verify === "off" ? "1 (reference)" : spread(paired((r) => r.rps)),
    int.format(median(mine.map((r) => r.cpu))),
    c.receiver.verify === "off" ? "1 (reference)" : spread(paired((r) => r.cpu)),
    int.format(median(mine.map((r) => r.rxCpu))),
  ];
});
const head = [
  "type",
  "size",
  "mode",
  "verify",
  "sender req/s",
  "rate vs off",
  "sender CPU ns/req",
  "CPU/req vs off",
  "rx CPU ns/req",
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) =>
  cells.map((v, i) => (i < 4 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
process.stdout.write(
  `${[line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n")}\n`,
);
process.stdout.write(
  `\nmedians over ${rounds} round(s) [min-max of the per-round ratios]; ratios are to verify: off in the same round.\n` +
    `kernel ${release()}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}\n`,
);
