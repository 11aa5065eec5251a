import type { Writable } from "node:stream";
import { type Baseline, baselineDiff } from "../../assert/baseline.js";
import type { Case } from "../../model/case.js";
import { figureValue, MEASURED_FIGURES, type MeasuredFigure } from "../../model/figures.js";
import type { Progress } from "../../model/progress.js";
import type { Reporter, RunStart } from "../../model/reporter.js";
import type { CaseResult, RunResult, SuiteResult } from "../../model/results.js";
import { caseEstimate } from "../../stats/compare.js";
import { ackClockNotes } from "../text/ack-clock.js";
import { painter, wantsColour } from "../text/colour.js";
import { caseProblems, inconclusiveCases } from "../text/describe.js";
import { withOptionalColumns } from "../text/figure-columns.js";
import { flowsLines } from "../text/flows-text.js";
import { latencyTable, samplingNote } from "../text/latency-text.js";
import { duration, figureText, integer, percent, signedPercent } from "../text/numbers.js";
import { repetitionCounts, runsCell } from "../text/runs.js";
import { paramText, pointLine, searchSummary, settingsLine } from "../text/search-text.js";
import { renderTable } from "../text/table.js";
import { tcpTable } from "../text/tcp-text.js";
import { txTimestampsTable } from "../text/tx-timestamps-text.js";
import { progressLine } from "./progress.js";

/** The requests/s interval relative to the median: "-3.0/+0.7%" (narrow enough for a terminal). */
function relativeInterval(r: CaseResult): string {
  const e = caseEstimate(r, "rps");
  if (!e || e.n < 2 || e.value <= 0) return "-";
  const p = (x: number) => signedPercent((x / e.value - 1) * 100, 1).replace(/%$/, "");
  return `${p(e.low)}/${p(e.high)}%`;
}

/** The figures after requests/s, in the table's order: CPU per request is the one to compare. */
const FIGURES = ["gbps", "cpuNsPerRequest", "completions", "notifications", "errors"] as const;

function row(r: CaseResult, repeated: boolean): string[] {
  const m = r.measured;
  const rps = caseEstimate(r, "rps")?.value ?? m?.rps;
  const cell = (key: MeasuredFigure) => {
    const v = m && figureValue(m, key);
    return v === undefined ? "-" : figureText(MEASURED_FIGURES[key].format, v);
  };
  return [
    r.case.name,
    r.case.mode,
    String(r.case.buffers.size),
    ...(repeated ? [runsCell(r, true)] : []),
    m && rps !== undefined ? integer(rps) : "-",
    ...(repeated ? [relativeInterval(r)] : []),
    ...FIGURES.map(cell),
    r.status,
  ];
}

function head(repeated: boolean): string[] {
  return [
    "case",
    "mode",
    "size",
    ...(repeated ? ["runs"] : []),
    MEASURED_FIGURES.rps.column,
    ...(repeated ? ["interval"] : []),
    ...FIGURES.map((key) => MEASURED_FIGURES[key].column),
    "status",
  ];
}

/** Under a table of repeated cases: what the runs and interval columns mean. */
function intervalLegend(results: readonly CaseResult[]): string | undefined {
  const levels = results.flatMap((r) => {
    const e = caseEstimate(r, "rps");
    return e && e.n >= 2 ? [Math.round(e.level * 100)] : [];
  });
  if (levels.length === 0) return undefined;
  const lo = Math.min(...levels);
  const hi = Math.max(...levels);
  const level = lo === hi ? `${lo} %` : `${lo}-${hi} %`;
  const dist = results.some((r) => repetitionCounts(r).disturbed > 0)
    ? "; dist.: repetitions marked disturbed"
    : "";
  return (
    `requests/s: the median of the runs; interval: the median's ${level} confidence interval, ` +
    `relative to it${lo < 95 ? " (under 6 runs: the range of the runs)" : ""}${dist}`
  );
}

