import { parseArgs } from "node:util";
import { probeCapabilities, probeKernels, renderProbe, renderProbeTable } from "../index.js";
import { EXIT } from "./exit.js";
import { interruptSignal } from "./interrupt.js";
import { vmTimeLimitMs } from "./vm-options.js";

export const PROBE_HELP = `zcspec probe [--json] [--kernel VMLINUZ|host ...] [--modules DIR]

What this kernel and this process can do: every feature is tried with a
tiny real request to a UDP socket of zcspec's own on 127.0.0.1.

Options:
  --json                 print the findings as JSON
  --kernel <image|host>  probe this kernel in a VM (repeatable; "host": this
                         kernel): one table, a column per kernel
  --modules <dir>        the kernels' modules (default: lib/modules beside the image)
  --vm-time-limit <time> per VM, boot included (default 5m)
  -h, --help             show this help`;

export async function probeCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: "boolean" },
      kernel: { type: "string", multiple: true },
      modules: { type: "string" },
      "vm-time-limit": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${PROBE_HELP}\n`);
    return EXIT.ok;
  }
  if (values.kernel?.length) {
    const probes = await probeKernels(values.kernel, {
      timeoutMs: vmTimeLimitMs(values["vm-time-limit"]),
      signal: interruptSignal(),
      onBoot: (line) => process.stderr.write(`${line}\n`),
      ...(values.modules ? { modules: values.modules } : {}),
    });
    process.stdout.write(
      values.json ? `${JSON.stringify(probes, null, 2)}\n` : renderProbeTable(probes),
    );
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
