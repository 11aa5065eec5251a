#!/usr/bin/env node
/**
 * Do zcspec's verdicts survive a noisy machine? Runs the cover letter's dummy
 * table (send vs send_zc on the sink) twice in one go: once as the machine
 * is, once with a CPU hog on every core but one. For every zerocopy/copy
 * relation (requests/s and CPU per request, at every size) it prints both
 * runs' ratios with their 95 % intervals and verdicts, and whether the
 * verdicts agree: a relation may be inconclusive in one run, but never held
 * in one and failed in the other. Also the wall time and rounds each run
 * needed to reach the requested interval width. A benchmark, not a test.
 *
 *   node bench/noise.mjs [--repeat 5..20@5%] [--duration 300ms] [--warmup 50ms] [--seed N]
 */
import { spawn } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { consoleReporter, parseDuration, readSpec, runSuite, withTiming } from "../dist/index.js";
import { compareCases, namespaceBlocker, verdict } from "../dist/internal.js";
import { parseOptions } from "./args.mjs";

const USAGE = `usage: node bench/noise.mjs [--repeat MIN..MAX@PCT] [--duration TIME] [--warmup TIME] [--seed N] [--spec FILE]

  --repeat    adaptive repetition of every case (default 5..20@5%)
  --duration  measured time per repetition (default 300ms)
  --warmup    warmup per repetition (default 50ms)
  --seed      seed of both runs' round order (default: random, printed)
  --spec      the spec to run twice (default specs/cover-letter/udp-dummy.yaml)`;

const opt = parseOptions(
  {
    repeat: { type: "string", default: "5..20@5%" },
    duration: { type: "string", default: "300ms" },
    warmup: { type: "string", default: "50ms" },
    seed: { type: "string" },
    spec: {
      type: "string",
      default: join(new URL("../", import.meta.url).pathname, "specs/cover-letter/udp-dummy.yaml"),
    },
  },
  USAGE,
);

function usage(message) {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const m = /^(\d+)\.\.(\d+)@([0-9.]+)(%?)$/.exec(opt.repeat);
if (!m) usage(`--repeat ${opt.repeat} is not MIN..MAX@PCT`);
const [min, max] = [Number(m[1]), Number(m[2])];
const until = Number(m[3]) / (m[4] ? 100 : 1);
if (!(min >= 2 && max >= min && until > 0 && until < 1))
  usage(`--repeat ${opt.repeat} is out of range`);
let durationNs;
let warmupNs;
try {
  durationNs = parseDuration(opt.duration);
  warmupNs = parseDuration(opt.warmup);
} catch (e) {
  usage(e.message);
}
const seed = opt.seed === undefined ? Math.floor(Math.random() * 2 ** 32) : Number(opt.seed);
if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32)
  usage(`--seed ${opt.seed} is not an integer`);

const blocked = namespaceBlocker();
if (blocked) {
  process.stderr.write(`bench/noise.mjs needs the sink target, which ${blocked}\n`);
  process.exit(3);
}

const spec = withTiming(await readSpec(opt.spec), {
  durationNs,
  warmupNs,
  repeat: { repeat: min, adaptive: { max, until } },
});

/** Busy loops on every core but one, ended by the returned function. */
function startHogs() {
  const n = Math.max(1, cpus().length - 1);
  const hogs = Array.from({ length: n }, () =>
    spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }),
  );
  return () => {
    for (const h of hogs) h.kill("SIGKILL");
  };
}

let stopHogs = () => {};
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    stopHogs();
    process.exit(sig === "SIGINT" ? 130 : 143);
  });
}

async function measure(label) {
  process.stderr.write(`\n== ${label}: load average ${loadavg()[0].toFixed(2)} at start\n`);
  const started = Date.now();
  const suite = await runSuite([spec], {
    reporters: [consoleReporter({ out: process.stderr })],
    seed,
  });
  const run = suite.runs[0];
  return { label, run, wallS: (Date.now() - started) / 1000, load: loadavg()[0] };
}

const quiet = await measure("quiet");
stopHogs = startHogs();
let loaded;
try {
  loaded = await measure(`loaded (${Math.max(1, cpus().length - 1)} CPU hog(s))`);
} finally {
  stopHogs();
}

/** The zerocopy/copy relations of a run: per size, send_zc over send. */
function relations(run) {
  const byKey = new Map(run.results.map((r) => [`${r.case.mode}/${r.case.buffers.size}`, r]));
  const out = [];
  for (const r of run.results) {
    if (r.case.mode !== "send_zc") continue;
    const copy = byKey.get(`send/${r.case.buffers.size}`);
    if (!copy) continue;
    for (const [figure, side, name] of [
      ["rps", "above", "requests/s"],
      ["cpuNsPerRequest", "below", "CPU per request"],
    ]) {
      const e = compareCases(r, copy, figure);
      out.push({
        key: `${r.case.buffers.size} B, ${name}`,
        e,
        verdict: e ? verdict(e, 1, side) : "inconclusive",
      });
    }
  }
  return out;
}

const fmt = (e) =>
  e ? `${e.value.toFixed(3)} [${e.low.toFixed(3)}–${e.high.toFixed(3)}] n=${e.n}` : "no pairs";
const a = relations(quiet.run);
const b = new Map(relations(loaded.run).map((r) => [r.key, r]));
const rows = [];
let disagreements = 0;
for (const r of a) {
  const o = b.get(r.key);
  const pair = [r.verdict, o?.verdict ?? "inconclusive"];
  const clash = pair.includes("held") && pair.includes("failed");
  if (clash) disagreements++;
  rows.push([r.key, fmt(r.e), r.verdict, fmt(o?.e), o?.verdict ?? "-", clash ? "NO" : "yes"]);
}
const head = [
  "send_zc / send at",
  "quiet: ratio [95 % CI]",
  "verdict",
  "loaded: ratio [95 % CI]",
  "verdict",
  "agree",
];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) =>
  cells
    .map((c, i) => String(c).padEnd(widths[i]))
    .join("  ")
    .trimEnd();
console.log(
  `\nspec ${opt.spec}, repeat ${min}..${max}@${until * 100}%, ${opt.duration} per run, seed ${seed}`,
);
console.log(line(head));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const r of rows) console.log(line(r));
for (const r of [quiet, loaded]) {
  const info = r.run.rounds;
  const disturbed = r.run.results.reduce(
    (n, c) => n + (c.repetitions ?? []).filter((p) => p.disturbed).length,
    0,
  );
  console.log(
    `${r.label}: ${r.wallS.toFixed(1)} s wall, ${info?.rounds ?? 1} rounds, stopped by ${info?.stoppedBy ?? "count"}, ${disturbed} disturbed repetition(s), load average ${r.load.toFixed(2)} at end`,
  );
}
console.log(
  disagreements
    ? `${disagreements} relation(s) held in one run and failed in the other`
    : "every verdict agrees (no relation held in one run and failed in the other)",
);
process.exitCode = disagreements ? 1 : 0;