/** ", 5 rounds interleaved (seed 42)" after a spec's name, for a spec whose cases repeat. */
function roundsNote(rounds: RunStart["rounds"]): string {
  if (!rounds) return "";
  const count = `${rounds.adaptive ? "up to " : ""}${rounds.rounds}`;
  return rounds.order === "interleaved"
    ? `, ${count} rounds interleaved (seed ${rounds.seed})`
    : `, ${count} runs each, sequential`;
}

/** "round 2/5" (interleaved), "round 7/≤30" (adaptive), "run 2/5" (sequential). */
function roundLabel(
  order: "interleaved" | "sequential",
  at: { round: number; rounds: number; adaptive: boolean },
): string {
  return (
    `${order === "interleaved" ? "round" : "run"} ` +
    `${at.round}/${at.adaptive ? "≤" : ""}${at.rounds}`
  );
}

export interface ConsoleOptions {
  out?: Writable;
  err?: Writable;
  /** redraw a progress bar in place (default: when stderr is a terminal) */
  live?: boolean;
  /** colour the status words (default: stdout is a terminal and NO_COLOR is unset) */
  colour?: boolean;
  /** print the per-case diff against this baseline at the end */
  baseline?: Baseline;
  tolerance?: number;
}

/**
 * Progress on stderr while cases run (a bar redrawn in place on a terminal,
 * a line per case otherwise), the results table on stdout after each spec.
 */
