#!/usr/bin/env node
/**
 * zcspec on the pair target against the kernel's own selftest on the same
 * topology (tools/testing/selftests/net/io_uring_zerocopy_tx.sh, its
 * sender io_uring_zerocopy_tx and its receiver msg_zerocopy -r):
 *
 *   node bench/selftest.mjs [--rounds 3] [--src DIR | --ref v6.18]
 *                           [--family ipv4|ipv6|both] [--remote] [--seed N]
 *                           [--cells TEXT]
 *
 * The selftest's sources come from --src (a folder holding
 * io_uring_zerocopy_tx.c and msg_zerocopy.c, or a kernel tree) or are
 * downloaded from the kernel's tree at --ref; gcc builds them into a temp
 * directory, removed at exit. Its matrix: udp and tcp, -m 0..3 (copy,
 * send_zc, send_zc from a registered buffer, the three mixed at random),
 * UDP -n 32 and TCP -n 1, 65435-byte payloads, -t 1. Each cell runs as the
 * selftest and as the same zcspec case on the pair target (receiver.verify
 * off, and full), with the receivers pinned to the same CPU (the last:
 * the .sh's -C 2 does not exist on a 2-CPU machine) and the selftest's
 * buffers (SO_SNDBUF and SO_RCVBUF 2 MiB, optmem_max 1000000). --remote
 * also runs zcspec's sender against msg_zerocopy -r (a remote target at
 * the selftest's own namespaces), which separates sender and receiver.
 * Every round runs every run once, in an order shuffled from the seed.
 * Each ratio is zcspec's requests/s over the selftest's in the same round;
 * the table shows its median with the range [min-max]. The selftest's rate
 * is its tx count over its 1.2 s (its own tx/s line divides by 1 s). It is
 * a benchmark, not a test: it asserts nothing. Run it on a quiet machine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, release, tmpdir } from "node:os";
import { join } from "node:path";
import { compileCase, readSpecText } from "../dist/index.js";
import {
  createPair,
  loadNative,
  measure,
  namespaceBlocker,
  toNativePlan,
} from "../dist/internal.js";
import { parseOptions, refuseBlocked, refuseUnless } from "./args.mjs";
import { runMeasured } from "./case-run.mjs";
import { int, median, shuffled, spread } from "./rounds.mjs";
import {
  buildTools,
  createSelftestPair,
  fetchSources,
  PORT,
  runSelftestCell,
  startKernelReceiver,
} from "./selftest-kernel.mjs";

const USAGE =
  "usage: node bench/selftest.mjs [--rounds 3] [--src DIR | --ref v6.18]\n" +
  "                               [--family ipv4|ipv6|both] [--remote] [--seed N]\n" +
  "                               [--cells TEXT]  only the cells whose label holds TEXT (tcp -m 0)";
const opt = parseOptions(
  {
    rounds: { type: "string", default: "3" },
    src: { type: "string" },
    ref: { type: "string", default: "v6.18" },
    family: { type: "string", default: "ipv4" },
    remote: { type: "boolean", default: false },
    seed: { type: "string" },
    cells: { type: "string", default: "" },
  },
  USAGE,
);
const rounds = Number(opt.rounds);
const seed = opt.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(opt.seed);
const families = opt.family === "both" ? ["ipv4", "ipv6"] : [opt.family];
refuseUnless(
  Number.isInteger(rounds) &&
    rounds >= 1 &&
    ["ipv4", "ipv6", "both"].includes(opt.family) &&
    Number.isInteger(seed),
  USAGE,
);
refuseBlocked(namespaceBlocker());

/** the CPU both receivers are pinned to */
const RX_CPU = cpus().length - 1;
const SIZE = 65435;
const MODES = [
  { m: 0, mode: "send", register: "none" },
  { m: 1, mode: "send_zc", register: "none" },
  { m: 2, mode: "send_zc", register: "fixed" },
  { m: 3, mode: "mixed", register: "fixed" },
];
const allCells = families.flatMap((family) =>
  ["udp", "tcp"].flatMap((proto) =>
    MODES.map((x) => ({
      ...x,
      family,
      proto,
      n: proto === "udp" ? 32 : 1,
      label: `${family} ${proto} -m ${x.m} -n ${proto === "udp" ? 32 : 1}`,
    })),
  ),
);
const cells = allCells.filter((c) => c.label.includes(opt.cells));
refuseUnless(cells.length > 0, `--cells ${opt.cells}: no cell label holds it\n${USAGE}`);

/** zcspec's case for a cell, with the receiver verifying as `verify` says. */
function zcspecCase(cell, verify) {
  const text = `version: 1
name: selftest-bench
defaults:
  target: pair
  pair: { sysctls: { optmem_max: 1000000 } }
  receiver: { verify: ${verify}, rcvbuf: 2MiB, cpu: ${RX_CPU} }
  buffers: { size: ${SIZE}, count: 1, register: ${cell.register} }
  socket: { family: ${cell.family}, type: ${cell.proto}, sndbuf: 2MiB }
  ring: { entries: 512, flags: [], register_ring_fd: false, fixed_files: false }
  notifications: { reuse: immediate }
  duration: 1s
  warmup: 100ms
cases:
  - { name: c, mode: ${cell.mode}, batch: ${cell.n} }
`;
  const c = readSpecText("selftest-bench.yaml", text).cases[0];
  if (!c) throw new Error(`no case for ${cell.label}`);
  return c;
}

