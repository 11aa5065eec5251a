import { probeCapabilities, renderProbe } from "../index.js";
import { commandLine } from "./args.js";
import { EXIT } from "./exit.js";
import { writeOutput } from "./output.js";

export async function probeCommand(argv: string[]): Promise<number> {
  const args = commandLine("probe", argv);
  if (!args) return EXIT.ok;
  const caps = probeCapabilities();
  const json = args.value("json");
  if (json !== undefined) await writeOutput(json, `${JSON.stringify(caps, null, 2)}\n`);
  // the table too, unless the JSON took stdout
  if (json !== "-") process.stdout.write(renderProbe(caps));
  return EXIT.ok;
}