export function consoleReporter(options: ConsoleOptions = {}): Reporter {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const live = options.live ?? Boolean((err as { isTTY?: boolean }).isTTY);
  const paint = painter(options.colour ?? wantsColour(out as { isTTY?: boolean }));
  let timer: NodeJS.Timeout | undefined;
  let current: { c: Case; index: number; total: number; start: bigint; round?: string } | undefined;
  let latest: Progress | undefined;
  // a spec that runs in rounds: cases overlap, so each case's place is kept by name
  let rounds: RunStart["rounds"];
  const places = new Map<string, { index: number; total: number }>();

  const draw = () => {
    if (!current) return;
    const elapsed = Number(process.hrtime.bigint() - current.start);
    const line = progressLine(current.c, current.index, current.total, elapsed, latest, {
      ...(current.round ? { round: current.round } : {}),
    });
    err.write(`\r\u001b[K${line}`);
  };
  const startDrawing = (line: string) => {
    if (timer) clearInterval(timer);
    latest = undefined;
    if (live) {
      draw();
      timer = setInterval(draw, 200);
      timer.unref();
    } else {
      err.write(`${line} ...\n`);
    }
  };
  const stopDrawing = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (live) err.write("\r\u001b[K");
  };

  return {
    onRunStart(spec) {
      rounds = spec.rounds;
      places.clear();
      err.write(`${spec.file}: ${spec.name}, ${spec.cases.length} case(s)${roundsNote(rounds)}\n`);
      if (spec.search) err.write(`${settingsLine(spec.search)}\n`);
    },
    onSearchPointStart(p) {
      // its cases repeat in rounds: their lines say round and case
      rounds ??= { order: "interleaved", seed: 0, rounds: 0, adaptive: true };
      err.write(
        `search: point ${p.order} (${p.phase}) at ${paramText(p.value, p.settings)}, ` +
          `${duration(p.elapsedMs * 1e6)} of ${duration(p.settings.budgetMs * 1e6)} budget\n`,
      );
    },
    onSearchPoint(point, settings) {
      stopDrawing();
      err.write(`search: ${pointLine(point, settings)}\n`);
    },
    onCaseStart(c, index, total) {
      places.set(c.name, { index, total });
      // in rounds, each repetition draws its own line (onRepetitionStart)
      if (rounds) return;
      current = { c, index, total, start: process.hrtime.bigint() };
      startDrawing(`[${index + 1}/${total}] ${c.name}`);
    },
    onRepetitionStart(c, at) {
      const round = roundLabel(rounds?.order ?? "interleaved", at);
      current = { c, index: at.index, total: at.total, start: process.hrtime.bigint(), round };
      startDrawing(`${round} [${at.index + 1}/${at.total}] ${c.name}`);
    },
    onCaseProgress(_c, p) {
      latest = p;
    },
    onCaseEnd(r) {
      stopDrawing();
      const place = places.get(r.case.name) ?? current;
      const at = place ? `[${place.index + 1}/${place.total}] ` : "";
      const runs = r.runs?.length ? ` (median of ${r.runs.length} runs)` : "";
      const segments = r.measured?.segmentsPerSecond;
      const rate = r.measured
        ? `, ${integer(r.measured.rps)} ` +
          `requests/s${segments === undefined ? "" : ` (${integer(segments)} segments/s)`}${runs}`
        : "";
      err.write(`${at}${r.case.name}: ${paint(r.status)}${rate}\n`);
      current = undefined;
    },
    onRunEnd(run: RunResult) {
      stopDrawing();
      const repeated = run.results.some((r) => repetitionCounts(r).runs > 1);
      const cols = withOptionalColumns(
        head(repeated),
        run.results.map((r) => row(r, repeated)),
        run.results,
        "console",
      );
      const table = renderTable(cols.head, cols.rows)
        .split("\n")
        .map((l, i) => (i < 2 ? l : l.replace(/(passed|failed|skipped|error)$/, (s) => paint(s))));
      out.write(`${table.join("\n")}\n`);
      const legend = repeated ? intervalLegend(run.results) : undefined;
      if (legend) out.write(`${legend}\n`);
      const latency = latencyTable(run.results);
      if (latency) out.write(`\n${renderTable(latency.head, latency.rows)}\n`);
      const sampled = latency && samplingNote(run.results);
      if (sampled) out.write(`${sampled}\n`);
      const ackClock = ackClockNotes(run.results);
      if (ackClock.length) out.write(`${ackClock.join("\n")}\n`);
      const tcp = tcpTable(run.results);
      if (tcp) out.write(`\n${renderTable(tcp.head, tcp.rows)}\n`);
      const flows = flowsLines(run.results);
      if (flows.length) out.write(`\n${flows.join("\n")}\n`);
      const tx = txTimestampsTable(run.results);
      if (tx) out.write(`\n${renderTable(tx.head, tx.rows)}\n`);
      const notes = run.results.flatMap((r) => [
        ...caseProblems(r).map((t) => `${r.case.name}: ${paint(r.status)}: ${t}`),
        ...(r.warnings ?? []).map((w) => `${r.case.name}: ${paint("warn", "note")}: ${w}`),
      ]);
      if (run.partial)
        notes.push(paint("warn", `partial run: ${run.stoppedBy ?? "stopped early"}`));
      if (notes.length) out.write(`\n${notes.join("\n")}\n`);
      if (run.search) out.write(`\n${searchSummary(run.search, paint)}\n`);
      out.write("\n");
    },
    onSuiteEnd(suite: SuiteResult) {
      const baselineCases = options.baseline
        ? baselineDiff(suite.runs, options.baseline, options.tolerance ?? 0.05)
        : [];
      // a search's point cases are compared as a bracket, not case by case
      if (options.baseline && baselineCases.length) {
        const tol = options.tolerance ?? 0.05;
        const rows = baselineCases.map((d) => [
          d.case,
          d.baseRps === undefined ? "-" : integer(d.baseRps),
          d.rps === undefined ? "-" : integer(d.rps),
          d.changePct === undefined ? "-" : signedPercent(d.changePct, 1),
          d.verdict === "regressed" ? paint("failed", d.verdict) : d.verdict,
        ]);
        out.write(
          `against baseline ${options.baseline.file} (tolerance ${percent(tol * 100, 1)}):\n`,
        );
        out.write(
          `${renderTable(["case", "baseline req/s", "req/s", "change", "verdict"], rows)}\n\n`,
        );
      }
      const all = suite.runs.flatMap((r) => r.results);
      const n = (s: CaseResult["status"]) => all.filter((r) => r.status === s).length;
      const undecided = inconclusiveCases(all);
      out.write(
        `${suite.runs.length} spec(s), ${all.length} case(s): ${n("passed")} passed, ` +
          `${n("failed")} failed, ${n("skipped")} skipped, ${n("error")} ` +
          `error${undecided ? ` (${undecided} with an inconclusive expectation)` : ""}\n`,
      );
    },
  };
}
