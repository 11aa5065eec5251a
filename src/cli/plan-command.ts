import { parseArgs } from "node:util";
import {
  compileCase,
  formatDiagnostic,
  onlineCpus,
  readSpec,
  renderPlans,
  UsageError,
} from "../index.js";
import { EXIT } from "./exit.js";

export const PLAN_HELP = `zcspec plan <spec.yaml> [options]

Show every case a spec expands to, with every resolved parameter (sizes in
bytes, times shown with their unit), the native plan compiled from it and what this build
cannot run yet (such cases are skipped by run, with that reason); for a
break-even search, its two sides at the lower bound. Runs nothing.

Options:
  --json      print [{case, plan}] as JSON instead of tables
  -h, --help  show this help

Exit codes: 0 the spec is valid, 2 invalid spec or usage.`;

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
  // a search makes its cases as it goes: its two sides at the lower bound show what they are
  const sides = spec.search ? spec.search.at(spec.search.settings.from) : undefined;
  const cases = [...spec.cases, ...(sides ? [sides.compare, sides.against] : [])];
  const plans = cases.map(compileCase);
  if (values.json) {
    const out = cases.map((c, i) => ({ case: c, plan: plans[i] }));
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else {
    const width = process.stdout.columns || 120;
    const search = spec.search
      ? `, and a search of ${spec.search.settings.parameter} (its two sides at ${spec.search.settings.from} shown last)`
      : "";
    process.stdout.write(`${spec.file}: ${spec.name}, ${spec.cases.length} case(s)${search}\n\n`);
    process.stdout.write(`${renderPlans(cases, plans, width)}\n`);
  }
  return EXIT.ok;
}
