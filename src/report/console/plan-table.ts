import type { Case } from "../../model/case.js";
import type { Plan } from "../../model/plan.js";
import { flatten } from "../../spec/flatten.js";
import { formatDuration } from "../../spec/units.js";
import { renderTable } from "../text/table.js";

function cell(path: string, value: unknown): string {
  if (value === undefined) return "-";
  if (value === "") return '""';
  if (/_ns$|Ns$/.test(path) && typeof value === "number") return formatDuration(value);
  if (Array.isArray(value)) return value.length ? value.join(",") : "[]";
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Parameters down, cases across, in as many tables as the terminal's width needs. */
export function renderPlans(cases: readonly Case[], plans: readonly Plan[], width: number): string {
  const rows = new Map<string, string[]>();
  const put = (path: string, i: number, value: unknown) => {
    const row = rows.get(path) ?? Array<string>(cases.length).fill("-");
    row[i] = cell(path, value);
    rows.set(path, row);
  };
  cases.forEach((c, i) => {
    for (const [path, v] of flatten(c)) if (path !== "name") put(path, i, v);
    const { unsupported, case: _name, needs, ...fields } = plans[i] as Plan;
    for (const [path, v] of flatten(fields)) put(`plan.${path}`, i, v);
    put("plan.needs.target", i, needs.target);
    put("plan.needs.family", i, needs.family);
    // a row per kernel feature: "-" where a case does not need it
    for (const n of needs.features) put(`plan.needs.${n.feature}`, i, "yes");
    put("plan.unsupported", i, unsupported.length ? unsupported.join(" ") : "none");
  });
  const keyWidth = Math.max(...[...rows.keys()].map((k) => k.length));
  const colWidth = (i: number) =>
    Math.max((cases[i]?.name ?? "").length, ...[...rows.values()].map((r) => (r[i] ?? "").length));
  const tables: string[] = [];
  for (let start = 0; start < cases.length; ) {
    let end = start + 1;
    let used = keyWidth + 2 + colWidth(start);
    while (end < cases.length && used + 2 + colWidth(end) <= width) used += 2 + colWidth(end++);
    const head = ["parameter", ...cases.slice(start, end).map((c) => c.name)];
    const body = [...rows].map(([k, r]) => [k, ...r.slice(start, end)]);
    tables.push(renderTable(head, body));
    start = end;
  }
  return tables.join("\n\n");
}