const addrBytes = { ipv4: [192, 168, 1, 2], ipv6: [0xfd, ...new Array(14).fill(0), 2] };

async function runZcspec(native, target, c) {
  const m = await runMeasured(native, target, c);
  // the receiver's counts include the warmup: reads per payload received
  const t = m.target;
  return { rps: m.rps, readsPerRequest: ((t.rxReads ?? Number.NaN) * SIZE) / (t.rxBytes ?? 0) };
}

/** zcspec's sender in the selftest's sending namespace, msg_zerocopy -r receiving. */
async function runRemote(native, tools, st, cell, c) {
  const rx = startKernelReceiver(tools, st, cell.family, cell.proto, RX_CPU);
  await new Promise((res) => setTimeout(res, 200));
  const dest = {
    netnsPath: `/run/netns/${st.tx}`,
    family: cell.family,
    dstAddr: addrBytes[cell.family],
  };
  const raw = await native.runCase({ ...toNativePlan(compileCase(c), dest), dst_port: PORT });
  const got = await rx.done;
  if (raw.status !== 0) throw new Error(`${cell.label} remote: ${raw.message}\n${got.text}`);
  return { rps: measure(raw).rps };
}

const dir = mkdtempSync(join(tmpdir(), "zcspec-selftest-"));
const cleanups = [() => rmSync(dir, { recursive: true, force: true })];
const cleanup = async () => {
  while (cleanups.length) await cleanups.pop()?.();
};
process.on("SIGINT", () => cleanup().finally(() => process.exit(130)));
const KINDS = ["selftest", "off", "full", ...(opt.remote ? ["remote"] : [])];
/** "cell label/kind" -> one run ({ rps, readsPerRequest }) per round */
const runs = new Map(cells.flatMap((c) => KINDS.map((k) => [`${c.label}/${k}`, []])));
const started = Date.now();
try {
  await fetchSources(dir, opt.src, opt.ref);
  const tools = buildTools(dir);
  const st = await createSelftestPair();
  cleanups.push(st.close);
  const native = loadNative();
  const pairs = new Map();
  for (const f of families) {
    const p = await createPair(f);
    cleanups.push(() => p.close());
    pairs.set(f, p);
  }
  const order = cells.flatMap((cell) => KINDS.map((kind) => ({ cell, kind })));
  process.stderr.write(
    `${cells.length} cells x ${KINDS.length} runs x ${rounds} round(s), order seed ${seed}, receivers on CPU ${RX_CPU}\n`,
  );
  for (let round = 0; round < rounds; round++) {
    for (const { cell, kind } of shuffled(order, seed + round)) {
      const r =
        kind === "selftest"
          ? await runSelftestCell(tools, st, cell, RX_CPU)
          : kind === "remote"
            ? await runRemote(native, tools, st, cell, zcspecCase(cell, "off"))
            : await runZcspec(native, pairs.get(cell.family), zcspecCase(cell, kind));
      runs.get(`${cell.label}/${kind}`)?.push(r);
    }
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }
} finally {
  await cleanup();
}

const rows = cells.map((cell) => {
  const of = (k) => (runs.get(`${cell.label}/${k}`) ?? []).map((r) => r.rps);
  const reads = (k) =>
    median((runs.get(`${cell.label}/${k}`) ?? []).map((r) => r.readsPerRequest)).toFixed(2);
  const base = of("selftest");
  const ratio = (k) => spread(of(k).map((v, i) => v / (base[i] ?? Number.NaN)));
  return [
    cell.label,
    int.format(median(base)),
    int.format(median(of("off"))),
    ratio("off"),
    ratio("full"),
    ...(opt.remote ? [ratio("remote")] : []),
    cell.proto === "tcp" ? `${reads("selftest")} / ${reads("off")}` : "-",
  ];
});
const head = [
  "cell",
  "selftest req/s",
  "zcspec off req/s",
  "off / selftest",
  "full / selftest",
  ...(opt.remote ? ["sender only / selftest"] : []),
  "rx reads/req selftest / off",
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells_) =>
  cells_.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
process.stdout.write(
  `${[line(head), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n")}\n`,
);
process.stdout.write(
  `\nmedians over ${rounds} round(s) [min-max of the per-round ratios to the selftest's cell in the same round]; ` +
    "off/full: zcspec on the pair with receiver.verify off/full; rx reads/req: TCP reads that returned data per request (msg_zerocopy -r's rx=, zcspec's result target.rxReads)" +
    (opt.remote ? "; sender only: zcspec's sender to msg_zerocopy -r" : "") +
    ".\n" +
    `kernel ${release()}, ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}, ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${seed}\n`,
);
