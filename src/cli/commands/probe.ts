import { probeCapabilities, probeKernels, renderProbe, renderProbeTable } from "../../index.js";
import { commandLine } from "../args.js";
import { EXIT } from "../exit.js";
import { interruptSignal } from "../interrupt.js";
import { writeOutput } from "../output.js";
import { vmTimeLimitMs } from "../vm-options.js";

export async function probeCommand(argv: string[]): Promise<number> {
  const args = commandLine("probe", argv);
  if (!args) return EXIT.ok;
  const json = args.value("json");
  const kernels = args.values("kernel");
  if (kernels.length > 0) {
    const modules = args.value("modules");
    const probes = await probeKernels(kernels, {
      timeoutMs: vmTimeLimitMs(args),
      signal: interruptSignal(),
      onBoot: (line) => process.stderr.write(`${line}\n`),
      ...(modules ? { modules } : {}),
    });
    if (json !== undefined) await writeOutput(json, `${JSON.stringify(probes, null, 2)}\n`);
    if (json !== "-") process.stdout.write(renderProbeTable(probes));
    return EXIT.ok;
  }
  const caps = probeCapabilities();
  if (json !== undefined) await writeOutput(json, `${JSON.stringify(caps, null, 2)}\n`);
  // the table too, unless the JSON took stdout
  if (json !== "-") process.stdout.write(renderProbe(caps));
  return EXIT.ok;
}
