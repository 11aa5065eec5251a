import type { CaseResult, RunResult, SuiteResult } from "../model/results.js";
import { caseProblems } from "./describe.js";
import type { ReportFormat } from "./format.js";
import { markdownTable } from "./markdown-table.js";
import { gbit, integer, signedPercent } from "./numbers.js";
import { rpsBySize } from "./series.js";

function summary(results: readonly CaseResult[]): string {
  const n = (s: CaseResult["status"]) => results.filter((r) => r.status === s).length;
  const parts = [`${n("passed")} passed`, `${n("failed")} failed`];
  if (n("skipped")) parts.push(`${n("skipped")} skipped`);
  if (n("error")) parts.push(`${n("error")} error`);
  return `${results.length} case${results.length === 1 ? "" : "s"}: ${parts.join(", ")}`;
}

function caseRow(r: CaseResult): string[] {
  const m = r.measured;
  const spread = r.stats && m ? ` ±${integer(r.stats.stddev.rps)}` : "";
  return [
    r.case.name,
    r.case.mode,
    String(r.case.buffers.size),
    m ? `${integer(m.rps)}${spread}` : "-",
    m ? gbit(m.gbps) : "-",
    r.status,
  ];
}

/** requests/s by size with a column per mode and how each mode compares with the first. */
function pivot(run: RunResult): string | undefined {
  const series = rpsBySize({ runs: [run], startedAt: "", elapsedMs: 0, partial: false });
  if (series.length < 2) return undefined;
  const [first, ...others] = series;
  if (!first) return undefined;
  const sizes = [...new Set(series.flatMap((s) => s.points.map((p) => p.size)))].sort(
    (a, b) => a - b,
  );
  const at = (label: string, size: number) =>
    series.find((s) => s.label === label)?.points.find((p) => p.size === size)?.rps;
  const head = [
    "size",
    ...series.map((s) => s.label),
    ...others.map((s) => `${s.label} vs ${first.label}`),
  ];
  const rows = sizes.map((size) => {
    const base = at(first.label, size);
    return [
      String(size),
      ...series.map((s) => {
        const v = at(s.label, size);
        return v === undefined ? "-" : integer(v);
      }),
      ...others.map((s) => {
        const v = at(s.label, size);
        return v === undefined || base === undefined || base === 0
          ? "-"
          : signedPercent(((v - base) / base) * 100, 0);
      }),
    ];
  });
  return `Requests/s by payload size:\n\n${markdownTable(
    head,
    rows,
    head.map(() => "right" as const),
  )}`;
}

function section(run: RunResult): string {
  const parts = [`## ${run.spec}`, "", `\`${run.file}\`: ${summary(run.results)}.`];
  if (run.partial) parts.push("", `**Partial run:** ${run.stoppedBy ?? "stopped early"}.`);
  parts.push(
    "",
    markdownTable(
      ["case", "mode", "size", "requests/s", "Gbit/s", "status"],
      run.results.map(caseRow),
      ["left", "left", "right", "right", "right", "left"],
    ),
  );
  const p = pivot(run);
  if (p) parts.push("", p);
  const problems = run.results.flatMap((r) =>
    [...caseProblems(r), ...(r.warnings ?? [])].map((t) => `- \`${r.case.name}\`: ${t}`),
  );
  if (problems.length) parts.push("", "Problems and notes:", "", ...problems);
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
