import { FIGURE_NAMES, figuresOf } from "../assert/figures.js";
import type { CaseResult, SuiteResult } from "../model/results.js";
import type { ReportFormat } from "./format.js";

function field(v: string | number | undefined): string {
  if (v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const HEAD = [
  "spec",
  "case",
  "mode",
  "target",
  "size",
  "batch",
  "status",
  "runs",
  ...FIGURE_NAMES,
  "rps_min",
  "rps_max",
  "rps_stddev",
  "reason",
];

function row(r: CaseResult): (string | number | undefined)[] {
  const f = r.measured ? figuresOf(r.measured) : {};
  const failed = r.checks.filter((c) => !c.pass).map((c) => c.reason ?? c.name);
  return [
    r.spec,
    r.case.name,
    r.case.mode,
    r.case.target,
    r.case.buffers.size,
    r.case.batch,
    r.status,
    r.stats?.runs ?? (r.measured ? 1 : 0),
    ...FIGURE_NAMES.map((n) => f[n]),
    r.stats?.min.rps,
    r.stats?.max.rps,
    r.stats?.stddev.rps,
    [r.reason, ...failed].filter(Boolean).join("; ") || undefined,
  ];
}

/** One row per case (RFC 4180), figures under their expression names. */
export const csvFormat: ReportFormat = {
  name: "csv",
  description: "one row per case, every figure (RFC 4180)",
  render(suite: SuiteResult) {
    const rows = suite.runs.flatMap((run) => run.results.map(row));
    return `${[HEAD, ...rows].map((r) => r.map(field).join(",")).join("\r\n")}\r\n`;
  },
};
