import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { EXIT } from "./exit.js";

export const SCHEMA_HELP = `zcspec schema [--defaults]

Print the JSON Schema (draft 2020-12) of the spec language: every key with
its description, unit and default. Editors that read
\`# yaml-language-server: $schema=...\` use the same file.

Options:
  --defaults  print the schema of shared defaults files (extends) instead
  -h, --help  show this help`;

export async function schemaCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { defaults: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${SCHEMA_HELP}\n`);
    return EXIT.ok;
  }
  const name = values.defaults ? "zcspec-defaults.schema.json" : "zcspec.schema.json";
  process.stdout.write(await readFile(new URL(`../../schema/${name}`, import.meta.url), "utf8"));
  return EXIT.ok;
}
