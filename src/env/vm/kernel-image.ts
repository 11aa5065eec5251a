import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { VmError } from "../../model/errors.js";

/** A kernel image given with --kernel, what its build says about it, and where its modules are. */
export interface KernelImage {
  path: string;
  /** the file name without `vmlinuz-` (Debian's) or the folder's name for a `bzImage` */
  name: string;
  /** `uname -r` as the image's header gives it */
  release: string;
  /**
   * the build's .config, when one is beside the image (Debian's config-RELEASE, a build's .config)
   */
  config?: Map<string, string>;
  /** sha256 of that .config, first 16 hex digits; "" without one */
  configHash: string;
  /** the modules tree of this release (lib/modules/RELEASE), when there is one */
  modulesDir?: string;
}

// The boot protocol's header (Documentation/arch/x86/boot.rst): "HdrS" at
// 0x202, and at 0x20e the offset (less 0x200) of the version string.
const HEADER_MAGIC_AT = 0x202;
const VERSION_POINTER_AT = 0x20e;

/** The release a bzImage names in its header ("6.12.118+deb12-cloud-amd64"). */
export function imageRelease(image: Buffer, path: string): string {
  if (
    image.length < 0x210 ||
    image.toString("latin1", HEADER_MAGIC_AT, HEADER_MAGIC_AT + 4) !== "HdrS"
  )
    throw new VmError(
      "ZC_VM_LAUNCH",
      `${path} is not a bzImage (no "HdrS" boot header)`,
      "give the compressed kernel: Debian's boot/vmlinuz-RELEASE or a build's " +
        "arch/x86/boot/bzImage",
      [],
    );
  const at = image.readUInt16LE(VERSION_POINTER_AT) + 0x200;
  const end = image.indexOf(0, at);
  return image.toString("latin1", at, end < 0 ? at + 256 : end).split(" ")[0] ?? "";
}

/** `CONFIG_X=value` lines of a .config. */
export function parseConfig(text: string): Map<string, string> {
  const config = new Map<string, string>();
  for (const m of text.matchAll(/^(CONFIG_\w+)=(.*)$/gm))
    config.set(m[1] as string, m[2] as string);
  return config;
}

/**
 * Reads an image given with --kernel. Its .config is Debian's
 * `config-RELEASE` beside it, or a kernel tree's `.config` (the image at
 * arch/x86/boot/bzImage); its modules are `modules`, else the lib/modules
 * tree beside an unpacked package (boot/../lib/modules/RELEASE).
 */
export function readKernelImage(path: string, modules?: string): KernelImage {
  let image: Buffer;
  try {
    image = readFileSync(path);
  } catch (e) {
    throw new VmError(
      "ZC_VM_LAUNCH",
      `cannot read the kernel image ${path}: ${(e as Error).message}`,
      "check the --kernel path",
      [],
    );
  }
  const release = imageRelease(image, path);
  const dir = dirname(path);
  const file = basename(path);
  const configPath = [join(dir, `config-${release}`), join(dir, "../../../.config")].find(
    existsSync,
  );
  const configText = configPath ? readFileSync(configPath, "utf8") : undefined;
  const modulesDir = [
    modules && join(modules, "lib/modules", release),
    modules,
    join(dir, "../lib/modules", release),
  ].find((d): d is string => d !== undefined && existsSync(join(d, "kernel")));
  return {
    path,
    name: file.startsWith("vmlinuz-")
      ? file.slice("vmlinuz-".length)
      : file === "bzImage"
        ? release
        : file,
    release,
    ...(configText !== undefined ? { config: parseConfig(configText) } : {}),
    configHash:
      configText === undefined
        ? ""
        : createHash("sha256").update(configText).digest("hex").slice(0, 16),
    ...(modulesDir ? { modulesDir } : {}),
  };
}
