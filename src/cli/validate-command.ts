import {
  checkSpecFile,
  compileExpectations,
  findSpecFiles,
  gateCases,
  renderValidation,
  type SpecCheck,
  strictGates,
  vacuousGates,
  withDiagnostics,
} from "../index.js";
import { commandLine } from "./args.js";
import { EXIT } from "./exit.js";
import { writeOutput } from "./output.js";

/** A CEL typo in `expect`, or a gate that never applies, is a spec problem too. */
function withExpectations(check: SpecCheck, strict: boolean): SpecCheck {
  const expect = (check.spec.data as { expect?: unknown } | null | undefined)?.expect;
  if (!Array.isArray(expect) || expect.length === 0) return check;
  const { expectations, diagnostics } = compileExpectations(check.spec);
  const gates = vacuousGates(expectations, gateCases(check.cases, check.search));
  return withDiagnostics(check, [...diagnostics, ...(strict ? strictGates(gates) : gates)]);
}

export async function validateCommand(argv: string[]): Promise<number> {
  const args = commandLine("validate", argv);
  if (!args) return EXIT.ok;
  const files = await findSpecFiles(args.positionals, { defaults: true });
  const checks = await Promise.all(
    files.map(async (f) => withExpectations(await checkSpecFile(f), args.flag("strict"))),
  );
  const json = args.value("json");
  if (json !== undefined) {
    const report = checks.map((c) => ({
      file: c.spec.file,
      valid: !c.diagnostics.some((d) => d.severity === "error"),
      cases: c.cases.length,
      diagnostics: c.diagnostics,
    }));
    await writeOutput(json, `${JSON.stringify(report, null, 2)}\n`);
  }
  if (json !== "-") process.stdout.write(renderValidation(checks));
  const invalid = checks.some((c) => c.diagnostics.some((d) => d.severity === "error"));
  return invalid ? EXIT.invalid : EXIT.ok;
}
