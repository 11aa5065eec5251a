import type { Writable } from "node:stream";
import type { CaseResult, RunResult } from "../results.js";
import type { Reporter } from "./reporter.js";
import { renderTable } from "./table.js";

const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

function row(r: CaseResult): string[] {
  const m = r.measured;
  const cell = (v: number | undefined, f: (n: number) => string) =>
    m && v !== undefined ? f(v) : "-";
  return [
    r.case.name,
    r.case.mode,
    String(r.case.buffers.size),
    cell(m?.rps, (n) => int.format(n)),
    cell(m?.gbps, (n) => n.toFixed(2)),
    cell(m?.completions, String),
    cell(m?.notifications, String),
    cell(m?.errors, String),
    r.status,
  ];
}

function problems(results: readonly CaseResult[]): string[] {
  const out: string[] = [];
  for (const r of results) {
    if (r.reason) out.push(`${r.case.name}: ${r.status}: ${r.reason}`);
    for (const c of r.checks) if (!c.pass) out.push(`${r.case.name}: failed: ${c.reason}`);
  }
  return out;
}

/** Progress lines on stderr while cases run, the results table on stdout at the end. */
export function consoleReporter(
  out: Writable = process.stdout,
  err: Writable = process.stderr,
): Reporter {
  return {
    onRunStart(spec) {
      err.write(`${spec.file}: ${spec.name}, ${spec.cases.length} case(s)\n`);
    },
    onCaseStart(c, index, total) {
      err.write(`[${index + 1}/${total}] ${c.name} ...\n`);
    },
    onRunEnd(run: RunResult) {
      const head = [
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
      out.write(`${renderTable(head, run.results.map(row))}\n`);
      const notes = problems(run.results);
      if (notes.length) out.write(`\n${notes.join("\n")}\n`);
    },
  };
}
