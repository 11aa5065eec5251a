import type { Writable } from "node:stream";
import { type Baseline, baselineDiff } from "../assert/baseline.js";
import type { Case } from "../model/case.js";
import type { Progress } from "../model/progress.js";
import type { CaseResult, RunResult, SuiteResult } from "../model/results.js";
import { painter, wantsColour } from "./colour.js";
import { caseProblems } from "./describe.js";
import { gbit, integer, percent, signedPercent } from "./numbers.js";
import { progressLine } from "./progress.js";
import type { Reporter } from "./reporter.js";
import { renderTable } from "./table.js";

function row(r: CaseResult): string[] {
  const m = r.measured;
  const cell = (v: number | undefined, f: (n: number) => string) =>
    m && v !== undefined ? f(v) : "-";
  return [
    r.case.name,
    r.case.mode,
    String(r.case.buffers.size),
    cell(m?.rps, integer),
    cell(m?.gbps, gbit),
    cell(m?.completions, String),
    cell(m?.notifications, String),
    cell(m?.errors, String),
    r.status,
  ];
}

const HEAD = [
  "case",
  "mode",
  "size",
  "requests/s",
  "Gbit/s",
  "completions",
  "notifications",
  "errors",
  "status",
];

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
  let current: { c: Case; index: number; total: number; start: bigint } | undefined;
  let latest: Progress | undefined;

  const draw = () => {
    if (!current) return;
    const elapsed = Number(process.hrtime.bigint() - current.start);
    const line = progressLine(current.c, current.index, current.total, elapsed, latest);
    err.write(`\r\u001b[K${line}`);
  };
  const stopDrawing = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (live) err.write("\r\u001b[K");
  };

  return {
    onRunStart(spec) {
      err.write(`${spec.file}: ${spec.name}, ${spec.cases.length} case(s)\n`);
    },
    onCaseStart(c, index, total) {
      current = { c, index, total, start: process.hrtime.bigint() };
      latest = undefined;
      if (live) {
        draw();
        timer = setInterval(draw, 200);
        timer.unref();
      } else {
        err.write(`[${index + 1}/${total}] ${c.name} ...\n`);
      }
    },
    onCaseProgress(_c, p) {
      latest = p;
    },
    onCaseEnd(r) {
      stopDrawing();
      const at = current ? `[${current.index + 1}/${current.total}] ` : "";
      const rate = r.measured ? `, ${integer(r.measured.rps)} requests/s` : "";
      err.write(`${at}${r.case.name}: ${paint(r.status)}${rate}\n`);
      current = undefined;
    },
    onRunEnd(run: RunResult) {
      stopDrawing();
      const table = renderTable(HEAD, run.results.map(row))
        .split("\n")
        .map((l, i) => (i < 2 ? l : l.replace(/(passed|failed|skipped|error)$/, (s) => paint(s))));
      out.write(`${table.join("\n")}\n`);
      const notes = run.results.flatMap((r) => [
        ...caseProblems(r).map((t) => `${r.case.name}: ${paint(r.status)}: ${t}`),
        ...(r.warnings ?? []).map((w) => `${r.case.name}: ${paint("warn", "note")}: ${w}`),
      ]);
      if (run.partial)
        notes.push(paint("warn", `partial run: ${run.stoppedBy ?? "stopped early"}`));
      if (notes.length) out.write(`\n${notes.join("\n")}\n`);
      out.write("\n");
    },
    onSuiteEnd(suite: SuiteResult) {
      if (options.baseline) {
        const tol = options.tolerance ?? 0.05;
        const rows = baselineDiff(suite.runs, options.baseline, tol).map((d) => [
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
      out.write(
        `${suite.runs.length} spec(s), ${all.length} case(s): ${n("passed")} passed, ${n("failed")} failed, ${n("skipped")} skipped, ${n("error")} error\n`,
      );
    },
  };
}
