import type { CaseResult } from "../../model/results.js";
import { caseEstimate, type Figure } from "../../stats/compare.js";
import { valueCell } from "../text/cells.js";
import { describeCheck } from "../text/describe.js";
import { alignment, markdownTable } from "../text/markdown-table.js";
import { gbit } from "../text/numbers.js";
import { runsCell } from "../text/runs.js";

/** Every case of a section: its figures, its counters and status (the section's details). */
export function detailsTable(results: readonly CaseResult[]): string {
  const head = [
    "case",
    "runs",
    "requests/s",
    "Gbit/s",
    // the claims' figure, then the whole machine's (docs/cpu.md says when they differ)
    "sender CPU ns/request",
    "machine CPU ns/request",
    "completions",
    "notifications",
    "zc copied",
    "status",
  ];
  const rows = results.map((r) => {
    const m = r.measured;
    const cell = (figure: Figure, f?: (n: number) => string) => {
      const e = caseEstimate(r, figure);
      return e ? valueCell(e, f) : "-";
    };
    return [
      r.case.name,
      runsCell(r),
      cell("rps"),
      cell("gbps", gbit),
      cell("cpuNsPerRequest"),
      cell("machineCpuNsPerRequest"),
      m ? String(m.completions) : "-",
      m ? String(m.notifications) : "-",
      m ? String(m.zcCopied) : "-",
      r.status,
    ];
  });
  return markdownTable(head, rows, alignment(head, "case", "status"));
}

/** Why cases did not run or did not hold, one line per distinct reason. */
export function problemLines(results: readonly CaseResult[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const r of results) {
    const reasons = [
      ...(r.reason ? [`${r.status}: ${r.reason}`] : []),
      ...r.checks.filter((c) => !c.pass).map(describeCheck),
    ];
    for (const reason of reasons)
      byReason.set(reason, [...(byReason.get(reason) ?? []), r.case.name]);
  }
  return [...byReason].map(([reason, names]) => `- ${reason} (${names.join(", ")})`);
}
