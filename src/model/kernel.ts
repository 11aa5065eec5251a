import type { Capabilities } from "./capabilities.js";
/** A kernel a run booted in a VM, as every case it ran carries it (`case.kernel` in CEL). */

/** `--kernel host` (and `host` in a spec's `kernels`): the kernel zcspec runs on, no VM. */
export const HOST_KERNEL = "host";

/** How QEMU ran the guest: its rates are comparable only with rates of the same accelerator. */
export type Accelerator = "kvm" | "tcg" | "host";

export interface KernelInfo {
  /** what the user called it: the image's file name without the `vmlinuz-` prefix */
  name: string;
  /** the guest's `uname -r` (read from the image's header before boot) */
  release: string;
  /**
   * sha256 (first 16 hex digits) of the build's .config beside the image, "" where there is none
   */
  configHash: string;
  /** `host`: no VM, the kernel zcspec runs on */
  accelerator: Accelerator;
}

/** What a rate measured under this accelerator measures, said in every table that shows one. */
export function acceleratorNote(accelerator: Accelerator): string | undefined {
  return accelerator === "tcg"
    ? "TCG: QEMU emulates the CPU in software, so its rates measure the emulator, not the kernel"
    : undefined;
}

/** One kernel's probe: `zcspec probe --json` as the kernel's guest (or the host) ran it. */
export interface KernelProbe {
  kernel: KernelInfo;
  caps: Capabilities;
}
