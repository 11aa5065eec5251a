import { parseArgs } from "node:util";
import { probeCapabilities, renderProbe } from "../index.js";
import { EXIT } from "./exit.js";

export const PROBE_HELP = `zcspec probe [--json]

What this kernel and this process can do: every feature is tried with a
tiny real request to a UDP socket of zcspec's own on 127.0.0.1.

Options:
  --json      print the findings as JSON
  -h, --help  show this help`;

export async function probeCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${PROBE_HELP}\n`);
    return EXIT.ok;
  }
  const caps = probeCapabilities();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(caps, null, 2)}\n`);
    return EXIT.ok;
  }
  process.stdout.write(renderProbe(caps));
  return EXIT.ok;
}
