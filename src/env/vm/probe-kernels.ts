import { VmError } from "../../model/errors.js";
import { HOST_KERNEL, type KernelProbe } from "../../model/kernel.js";
import { probeCapabilities } from "../probe.js";
import { chooseAccelerator } from "./accelerator.js";
import { runInGuest } from "./guest.js";
import { readKernelImage } from "./kernel-image.js";
import { guestKernel, hostKernel, PROJECT_ROOT, ZCSPEC_BIN } from "./project.js";
import { consoleTail } from "./qemu.js";

export interface KernelVmOptions {
  /** --modules: the folder of the kernels' modules */
  modules?: string;
  /** per VM, boot included */
  timeoutMs: number;
  signal?: AbortSignal;
  /** told as each VM starts (a TCG guest takes tens of seconds with nothing else to show) */
  onBoot?: (line: string) => void;
}

/** Probes each kernel (an image path, or `host`), one VM after another. */
export async function probeKernels(
  kernels: readonly string[],
  o: KernelVmOptions,
): Promise<KernelProbe[]> {
  const out: KernelProbe[] = [];
  for (const k of kernels) {
    if (k === HOST_KERNEL) {
      out.push({ kernel: hostKernel(), caps: probeCapabilities() });
      continue;
    }
    const image = readKernelImage(k, o.modules);
    const accelerator = await chooseAccelerator(image);
    o.onBoot?.(`${image.name}: booting under ${accelerator} to probe it`);
    const guest = await runInGuest(
      image,
      {
        argv: [process.execPath, ZCSPEC_BIN, "probe", "--json", "-"],
        cwd: "/",
        stdoutIsResult: true,
      },
      {
        project: PROJECT_ROOT,
        accelerator,
        timeoutMs: o.timeoutMs,
        ...(o.signal ? { signal: o.signal } : {}),
      },
    );
    if (guest.exit !== 0)
      throw new VmError(
        "ZC_VM_GUEST",
        `zcspec probe in the VM of ${image.name} exited with ${guest.exit}`,
        "the console's last lines say why",
        consoleTail(guest.console),
      );
    out.push({
      kernel: guestKernel(image, guest.release, accelerator),
      caps: JSON.parse(guest.result),
    });
  }
  return out;
}
