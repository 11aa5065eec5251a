import { type ChildProcess, spawn } from "node:child_process";
import { VmError } from "../../model/errors.js";
import type { Accelerator } from "../../model/kernel.js";
import { onPath } from "./initramfs.js";

export const QEMU = "qemu-system-x86_64";
/** How many of the console's last lines an error shows. */
const TAIL_LINES = 15;

export interface BootOptions {
  kernel: string;
  initrd: string;
  /** the kernel command line after zcspec's own (console, panic, quiet) */
  append?: string;
  accelerator: Exclude<Accelerator, "host">;
  timeoutMs: number;
  memoryMiB?: number;
  cpus?: number;
  signal?: AbortSignal;
  /**
   * The console line that ends the boot: once it is there, QEMU is stopped
   * (a guest's reboot would drop what the UART has not sent yet).
   */
  doneAt?: RegExp;
}

// every QEMU still running, killed (its whole process group) if this process ends first
const running = new Set<ChildProcess>();
let exitHook = false;
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export function consoleTail(text: string): string[] {
  const lines = text.replaceAll("\r", "").trimEnd();
  return lines ? lines.split("\n").slice(-TAIL_LINES) : [];
}

/** QEMU's command line: no network device at all, the serial console on stdout, no reboot. */
export function qemuArgs(o: BootOptions): string[] {
  return [
    "-nodefaults",
    "-no-user-config",
    "-display",
    "none",
    "-monitor",
    "none",
    "-serial",
    "stdio",
    "-nic",
    "none",
    "-no-reboot",
    "-accel",
    o.accelerator,
    "-cpu",
    o.accelerator === "kvm" ? "host" : "max",
    "-smp",
    String(o.cpus ?? 2),
    "-m",
    String(o.memoryMiB ?? 1024),
    "-kernel",
    o.kernel,
    "-initrd",
    o.initrd,
    "-append",
    `console=ttyS0 panic=-1 quiet ${o.append ?? ""}`.trim(),
  ];
}

/**
 * Boots a kernel and returns its console once the guest powers off. A
 * panic, a time limit that runs out, an abort or QEMU's own failure end as
 * a VmError with the console's last lines; QEMU never outlives it.
 */
export function boot(o: BootOptions): Promise<string> {
  if (!onPath(QEMU))
    throw new VmError("ZC_VM_LAUNCH", `${QEMU} not found`, "apt-get install qemu-system-x86", []);
  if (!exitHook) {
    exitHook = true;
    process.on("exit", () => {
      for (const child of running) killGroup(child);
    });
  }
  return new Promise((resolveBoot, rejectBoot) => {
    const child = spawn(QEMU, qemuArgs(o), { detached: true, stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let text = "";
    let stderr = "";
    let ending: VmError | undefined;
    let done = false;
    child.stdout?.setEncoding("latin1").on("data", (d: string) => {
      text += d;
      if (!done && o.doneAt && o.doneAt.test(text)) {
        done = true;
        killGroup(child);
      }
    });
    child.stderr?.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const stop = (error: VmError): void => {
      ending ??= error;
      killGroup(child);
    };
    const timer = setTimeout(
      () =>
        stop(
          new VmError(
            "ZC_VM_TIMEOUT",
            `kernel ${o.kernel} did not finish in ${o.timeoutMs / 1000} s (${o.accelerator})`,
            "a hung kernel, or a guest slower than the limit: give --vm-time-limit more",
            consoleTail(text),
          ),
        ),
      o.timeoutMs,
    );
    const onAbort = (): void =>
      stop(
        new VmError(
          "ZC_VM_TIMEOUT",
          `the VM of ${o.kernel} was stopped: ${String(o.signal?.reason)}`,
          "",
          consoleTail(text),
        ),
      );
    o.signal?.addEventListener("abort", onAbort, { once: true });
    if (o.signal?.aborted) onAbort();
    child.on("error", (e) =>
      stop(
        new VmError("ZC_VM_LAUNCH", `${QEMU}: ${e.message}`, "apt-get install qemu-system-x86", []),
      ),
    );
    child.on("close", (code) => {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      running.delete(child);
      if (ending) return rejectBoot(ending);
      if (done) return resolveBoot(text);
      const panic = /Kernel panic - not syncing: .*/.exec(text);
      if (panic)
        return rejectBoot(
          new VmError(
            "ZC_VM_PANIC",
            `kernel ${o.kernel} panicked: ${panic[0].trim()}`,
            "the console's lines up to the panic say why",
            // what led to it, not the stack trace after it
            consoleTail(text.slice(0, panic.index + panic[0].length)),
          ),
        );
      if (code !== 0 || /KVM internal error/.test(stderr))
        return rejectBoot(
          new VmError(
            "ZC_VM_LAUNCH",
            `${QEMU} exited with ${code}: ${stderr.trim().split("\n").slice(0, 3).join("; ")}`,
            o.accelerator === "kvm"
              ? "KVM does not run this kernel here: ZCSPEC_VM_ACCEL=tcg"
              : "see QEMU's message",
            consoleTail(text),
          ),
        );
      resolveBoot(text);
    });
  });
}
