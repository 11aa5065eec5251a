#!/usr/bin/env node
/**
 * `npm run reproduce`: run the cover-letter suite (specs/cover-letter/) on
 * this machine and write results.json and REPORT.md (the letter's tables
 * with the measured figures beside them). Uses the library in dist/, so the
 * npm script builds it first.
 *
 *   node bench/reproduce.mjs [--out DIR] [--duration TIME] [--warmup TIME]
 *
 * Cases with target: remote (udp-nic.yaml's real-NIC rows) are left out
 * here by construction: they need `zcspec run ... --allow-remote`.
 */
import { writeFileSync } from "node:fs";
import { cpus, release } from "node:os";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  compileCase,
  consoleReporter,
  coverLetterReporter,
  parseDuration,
  readSpec,
  removeLiveNamespacesSync,
  runSpec,
  withTiming,
} from "../dist/index.js";

const ROOT = new URL("../", import.meta.url).pathname;
const SPECS = ["udp-dummy", "msg-zerocopy", "udp-nic", "tcp-localhost"].map((n) =>
  relative(process.cwd(), join(ROOT, "specs/cover-letter", `${n}.yaml`)),
);

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "." },
    duration: { type: "string" },
    warmup: { type: "string" },
  },
});
const out = resolve(values.out);
const timing = {
  ...(values.duration ? { durationNs: parseDuration(values.duration) } : {}),
  ...(values.warmup ? { warmupNs: parseDuration(values.warmup) } : {}),
};

for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    removeLiveNamespacesSync();
    process.stderr.write(`\ninterrupted (${sig}); namespaces removed, partial REPORT.md kept\n`);
    process.exit(sig === "SIGINT" ? 130 : 143);
  });
}

const cpu = cpus();
const environment = `Measured ${new Date().toISOString().slice(0, 16)}Z on Linux ${release()}, ${cpu[0]?.model ?? "unknown CPU"} × ${cpu.length} cores.`;

const specs = [];
for (const file of SPECS) {
  const spec = withTiming(await readSpec(file), timing);
  const remote = spec.cases.filter((c) => c.target === "remote").length;
  specs.push({
    spec: { ...spec, cases: spec.cases.filter((c) => c.target !== "remote") },
    remote,
    title: spec.source.data?.report?.title,
  });
}

// what will run and about how long, so a user knows what they are waiting for
const runnable = specs.flatMap(({ spec }) =>
  spec.cases.filter((c) => compileCase(c).unsupported.length === 0),
);
const total = specs.reduce((n, { spec }) => n + spec.cases.length, 0);
const seconds = runnable.reduce((s, c) => s + (c.duration_ns + c.warmup_ns) * c.repeat, 0) / 1e9;
process.stderr.write(
  `cover-letter suite: ${runnable.length} of ${total} cases run here (about ${Math.ceil(seconds)} s); ` +
    `the others need features this build lacks and are listed as skipped with the reason\n`,
);
for (const { spec, remote } of specs) {
  if (remote)
    process.stderr.write(
      `${spec.name}: ${remote} remote case(s) left out: run \`zcspec run ${spec.file} --allow-remote\` with ZCSPEC_REMOTE_ADDR set\n`,
    );
}

const titles = Object.fromEntries(
  specs.flatMap(({ spec, title }) => (title ? [[spec.name, title]] : [])),
);
const report = join(out, "REPORT.md");
// one reporter for the whole suite: it re-renders every spec run so far at each spec's end
const letter = coverLetterReporter((md) => writeFileSync(report, md), { environment, titles });
const runs = [];
let failed = false;
for (const [i, { spec }] of specs.entries()) {
  process.stderr.write(`\n== spec ${i + 1}/${specs.length}: ${spec.name}\n`);
  const run = await runSpec(spec, {
    reporters: [consoleReporter(), letter],
  });
  runs.push(run);
  failed ||= run.results.some((r) => r.status === "failed" || r.status === "error");
  writeFileSync(join(out, "results.json"), `${JSON.stringify({ environment, runs }, null, 2)}\n`);
}
process.stderr.write(`\nwrote ${join(out, "results.json")} and ${report}\n`);
process.exitCode = failed ? 1 : 0;
