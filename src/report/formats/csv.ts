import {
  figureValue,
  MEASURED_FIGURES,
  type MeasuredFigure,
  TCP_FIGURES,
  type TcpFigure,
} from "../../model/figures.js";
import {
  type LatencySpan,
  PACED_SPANS,
  SUBMIT_SPANS,
  TX_SPANS,
} from "../../model/measured/latency.js";
import type { Measured } from "../../model/measured/measured.js";
import type { CaseResult, SuiteResult } from "../../model/results.js";
import { FIGURE_NAMES, figuresOf } from "../../spec/cel/figures.js";
import type { ReportFormat } from "../file-format.js";

function field(v: string | number | undefined): string {
  if (v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const PERCENTILES = ["p50", "p90", "p99", "p999", "max"] as const;

const percentiles = (spans: readonly LatencySpan[]) =>
  spans.flatMap((span) =>
    PERCENTILES.map((p) => ({
      name: `latency_${span}_${p}`,
      value: (m: Measured) => m.latency?.[span]?.[p],
    })),
  );
const appended = (flag: "csvAppended" | "csvAfterTcp") =>
  Object.entries(MEASURED_FIGURES).flatMap(([key, row]) =>
    flag in row
      ? [{ name: row.cel, value: (m: Measured) => figureValue(m, key as MeasuredFigure) }]
      : [],
  );

/**
 * Figures only some runs have, appended after the older columns so that
 * their places stay put: each latency span's percentiles (ns, named as
 * `expect` reads them: latency.notif.p99 is latency_notif_p99), then the
 * figures the figure table marks as appended, then TCP's, then the paced
 * spans' percentiles and figures (rate:), then the transmit timestamps' spans.
 */
const LATER: readonly { name: string; value: (m: Measured) => number | undefined }[] = [
  ...percentiles(SUBMIT_SPANS),
  ...appended("csvAppended"),
  ...Object.entries(TCP_FIGURES).map(([key, row]) => ({
    name: row.cel,
    value: (m: Measured) => figureValue(m, key as TcpFigure),
  })),
  ...percentiles(PACED_SPANS),
  ...appended("csvAfterTcp"),
  ...percentiles(TX_SPANS),
];
const LATER_NAMES = new Set(LATER.map((c) => c.name));
/** an expression name that is also a later column is written once, there */
const FIGURES = FIGURE_NAMES.filter((n) => !LATER_NAMES.has(n));

const HEAD = [
  "spec",
  "case",
  "mode",
  "target",
  "size",
  "batch",
  "status",
  "runs",
  ...FIGURES,
  "rps_min",
  "rps_max",
  "rps_stddev",
  "reason",
  ...LATER_NAMES,
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
    ...FIGURES.map((n) => f[n]),
    r.stats?.min.rps,
    r.stats?.max.rps,
    r.stats?.stddev.rps,
    [r.reason, ...failed].filter(Boolean).join("; ") || undefined,
    ...LATER.map((c) => (r.measured ? c.value(r.measured) : undefined)),
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
