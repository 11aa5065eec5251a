import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { release } from "node:os";
import { fileURLToPath } from "node:url";
import { HOST_KERNEL, type KernelInfo } from "../../model/kernel.js";
import type { KernelImage } from "./kernel-image.js";

/** The package root whose dist/ a guest runs (dist/env/vm/ is three folders down). */
export const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** The CLI a guest runs, at the host's own path. */
export const ZCSPEC_BIN = `${PROJECT_ROOT}bin/zcspec.js`;

/**
 * The host kernel as a case parameter: its .config is Debian's /boot/config-RELEASE where there is
 * one.
 */
export function hostKernel(): KernelInfo {
  const r = release();
  const config = `/boot/config-${r}`;
  return {
    name: HOST_KERNEL,
    release: r,
    configHash: existsSync(config)
      ? createHash("sha256").update(readFileSync(config)).digest("hex").slice(0, 16)
      : "",
    accelerator: "host",
  };
}

/** An image as a case parameter, with the release the guest itself reported. */
export function guestKernel(
  image: KernelImage,
  guestRelease: string,
  accelerator: KernelInfo["accelerator"],
): KernelInfo {
  return { name: image.name, release: guestRelease, configHash: image.configHash, accelerator };
}

/**
 * Set in the environment of a --kernel run's zcspec (JSON of its KernelInfo): its cases carry it.
 */
export const KERNEL_ENV = "ZCSPEC_KERNEL";

/** The kernel this run was started on by a --kernel run, or undefined. */
export function kernelFromEnv(env = process.env): KernelInfo | undefined {
  const v = env[KERNEL_ENV];
  return v ? (JSON.parse(v) as KernelInfo) : undefined;
}
