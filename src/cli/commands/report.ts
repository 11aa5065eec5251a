import { FORMATS, readResults, UsageError } from "../../index.js";
import { commandLine } from "../args.js";
import { EXIT } from "../exit.js";
import { writeOutput } from "../output.js";

export async function reportCommand(argv: string[]): Promise<number> {
  const args = commandLine("report", argv);
  if (!args) return EXIT.ok;
  const chosen = FORMATS.flatMap((f) => {
    const path = args.value(f.name);
    return path === undefined ? [] : [{ format: f, path }];
  });
  if (chosen.length === 0)
    throw new UsageError(
      "name a format to render, and the file to write it to",
      "zcspec report results.json --markdown - (formats: " +
        `${FORMATS.map((f) => `--${f.name}`).join(" ")}; "-": stdout)`,
    );
  if (chosen.filter((c) => c.path === "-").length > 1)
    throw new UsageError("only one format can go to stdout (-)", "write the others to files");
  const suite = await readResults(args.positionals[0] as string);
  for (const { format, path } of chosen) await writeOutput(path, format.render(suite));
  return EXIT.ok;
}
