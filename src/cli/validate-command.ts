import { parseArgs } from "node:util";
import { checkSpecFile, findSpecFiles, renderValidation, UsageError } from "../index.js";
import { EXIT } from "./exit.js";

export const VALIDATE_HELP = `zcspec validate <file|dir>... [options]

Check spec files without running anything: YAML syntax, \${VAR} references,
extends, the schema and the semantic checks. Every problem of every file is
reported with file:line:col, a code frame, a stable code and a hint.
Directories are searched recursively for *.yaml and *.yml; files named
*.defaults.yaml are checked as shared defaults files (see extends).

Options:
  --json      print the diagnostics as JSON instead
  -h, --help  show this help

Exit codes: 0 every file is valid (warnings allowed), 2 a file has an error
or the usage is wrong.`;

export async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${VALIDATE_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length === 0)
    throw new UsageError("zcspec validate takes files or directories", "zcspec validate specs/");
  const files = await findSpecFiles(positionals, { defaults: true });
  const checks = await Promise.all(files.map((f) => checkSpecFile(f)));
  if (values.json) {
    const report = checks.map((c) => ({
      file: c.spec.file,
      valid: !c.diagnostics.some((d) => d.severity === "error"),
      cases: c.cases.length,
      diagnostics: c.diagnostics,
    }));
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(renderValidation(checks));
  }
  const invalid = checks.some((c) => c.diagnostics.some((d) => d.severity === "error"));
  return invalid ? EXIT.invalid : EXIT.ok;
}
