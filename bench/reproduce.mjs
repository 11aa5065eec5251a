#!/usr/bin/env node
/**
 * `npm run reproduce`: run the cover-letter suite (specs/cover-letter/) on
 * this machine and write results.json (every figure), REPORT.md (the
 * letter's tables, letter vs measured, with intervals and the claims they
 * support) and chart.svg (requests/s by size per mode with error bars, and
 * zerocopy/copy ratios with their bands). Uses the library in dist/, so the
 * npm script builds it first.
 *
 *   node bench/reproduce.mjs [--out DIR] [--duration TIME] [--warmup TIME] [--grep REGEX]
 *
 * Cases with target: remote (udp-nic.yaml's real-NIC rows) are taken out of
 * the specs before anything runs, so they cannot send here: they need
 * `zcspec run specs/cover-letter/udp-nic.yaml --allow-remote`.
 *
 * Without root, it runs itself again in a user namespace of its own, as
 * `zcspec run` does (the same library function), so that the sink and pair
 * targets can be built; where user namespaces are refused, their cases are
 * skipped with the reason.
 *
 * Last, a short break-even search (specs/examples/break-even.yaml: where
 * send_zc starts to beat send on the sink) with its budget cut to 1 minute
 * and 300 ms per repetition, so that the whole takes a few minutes; REPORT.md
 * puts its bracket beside the dummy table. The full search (15 min budget,
 * 1 s per repetition) is `zcspec run specs/examples/break-even.yaml`.
 *
 * A table of which no case could be measured (every case skipped or
 * stopped: no privilege for namespaces, a kernel without a feature) is
 * named at the top of REPORT.md and on stderr, and the exit code is 4.
 */
import { mkdirSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import {
  caseFilter,
  consoleReporter,
  coverLetterFormat,
  fileReporter,
  jsonFormat,
  parseDuration,
  planDryRun,
  ranToEnd,
  readSpec,
  renderCoverLetter,
  runSuite,
  suiteVerdict,
  svgFormat,
  withTiming,
} from "../dist/index.js";
import { runInUserNamespaceIfNeeded, targetKinds } from "../dist/internal.js";
import { parseOptions } from "./args.mjs";

/** a whole table measured nothing: what was asked for was not reproduced */
const EXIT_UNMEASURED = 4;
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
    grep: { type: "string" },
  },
  `usage: node bench/reproduce.mjs [--out DIR] [--duration TIME] [--warmup TIME] [--grep REGEX]

Runs the cover-letter suite (specs/cover-letter/, then a short break-even
search) and writes results.json, REPORT.md and chart.svg into DIR (default .).
Without root it runs itself in a user namespace of its own, as zcspec run does.
--grep measures only the cases whose name (or spec/case) matches, as in
zcspec run; a table with no case selected is left out.

Exit codes: 0 every table measured and every check held; 1 a check failed;
2 usage; 3 a runtime or environment error; ${EXIT_UNMEASURED} a whole table could not be
measured (every case of it skipped or stopped: REPORT.md and stderr say which
and why; e.g. no privilege for namespaces and user namespaces refused);
130 interrupted (partial results are written).`,
);
const out = resolve(values.out);
try {
  mkdirSync(out, { recursive: true });
} catch (e) {
  process.stderr.write(`--out ${values.out}: cannot create ${out} (${e.code ?? e.message})\n`);
  process.exit(2);
}
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
function grepFilter(text) {
  try {
    return caseFilter([], text);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
}
const filter = values.grep === undefined ? undefined : grepFilter(values.grep);
const timing = {
  ...(values.duration ? { durationNs: duration("duration", values.duration) } : {}),
  ...(values.warmup ? { warmupNs: duration("warmup", values.warmup) } : {}),
};

// first signal: stop after the current case and write what ran; second: leave at once
const stop = new AbortController();
// set when a re-execution in a user namespace runs the suite: it says what it does on a signal
let delegated = false;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, () => {
    if (!stop.signal.aborted) {
      stop.abort(`interrupted by ${sig}`);
      if (!delegated)
        process.stderr.write(`\n${sig}: stopping after this case; partial results follow\n`);
      return;
    }
    // zcspec's exit hook removes the run's namespaces
    process.exit(sig === "SIGINT" ? 130 : 143);
  });
}

const specs = [];
const titles = {};
const leftOut = [];
for (const file of SPECS) {
  const spec = withTiming(await readSpec(file), timing);
  const remote = spec.cases.filter((c) => c.target === "remote").length;
  if (remote)
    leftOut.push(
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

// sink and pair targets without root: the whole suite again inside a user namespace
const inside = await runInUserNamespaceIfNeeded(targetKinds(specs, { filter }), () => {
  delegated = true;
  return stop.signal;
});
if (inside !== undefined) process.exit(inside);
for (const line of leftOut) process.stderr.write(line);

// what will run and about how long, so a user knows what they are waiting for
const dry = planDryRun(specs, { filter });
const rows = dry.specs.flatMap((s) => s.rows.filter((r) => !r.search));
const runnable = rows.filter((r) => !r.hindrance).length;
process.stderr.write(
  `cover-letter suite: ${runnable} of ${rows.length} cases can run here, about ${Math.ceil(dry.wall.minMs / 60_000)} min, ` +
    `then a break-even search of at most ${SEARCH_BUDGET_MS / 60_000} min; ` +
    "the others are listed as skipped with the reason\n",
);

/** The tables (specs with cases selected) of which not one case ran to its end, with why. */
function unmeasured(suite) {
  return suite.runs
    .filter((run) => run.results.length > 0 && !run.results.some(ranToEnd))
    .map((run) => {
      const reasons = [...new Set(run.results.map((r) => r.reason ?? r.status))];
      return `${titles[run.spec] ?? run.spec} (${run.file}): ${reasons.join("; ") || "no case ran"}`;
    });
}

/** What heads REPORT.md and stderr when a table measured nothing. */
function unmeasuredNotice(tables) {
  return [
    `**Not reproduced: ${tables.length} table(s) could not be measured on this machine** (exit code ${EXIT_UNMEASURED}):`,
    "",
    ...tables.map((t) => `- ${t}`),
    "",
  ].join("\n");
}

// the letter's layout, with the specs' own section titles
const letter = {
  ...coverLetterFormat,
  render: (suite) => {
    const tables = unmeasured(suite);
    const letter = renderCoverLetter(suite.runs, { startedAt: suite.startedAt, titles });
    return tables.length ? `${unmeasuredNotice(tables)}\n${letter}` : letter;
  },
};
const files = {
  json: join(out, "results.json"),
  md: join(out, "REPORT.md"),
  svg: join(out, "chart.svg"),
};
const suite = await runSuite(specs, {
  signal: stop.signal,
  ...(filter ? { filter } : {}),
  reporters: [
    consoleReporter(),
    fileReporter(jsonFormat, files.json),
    fileReporter(letter, files.md),
    fileReporter(svgFormat, files.svg),
  ],
});
process.stderr.write(`\nwrote ${Object.values(files).join(", ")}\n`);
const tables = unmeasured(suite);
if (tables.length) process.stderr.write(`\n${unmeasuredNotice(tables)}`);
const verdict = suiteVerdict(suite);
process.exitCode = stop.signal.aborted
  ? 130
  : verdict === "error"
    ? 3
    : tables.length
      ? EXIT_UNMEASURED
      : verdict === "failed"
        ? 1
        : 0;
