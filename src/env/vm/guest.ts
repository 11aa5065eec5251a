import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VmError } from "../../model/errors.js";
import type { Accelerator } from "../../model/kernel.js";
import { type GuestJob, initScript, jobScript, RESULT_END, readConsole } from "./guest-init.js";
import { appendCpio, guestFiles, hostEntries, stagedEntries } from "./initramfs.js";
import type { KernelImage } from "./kernel-image.js";
import { stageModules } from "./modules.js";
import { boot, consoleTail } from "./qemu.js";

export interface GuestRun {
  /** the project root whose built files the guest runs; none for a boot that runs no zcspec */
  project?: string;
  /** host files and folders the job reads (specs), at their own paths */
  files?: readonly string[];
  accelerator: Exclude<Accelerator, "host">;
  timeoutMs: number;
  signal?: AbortSignal;
  /** more of the kernel command line (the tests' unbootable ones) */
  append?: string;
}

/** What came back from a guest: its release, the job's exit status and result, the console. */
export interface GuestOutcome {
  release: string;
  exit: number;
  result: string;
  console: string;
  elapsedMs: number;
}

/**
 * Boots `kernel` on an initramfs of its own (the host's node, ip, busybox
 * and the project, the kernel's modules, the job) and runs `job` there.
 * The temporary initramfs is removed whatever happens.
 */
export async function runInGuest(
  kernel: KernelImage,
  job: GuestJob,
  o: GuestRun,
): Promise<GuestOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "zcspec-vm-"));
  try {
    const stage = join(dir, "stage");
    const modules = join(stage, "zcspec-vm/modules");
    mkdirSync(modules, { recursive: true });
    const order = stageModules(kernel, modules);
    writeFileSync(join(stage, "init"), initScript(order), { mode: 0o755 });
    writeFileSync(join(stage, "zcspec-vm/job"), jobScript(job));
    const initrd = join(dir, "initrd.cpio");
    const out = openSync(initrd, "w");
    try {
      const files = o.project ? guestFiles(o.project) : { paths: ["/bin/busybox"], recursive: [] };
      appendCpio("/", hostEntries(files.paths, [...files.recursive, ...(o.files ?? [])]), out);
      appendCpio(stage, stagedEntries(stage), out);
    } finally {
      closeSync(out);
    }
    const started = performance.now();
    const text = await boot({
      kernel: kernel.path,
      initrd,
      accelerator: o.accelerator,
      timeoutMs: o.timeoutMs,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.append ? { append: o.append } : {}),
      doneAt: RESULT_END,
    });
    const report = readConsole(text);
    if (report.lacksModule)
      throw new VmError(
        "ZC_VM_KERNEL_LACKS",
        `kernel ${kernel.name} did not load module ${report.lacksModule}`,
        "give the modules of this very build with --modules",
        consoleTail(text),
      );
    if (report.booted === undefined || report.exit === undefined || report.result === undefined)
      throw new VmError(
        "ZC_VM_GUEST",
        `the VM of ${kernel.name} ended without a result`,
        "the console's last lines say why",
        consoleTail(text),
      );
    return {
      release: report.booted,
      exit: report.exit,
      result: report.result,
      console: text,
      elapsedMs: performance.now() - started,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
