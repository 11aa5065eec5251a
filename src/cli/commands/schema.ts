import { readFile } from "node:fs/promises";
import { commandLine } from "../args.js";
import { EXIT } from "../exit.js";
import { writeOutput } from "../output.js";

export async function schemaCommand(argv: string[]): Promise<number> {
  const args = commandLine("schema", argv);
  if (!args) return EXIT.ok;
  const name = args.flag("defaults") ? "zcspec-defaults.schema.json" : "zcspec.schema.json";
  const text = await readFile(new URL(`../../../schema/${name}`, import.meta.url), "utf8");
  await writeOutput(args.value("out") ?? "-", text);
  return EXIT.ok;
}
