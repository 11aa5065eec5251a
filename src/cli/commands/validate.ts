import { checkSpecFile, findSpecFiles, renderValidation } from "../../index.js";
import { commandLine } from "../args.js";
import { EXIT } from "../exit.js";
import { writeOutput } from "../output.js";

export async function validateCommand(argv: string[]): Promise<number> {
  const args = commandLine("validate", argv);
  if (!args) return EXIT.ok;
  const files = await findSpecFiles(args.positionals, { defaults: true });
  const strict = args.flag("strict");
  const checks = await Promise.all(files.map((f) => checkSpecFile(f, { strict })));
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
