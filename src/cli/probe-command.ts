import { parseArgs } from "node:util";
import { FEATURE_TRIES, probeCapabilities } from "../env/probe.js";
import { EXIT } from "./exit.js";

export const PROBE_HELP = `zcspec probe [--json]

What this kernel and this process can do: every feature is tried with a
tiny real request to a UDP socket of zcspec's own on 127.0.0.1.

Options:
  --json      print the findings as JSON
  -h, --help  show this help`;

function kib(bytes: number | null): string {
  return bytes === null ? "unlimited" : `${Math.floor(bytes / 1024)} KiB`;
}

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
  const lines = [
    `kernel         ${caps.kernel}`,
    `liburing       ${caps.liburing} (built against, linked statically)`,
    `io_uring ops   ${caps.opsError ? `probe failed: ${caps.opsError}` : `${caps.ops.length} supported: ${caps.ops.join(" ")}`}`,
    `memlock        ${kib(caps.memlock.soft)} soft, ${kib(caps.memlock.hard)} hard (registered buffers count against it)`,
    `CAP_NET_ADMIN  ${caps.capNetAdmin ? "yes" : "no"}`,
    "features (each tried for real):",
  ];
  for (const [name, state] of Object.entries(caps.features)) {
    const verdict = state.ok ? "yes" : `no (${state.error})`;
    lines.push(
      `  ${name.padEnd(22)}${verdict.padEnd(16)}${FEATURE_TRIES[name as keyof typeof FEATURE_TRIES]}`,
    );
  }
  process.stdout.write(`${lines.join("\n")}\n`);
  return EXIT.ok;
}
