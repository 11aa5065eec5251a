import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { FORMATS, readResults, UsageError } from "../index.js";
import { EXIT } from "./exit.js";

export const REPORT_HELP = `zcspec report <results.json> --<format> [-o <file>]

Render a saved run (zcspec run --json FILE) again in another format.

Formats (one):
${FORMATS.map((f) => `  --${f.name.padEnd(10)} ${f.description}`).join("\n")}

Options:
  -o, --output <file>  write there instead of stdout
  -h, --help           show this help`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(FORMATS.map((f) => [f.name, { type: "boolean" as const }])),
      output: { type: "string", short: "o" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${REPORT_HELP}\n`);
    return EXIT.ok;
  }
  const chosen = FORMATS.filter((f) => (values as Record<string, unknown>)[f.name] === true);
  if (positionals.length !== 1 || chosen.length !== 1) {
    throw new UsageError(
      positionals.length !== 1
        ? "zcspec report takes one results file"
        : "name one format to render",
      `zcspec report results.json --markdown (formats: ${FORMATS.map((f) => `--${f.name}`).join(" ")})`,
    );
  }
  const suite = await readResults(positionals[0] as string);
  const text = (chosen[0] as (typeof FORMATS)[number]).render(suite);
  if (values.output) await writeFile(values.output, text);
  else process.stdout.write(text);
  return EXIT.ok;
}
