import { existsSync, statSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UsageError, ZcspecError } from "../../index.js";
import { closest } from "../../internal.js";
import { commandLine } from "../args.js";
import { EXIT } from "../exit.js";
import { TEMPLATE_NAMES, TEMPLATES } from "./init-templates.js";

const DEFAULT_FILE = "zcspec.yaml";
const SCHEMA_FILE = "zcspec.schema.json";

async function write(path: string, text: string): Promise<void> {
  await writeFile(path, text).catch((e: Error) => {
    throw new ZcspecError(
      "ZC_OUTPUT",
      `cannot write ${path}: ${e.message}`,
      "write somewhere else",
    );
  });
}

export async function initCommand(argv: string[]): Promise<number> {
  const args = commandLine("init", argv);
  if (!args) return EXIT.ok;
  const name = args.value("template") ?? (TEMPLATE_NAMES[0] as string);
  const template = TEMPLATES[name];
  if (template === undefined) {
    const guess = closest(name, TEMPLATE_NAMES);
    throw new UsageError(
      `--template ${name}: no such template`,
      `${guess ? `did you mean ${guess}? ` : ""}templates: ${TEMPLATE_NAMES.join(", ")}`,
    );
  }
  const given = args.positionals[0] ?? DEFAULT_FILE;
  // a directory gets the default name inside it
  const file =
    existsSync(given) && statSync(given).isDirectory() ? join(given, DEFAULT_FILE) : given;
  const force = args.flag("force");
  if (!existsSync(dirname(file)))
    throw new UsageError(
      `cannot write ${file}: ${dirname(file)} does not exist`,
      "create it first",
    );
  if (existsSync(file) && !force)
    throw new UsageError(`${file} exists`, "name another file, or pass --force to overwrite it");
  if (!/\.ya?ml$/.test(file))
    throw new UsageError(`${file}: a spec file ends in .yaml or .yml`, `zcspec init ${file}.yaml`);
  await write(file, template(basename(file)));
  process.stderr.write(`wrote ${file} (template ${name})\n`);
  // the modeline names the schema beside the spec: the spec and the schema travel together
  const schema = join(dirname(file), SCHEMA_FILE);
  if (!existsSync(schema) || force) {
    const url = new URL(`../../../schema/${SCHEMA_FILE}`, import.meta.url);
    await write(schema, await readFile(url, "utf8"));
    process.stderr.write(`wrote ${schema} (for editors; zcspec schema --out refreshes it)\n`);
  }
  process.stderr.write(`next: zcspec validate ${file} && zcspec run ${file}\n`);
  return EXIT.ok;
}
