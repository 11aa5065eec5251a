#!/usr/bin/env node
/**
 * `npm run reproduce`: run the cover-letter suite (specs/cover-letter/) on
 * this machine and write results.json (every figure), REPORT.md (the
 * letter's tables, letter vs measured, with intervals and the claims they
 * support) and chart.svg (requests/s by size per mode with error bars, and
 * zerocopy/copy ratios with their bands). Uses the library in dist/, so the
 * npm script builds it first.
 *
 *   node bench/reproduce.mjs [--out DIR] [--duration TIME] [--warmup TIME]
 *
 * Cases with target: remote (udp-nic.yaml's real-NIC rows) are taken out of
 * the specs before anything runs, so they cannot send here: they need
 * `zcspec run specs/cover-letter/udp-nic.yaml --allow-remote`.
 *
 * Last, a short break-even search (specs/examples/break-even.yaml: where
 * send_zc starts to beat send on the sink) with its budget cut to 1 minute
 * and 300 ms per repetition, so that the whole stays near 4 minutes; REPORT.md
 * puts its bracket beside the dummy table. The full search (15 min budget,
 * 1 s per repetition) is `zcspec run specs/examples/break-even.yaml`.
 */
import { mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import {
  compileCase,
  consoleReporter,
  coverLetterFormat,
  fileReporter,
  jsonFormat,
  parseDuration,
  readSpec,
  renderCoverLetter,
  runSuite,
  suiteVerdict,
  svgFormat,
  withTiming,
} from "../dist/index.js";
import { parseOptions } from "./args.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const SPECS = ["udp-dummy", "msg-zerocopy", "udp-nic", "tcp-localhost"].map((n) =>
  relative(process.cwd(), join(ROOT, "specs/cover-letter", `${n}.yaml`)),
);
const SEARCH = relative(process.cwd(), join(ROOT, "specs/examples/break-even.yaml"));
/** the search's budget here, and its repetitions unless --duration/--warmup say otherwise */
const SEARCH_BUDGET_MS = 60_000;
const SEARCH_TIMING = { durationNs: 300e6, warmupNs: 100e6 };

const values = parseOptions(
  {
    out: { type: "string", default: "." },
    duration: { type: "string" },
    warmup: { type: "string" },
  },
  "usage: node bench/reproduce.mjs [--out DIR] [--duration TIME] [--warmup TIME]",
);
const out = resolve(values.out);
mkdirSync(out, { recursive: true });
function duration(flag, text) {
  try {
    return parseDuration(text);
  } catch {
    process.stderr.write(
      `--${flag} ${text} is not a duration: write it with a unit, e.g. 300ms or 2s\n`,
    );
    process.exit(2);
  }
}
const timing = {
  ...(values.duration ? { durationNs: duration("duration", values.duration) } : {}),
  ...(values.warmup ? { warmupNs: duration("warmup", values.warmup) } : {}),
};

// first signal: stop after the current case and write what ran; second: leave at once
const stop = new AbortController();
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    if (!stop.signal.aborted) {
      stop.abort(`interrupted by ${sig}`);
      process.stderr.write(`\n${sig}: stopping after this case; partial results follow\n`);
      return;
    }
    // zcspec's exit hook removes the run's namespaces
    process.exit(sig === "SIGINT" ? 130 : 143);
  });
}

const specs = [];
const titles = {};
for (const file of SPECS) {
  const spec = withTiming(await readSpec(file), timing);
  const remote = spec.cases.filter((c) => c.target === "remote").length;
  if (remote)
    process.stderr.write(
      `${spec.name}: ${remote} remote case(s) left out: they need \`zcspec run ${file} --allow-remote\` and ZCSPEC_REMOTE_ADDR\n`,
    );
  specs.push({ ...spec, cases: spec.cases.filter((c) => c.target !== "remote") });
  const title = spec.source.data?.report?.title;
  if (title) titles[spec.name] = title;
}

{
  const spec = withTiming(await readSpec(SEARCH), { ...SEARCH_TIMING, ...timing });
  const search = {
    ...spec.search,
    settings: { ...spec.search.settings, budgetMs: SEARCH_BUDGET_MS },
  };
  // its CI gate (send_zc pays from 16 KiB) is for the full search, not this short one
  specs.push({ ...spec, search, expectations: spec.expectations.filter((e) => !e.search) });
  const title = spec.source.data?.report?.title;
  if (title) titles[spec.name] = title;
}

// what will run and about how long, so a user knows what they are waiting for
const all = specs.flatMap((s) => s.cases);
const runnable = all.filter((c) => compileCase(c).unsupported.length === 0);
const seconds = runnable.reduce((t, c) => t + ((c.duration_ns + c.warmup_ns) * c.repeat) / 1e9, 0);
process.stderr.write(
  `cover-letter suite: ${runnable.length} of ${all.length} cases can run in this build, about ${Math.ceil(seconds / 60)} min, ` +
    `then a break-even search of at most ${SEARCH_BUDGET_MS / 60_000} min; ` +
    "the others are listed as skipped with the reason\n",
);

// the letter's layout, with the specs' own section titles
const letter = {
  ...coverLetterFormat,
  render: (suite) => renderCoverLetter(suite.runs, { startedAt: suite.startedAt, titles }),
};
const files = {
  json: join(out, "results.json"),
  md: join(out, "REPORT.md"),
  svg: join(out, "chart.svg"),
};
const suite = await runSuite(specs, {
  signal: stop.signal,
  reporters: [
    consoleReporter(),
    fileReporter(jsonFormat, files.json),
    fileReporter(letter, files.md),
    fileReporter(svgFormat, files.svg),
  ],
});
process.stderr.write(`\nwrote ${Object.values(files).join(", ")}\n`);
const verdict = suiteVerdict(suite);
process.exitCode = stop.signal.aborted ? 130 : verdict === "ok" ? 0 : verdict === "failed" ? 1 : 3;
