import { parseArgs } from "node:util";
import { UsageError } from "../errors.js";
import { compileCase } from "../plan/compile.js";
import type { Plan } from "../plan/types.js";
import { renderTable } from "../report/table.js";
import { onlineCpus } from "../spec/cpus.js";
import { flatten } from "../spec/flatten.js";
import { formatDiagnostic } from "../spec/frame.js";
import { readSpec } from "../spec/read.js";
import type { Case } from "../spec/types.js";
import { formatDuration } from "../spec/units.js";
import { EXIT } from "./exit.js";

export const PLAN_HELP = `zcspec plan <spec.yaml> [options]

Show every case a spec expands to, with every resolved parameter (sizes in
bytes, times shown with their unit), the native plan compiled from it and what this build
cannot run yet (such cases are skipped by run, with that reason). Runs nothing.

Options:
  --json      print [{case, plan}] as JSON instead of tables
  -h, --help  show this help

Exit codes: 0 the spec is valid, 2 invalid spec or usage.`;

function cell(path: string, value: unknown): string {
  if (value === undefined) return "-";
  if (value === "") return '""';
  if (/_ns$|Ns$/.test(path) && typeof value === "number") return formatDuration(value);
  if (Array.isArray(value)) return value.length ? value.join(",") : "[]";
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/** Parameters down, cases across, in as many tables as the terminal's width needs. */
function renderPlans(cases: readonly Case[], plans: readonly Plan[], width: number): string {
  const rows = new Map<string, string[]>();
  const put = (path: string, i: number, value: unknown) => {
    const row = rows.get(path) ?? Array<string>(cases.length).fill("-");
    row[i] = cell(path, value);
    rows.set(path, row);
  };
  cases.forEach((c, i) => {
    for (const [path, v] of flatten(c)) if (path !== "name") put(path, i, v);
    const { unsupported, case: _name, ...fields } = plans[i] as Plan;
    for (const [path, v] of flatten(fields)) put(`plan.${path}`, i, v);
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

export async function planCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${PLAN_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      "zcspec plan takes one spec file",
      "zcspec plan specs/examples/udp-sink.yaml",
    );
  const spec = await readSpec(positionals[0] as string, { cpus: onlineCpus() });
  for (const w of spec.warnings)
    process.stderr.write(`${formatDiagnostic(w, spec.sources.get(w.file))}\n\n`);
  const plans = spec.cases.map(compileCase);
  if (values.json) {
    const out = spec.cases.map((c, i) => ({ case: c, plan: plans[i] }));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const width = process.stdout.columns || 120;
    process.stdout.write(`${spec.file}: ${spec.name}, ${spec.cases.length} case(s)\n\n`);
    process.stdout.write(`${renderPlans(spec.cases, plans, width)}\n`);
  }
  return EXIT.ok;
}
