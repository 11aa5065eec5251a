import { spawnSync } from "node:child_process";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VmError } from "../../model/errors.js";
import type { KernelImage } from "./kernel-image.js";

/** The options a run needs of any kernel, and the module each one builds as, if any. */
export const NEEDED_OPTIONS: readonly {
  option: string;
  what: string;
  module?: string;
  /** loaded where the kernel has it, no error where not (no target needs it yet) */
  optional?: true;
}[] = [
  { option: "CONFIG_IO_URING", what: "io_uring" },
  { option: "CONFIG_NET_NS", what: "network namespaces" },
  { option: "CONFIG_VETH", what: "veth (the sink and pair targets)", module: "veth" },
  { option: "CONFIG_DUMMY", what: "dummy (a real dummy device)", module: "dummy", optional: true },
];

// the decompressor of each module suffix a kernel's modules_install writes
const DECOMPRESS: Record<string, string[]> = {
  ".ko.xz": ["xz", "-dc"],
  ".ko.zst": ["zstd", "-dc"],
  ".ko.gz": ["gzip", "-dc"],
};

function findModule(dir: string, name: string): string | undefined {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) {
      const found = findModule(p, name);
      if (found) return found;
    } else if ([".ko", ...Object.keys(DECOMPRESS)].some((suffix) => entry === `${name}${suffix}`))
      return p;
  }
  return undefined;
}

function lacks(kernel: KernelImage, what: string, hint: string): VmError {
  return new VmError("ZC_VM_KERNEL_LACKS", `kernel ${kernel.name} lacks ${what}`, hint, []);
}

/**
 * Checks the image's .config for what a run needs, and puts the modules of
 * those built as modules (and the modules they depend on) into `stage`,
 * uncompressed (busybox's insmod reads no xz). Returns them in load order.
 * Without a .config, a module not found is taken as built in; the guest's
 * insmod or the case itself says otherwise.
 */
export function stageModules(kernel: KernelImage, stage: string): string[] {
  const order: string[] = [];
  const load = (name: string): void => {
    if (order.includes(name)) return;
    const file = kernel.modulesDir
      ? findModule(join(kernel.modulesDir, "kernel"), name)
      : undefined;
    if (!file) return;
    const suffix = Object.keys(DECOMPRESS).find((s) => file.endsWith(s));
    const [tool, ...args] = suffix ? (DECOMPRESS[suffix] as string[]) : ["cat"];
    const r = spawnSync(tool as string, [...args, file], { maxBuffer: 256 << 20 });
    if (r.status !== 0)
      throw new VmError(
        "ZC_VM_LAUNCH",
        `cannot read module ${file} with ${tool}`,
        `install ${tool}`,
        [],
      );
    const depends = /depends=([^\0]*)\0/.exec(r.stdout.toString("latin1"))?.[1] ?? "";
    for (const dep of depends.split(",").filter(Boolean)) load(dep);
    writeFileSync(join(stage, `${name}.ko`), r.stdout);
    order.push(name);
  };
  for (const need of NEEDED_OPTIONS) {
    const value = kernel.config?.get(need.option);
    if (kernel.config && value !== "y" && value !== "m" && !need.optional)
      throw lacks(kernel, `${need.what}: ${need.option} is not set`, "boot a kernel built with it");
    if (!need.module || value === "y") continue;
    load(need.module);
    if (value === "m" && !need.optional && !order.includes(need.module))
      throw lacks(
        kernel,
        `module ${need.module} (${need.option}=m) in ${kernel.modulesDir ?? "any modules folder"}`,
        "name the folder of its modules with --modules (make modules_install INSTALL_MOD_PATH=DIR)",
      );
  }
  return order;
}
