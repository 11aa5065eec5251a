#!/usr/bin/env node
/**
 * NAPI busy poll's effect on TCP send_zc notification latency on the pair,
 * with its interval:
 *
 *   node bench/napi.mjs [--repeat 10] [--duration 2s]
 *
 * Runs specs/examples/napi.yaml (ring.napi.busy_poll_us 50 against 0, the
 * same pair with GRO and the same background poll) with `zcspec run
 * --repeat N`, whose rounds run both cases in a shuffled order, and prints,
 * for the notification span's p50 and p99 (submit to notification), each
 * case's median over the rounds and the ratio busy poll / none with its
 * 95 % interval, paired by round (pairedRatio: Student's t on the logs of
 * the per-round ratios, the interval faster() and cheaper() judge on). A
 * ratio whose interval lies below 1 says busy poll shortened it. It also
 * prints the sender's CPU per request the same way (busy polling spends
 * CPU), and what each case registered (measured.napi). Needs root (the
 * pair's namespaces), ethtool and a kernel with IORING_REGISTER_NAPI (6.9).
 * A benchmark, not a test: run it on a quiet machine.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { pairedRatio } from "../dist/internal.js";
import { parseOptions } from "./args.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const SPEC = join(ROOT, "specs/examples/napi.yaml");
const opts = parseOptions(
  { repeat: { type: "string", default: "10" }, duration: { type: "string", default: "2s" } },
  "usage: node bench/napi.mjs [--repeat 10] [--duration 2s]",
);

const dir = mkdtempSync(join(tmpdir(), "zcspec-napi-"));
try {
  const json = join(dir, "napi.json");
  const args = ["run", SPEC, "--repeat", opts.repeat, "--duration", opts.duration, "--json", json];
  console.log(`load ${loadavg()[0].toFixed(2)}; zcspec ${args.join(" ")}`);
  const run = spawnSync(join(ROOT, "bin/zcspec.js"), args, { stdio: "inherit" });
  if (run.status !== 0 && run.status !== 1) process.exit(run.status ?? 1);
  const results = JSON.parse(readFileSync(json, "utf8")).runs[0].results;
  const off = results.find((r) => r.case.ring.napi.busy_poll_us === 0);
  const on = results.find((r) => r.case.ring.napi.busy_poll_us > 0);
  for (const r of [off, on])
    if (r?.status !== "passed" && r?.status !== "failed") {
      console.error(`${r?.case.name}: ${r?.status}: ${r?.reason ?? ""}`);
      process.exit(1);
    }
  console.log(`\n${on.case.name}: registered ${JSON.stringify(on.measured.napi)}`);
  console.log(`both: topology.gro ${on.topology.gro}, ${on.topology.destination}\n`);
  const byRound = (r) => new Map(r.runs.map((m, i) => [r.repetitions?.[i]?.round ?? i, m]));
  const a = byRound(on);
  const b = byRound(off);
  const rounds = [...a.keys()].filter((k) => b.has(k));
  const rows = [
    ["notification p50", (m) => m.latency.notif?.p50, "µs", 1e3],
    ["notification p99", (m) => m.latency.notif?.p99, "µs", 1e3],
    ["sender CPU per request", (m) => m.cpuNsPerRequest, "ns", 1],
  ];
  const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
  console.log(`${rounds.length} rounds paired; ratio = busy poll / none, 95 % interval`);
  for (const [name, get, unit, scale] of rows) {
    const x = rounds.map((k) => get(a.get(k)));
    const y = rounds.map((k) => get(b.get(k)));
    const e = pairedRatio(x, y);
    const fmt = (v) => `${(v / scale).toFixed(1)} ${unit}`;
    console.log(
      `${name.padEnd(24)} none ${fmt(median(y)).padStart(10)}  busy poll ${fmt(median(x)).padStart(10)}  ` +
        `ratio ${e.value.toFixed(3)} [${e.low.toFixed(3)}, ${e.high.toFixed(3)}] (n ${e.n})`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
