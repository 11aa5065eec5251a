import { parseArgs } from "node:util";
import { reexecInUserNamespace, wantsUserNamespace } from "../env/userns.js";
import { UsageError } from "../errors.js";
import { consoleReporter } from "../report/console.js";
import { runSpec } from "../run.js";
import { formatDiagnostic } from "../spec/frame.js";
import { withTiming } from "../spec/override.js";
import { readSpec } from "../spec/read.js";
import { parseDuration } from "../spec/units.js";
import { EXIT } from "./exit.js";

export const RUN_HELP = `zcspec run <spec.yaml> [options]

Run every case of a spec and print a results table.

Options:
  --duration <time>  measured time per case, overriding the spec (e.g. 300ms, 2s)
  --warmup <time>    warmup per case, overriding the spec (e.g. 0, 100ms)
  --allow-remote     let target: remote cases send to the host they name
                     (refused without it: that traffic leaves this machine)
  -h, --help         show this help

Exit codes: 0 every case passed, 1 a case failed its checks,
2 invalid spec or usage, 3 runtime or environment error, 130 interrupted.`;

function durationFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  let ns: number;
  try {
    ns = parseDuration(/^[0-9.]+$/.test(value) ? Number(value) : value);
  } catch {
    throw new UsageError(
      `--${name} ${value} is not a duration`,
      "write it with a unit, e.g. 300ms or 2s",
    );
  }
  const min = name === "duration" ? 1 : 0;
  if (ns < min || ns > 3600e9)
    throw new UsageError(`--${name} must be ${min ? "more than 0" : "0"}..1h`);
  return ns;
}

export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      duration: { type: "string" },
      warmup: { type: "string" },
      "allow-remote": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${RUN_HELP}\n`);
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      "zcspec run takes one spec file",
      "zcspec run specs/examples/udp-sink.yaml",
    );
  }
  let spec = await readSpec(positionals[0] as string);
  // namespace targets without root: the same run inside a user namespace of its own
  if (wantsUserNamespace(spec.cases.map((c) => c.target))) return reexecInUserNamespace();
  for (const w of spec.warnings)
    process.stderr.write(`${formatDiagnostic(w, spec.source.text)}\n\n`);
  const durationNs = durationFlag("duration", values.duration);
  const warmupNs = durationFlag("warmup", values.warmup);
  spec = withTiming(spec, {
    ...(durationNs === undefined ? {} : { durationNs }),
    ...(warmupNs === undefined ? {} : { warmupNs }),
  });
  const run = await runSpec(spec, {
    reporters: [consoleReporter()],
    allowRemote: values["allow-remote"] ?? false,
  });
  const statuses = new Set(run.results.map((r) => r.status));
  if (statuses.has("error")) return EXIT.runtime;
  if (statuses.has("failed")) return EXIT.failed;
  return EXIT.ok;
}
