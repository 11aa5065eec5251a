import { MEASURED_FIGURES } from "../../model/figures.js";
import { MODES } from "../../model/modes.js";
import type { CaseResult, RunResult, SuiteResult } from "../../model/results.js";
import { caseEstimate, compareCases } from "../../stats/compare.js";
import type { ReportFormat } from "../file-format.js";
import { rpsBySize, type Series } from "../series.js";
import { ackClockNotes } from "../text/ack-clock.js";
import { changeCell, valueCell } from "../text/cells.js";
import { claimSentence } from "../text/claims.js";
import { caseProblems, inconclusiveCases } from "../text/describe.js";
import { withOptionalColumns } from "../text/figure-columns.js";
import { flowsLines } from "../text/flows-text.js";
import { latencyMarkdown } from "../text/latency-text.js";
import { alignment, markdownTable } from "../text/markdown-table.js";
import { figureText } from "../text/numbers.js";
import { basisText, repetitionCounts, runsCell } from "../text/runs.js";
import { searchMarkdown } from "../text/search-text.js";
import { tcpTable } from "../text/tcp-text.js";
import { txTimestampsTable } from "../text/tx-timestamps-text.js";

function summary(results: readonly CaseResult[]): string {
  const n = (s: CaseResult["status"]) => results.filter((r) => r.status === s).length;
  const parts = [`${n("passed")} passed`, `${n("failed")} failed`];
  if (n("skipped")) parts.push(`${n("skipped")} skipped`);
  if (n("error")) parts.push(`${n("error")} error`);
  const undecided = inconclusiveCases(results);
  if (undecided) parts.push(`${undecided} with an inconclusive expectation`);
  return `${results.length} case${results.length === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

/** Some case of the run ran more than once, so its tables show intervals and run counts. */
function repeated(run: RunResult): boolean {
  return run.results.some((r) => repetitionCounts(r).runs > 1);
}

function caseRow(r: CaseResult, withRuns: boolean): string[] {
  const rps = caseEstimate(r, "rps");
  const gbps = caseEstimate(r, "gbps");
  const cpu = caseEstimate(r, "cpuNsPerRequest");
  return [
    r.case.name,
    r.case.mode,
    String(r.case.buffers.size),
    ...(withRuns ? [runsCell(r)] : []),
    rps ? valueCell(rps) : "-",
    gbps ? valueCell(gbps, (n) => figureText(MEASURED_FIGURES.gbps.format, n)) : "-",
    cpu ? valueCell(cpu) : "-",
    r.status,
  ];
}

/**
 * requests/s by size with a column per mode (median and interval) and how
 * each mode compares with the first, from their paired runs.
 */
function pivot(series: readonly Series[]): string | undefined {
  if (series.length < 2) return undefined;
  const [first, ...others] = series;
  if (!first) return undefined;
  const sizes = [...new Set(series.flatMap((s) => s.points.map((p) => p.size)))].sort(
    (a, b) => a - b,
  );
  const at = (s: Series, size: number) => s.points.find((p) => p.size === size);
  const head = [
    "size",
    ...series.map((s) => s.label),
    ...others.map((s) => `${s.label} vs ${first.label}`),
  ];
  const rows = sizes.map((size) => {
    const base = at(first, size);
    return [
      String(size),
      ...series.map((s) => {
        const p = at(s, size);
        return p ? valueCell(p.estimate) : "-";
      }),
      ...others.map((s) => {
        const p = at(s, size);
        const ratio = p && base ? compareCases(p.result, base.result, "rps") : undefined;
        return ratio ? changeCell(ratio) : "-";
      }),
    ];
  });
  return `Requests/s by payload size:\n\n${markdownTable(
    head,
    rows,
    head.map(() => "right" as const),
  )}`;
}

/** What the intervals support about each zerocopy mode against its copy twin, by size. */
function claims(series: readonly Series[]): string[] {
  const out: string[] = [];
  for (const zc of series) {
    const copy = series.find(
      (s) => s.mode === MODES[zc.mode].copyOf && s.group === zc.group && s.spec === zc.spec,
    );
    if (!copy) continue;
    const pairs = zc.points.flatMap((p) => {
      const c = copy.points.find((q) => q.size === p.size);
      return c ? [{ size: p.size, z: p.result, c: c.result }] : [];
    });
    if (pairs.length === 0) continue;
    const where = zc.group ? ` (${zc.group})` : "";
    const words = { a: zc.mode, b: copy.mode };
    const rate = claimSentence(
      { ...words, who: `Requests/s${where}`, kind: "rate" },
      pairs.map((p) => ({ size: p.size, ratio: compareCases(p.z, p.c, "rps") })),
    );
    const cost = claimSentence(
      { ...words, who: `${MEASURED_FIGURES.cpuNsPerRequest.words}${where}`, kind: "cost" },
      pairs.map((p) => ({ size: p.size, ratio: compareCases(p.z, p.c, "cpuNsPerRequest") })),
    );
    out.push(...[rate, cost].flatMap((t) => (t ? [`- ${t}`] : [])));
  }
  return out;
}

function section(run: RunResult): string {
  const parts = [`## ${run.spec}`, "", `\`${run.file}\`: ${summary(run.results)}.`];
  if (run.partial) parts.push("", `**Partial run:** ${run.stoppedBy ?? "stopped early"}.`);
  const withRuns = repeated(run);
  const head = [
    "case",
    "mode",
    "size",
    ...(withRuns ? ["runs"] : []),
    MEASURED_FIGURES.rps.column,
    MEASURED_FIGURES.gbps.column,
    MEASURED_FIGURES.cpuNsPerRequest.column,
    "status",
  ];
  const table = withOptionalColumns(
    head,
    run.results.map((r) => caseRow(r, withRuns)),
    run.results,
    "markdown",
  );
  parts.push(
    "",
    markdownTable(table.head, table.rows, alignment(table.head, "case", "mode", "status")),
  );
  const latency = latencyMarkdown(run.results);
  if (latency) parts.push("", latency);
  const ackClock = ackClockNotes(run.results);
  if (ackClock.length) parts.push("", ...ackClock.map((n) => `- ${n}`));
  const tcp = tcpTable(run.results);
  if (tcp)
    parts.push("", markdownTable(tcp.head, tcp.rows, alignment(tcp.head, tcp.head[0] ?? "")));
  const flows = flowsLines(run.results);
  if (flows.length) parts.push("", ...flows.map((l) => `- ${l}`));
  const tx = txTimestampsTable(run.results);
  if (tx)
    parts.push(
      "",
      markdownTable(tx.head, tx.rows, alignment(tx.head, tx.head[0] ?? "", "via", "absent spans")),
    );
  // a break-even search's probe cases are told by its own section below
  const cases = { ...run, results: run.results.filter((r) => !r.search) };
  const series = rpsBySize({ runs: [cases], startedAt: "", elapsedMs: 0, partial: false });
  const p = pivot(series);
  if (p) parts.push("", p);
  const basis = basisText(run.results);
  const said = claims(series);
  if (said.length) parts.push("", ...(basis ? [basis, ""] : []), ...said);
  else if (basis && withRuns) parts.push("", basis);
  const problems = run.results.flatMap((r) =>
    [...caseProblems(r), ...(r.warnings ?? [])].map((t) => `- \`${r.case.name}\`: ${t}`),
  );
  if (problems.length) parts.push("", "Problems and notes:", "", ...problems);
  if (run.search) parts.push("", searchMarkdown(run.search));
  return parts.join("\n");
}

/** A Markdown summary: a table per spec, requests/s by size per mode, every failure's reason. */
export const markdownFormat: ReportFormat = {
  name: "markdown",
  description: "Markdown tables: cases, requests/s by size per mode, failures",
  render(suite: SuiteResult) {
    const all = suite.runs.flatMap((r) => r.results);
    const head = ["# zcspec results", "", `${summary(all)}.`];
    if (suite.partial) head.push("", `**Partial run:** ${suite.stoppedBy ?? "stopped early"}.`);
    return `${[head.join("\n"), ...suite.runs.map(section)].join("\n\n")}\n`;
  },
};
