import {
  caseFilter,
  compileCase,
  findSpecFiles,
  readSpecs,
  renderPlans,
  type ValidSpec,
} from "../../index.js";
import { onlineCpus } from "../../internal.js";
import { commandLine } from "../args.js";
import { EXIT } from "../exit.js";
import { writeOutput } from "../output.js";
import { noCaseMatches, printWarnings } from "../spec-notes.js";

/**
 * A spec's cases, and a search's two sides at its lower bound (what they are, and how they filter).
 */
function shownCases(spec: ValidSpec) {
  const sides = spec.search ? spec.search.at(spec.search.settings.from) : undefined;
  return [...spec.cases, ...(sides ? [sides.compare, sides.against] : [])];
}

export async function planCommand(argv: string[]): Promise<number> {
  const args = commandLine("plan", argv);
  if (!args) return EXIT.ok;
  const select = caseFilter(args.values("case"), args.value("grep"));
  const files = await findSpecFiles(args.positionals);
  // every invalid spec's problems at once, expectations' included, as run reports them
  const specs = await readSpecs(files, { cpus: onlineCpus() });
  printWarnings(specs);
  const chosen = specs.map((spec) => ({
    spec,
    cases: shownCases(spec).filter((c) => select(c, spec.name)),
  }));
  if (chosen.every((s) => s.cases.length === 0)) throw noCaseMatches(specs);
  const json = args.value("json");
  if (json !== undefined) {
    const out = chosen.flatMap(({ spec, cases }) =>
      cases.map((c) => ({ spec: spec.name, case: c, plan: compileCase(c) })),
    );
    await writeOutput(json, `${JSON.stringify(out, null, 2)}\n`);
    if (json === "-") return EXIT.ok;
  }
  const width = process.stdout.columns || 120;
  for (const { spec, cases } of chosen) {
    if (cases.length === 0) continue;
    const search = spec.search
      ? `, and a search of ${spec.search.settings.parameter} (its two sides at ` +
        `${spec.search.settings.from} shown last)`
      : "";
    process.stdout.write(`${spec.file}: ${spec.name}, ${spec.cases.length} case(s)${search}\n\n`);
    process.stdout.write(`${renderPlans(cases, cases.map(compileCase), width)}\n`);
  }
  return EXIT.ok;
}
