import { createHash } from "node:crypto";
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { release } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../model/errors.js";
import type { Accelerator } from "../../model/kernel.js";
import { nativeCacheDir } from "../../native/locate.js";
import { runInGuest } from "./guest.js";
import type { KernelImage } from "./kernel-image.js";

/** Forces the accelerator (kvm or tcg) instead of probing. */
export const ACCEL_ENV = "ZCSPEC_VM_ACCEL";
/** A boot that runs `true` takes a second under KVM; one that does not end by then never will. */
const KVM_PROBE_MS = 30_000;

type VmAccelerator = Exclude<Accelerator, "host">;

function kvmOpens(): boolean {
  try {
    accessSync("/dev/kvm", constants.R_OK | constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * KVM when it really runs this kernel here, else TCG. /dev/kvm alone does
 * not say (a nested hypervisor may fail the guest's first instructions), so
 * a tiny boot under KVM decides, once per host kernel and image: the answer
 * is cached in the user's cache folder (vm-accelerators.json).
 */
export async function chooseAccelerator(
  kernel: KernelImage,
  env = process.env,
): Promise<VmAccelerator> {
  const forced = env[ACCEL_ENV];
  if (forced !== undefined) {
    if (forced !== "kvm" && forced !== "tcg")
      throw new UsageError(`${ACCEL_ENV}=${forced}`, "kvm or tcg");
    return forced;
  }
  if (!kvmOpens()) return "tcg";
  const cacheFile = join(nativeCacheDir(env), "vm-accelerators.json");
  const image = createHash("sha256").update(readFileSync(kernel.path)).digest("hex");
  const key = `${release()} ${image.slice(0, 16)}`;
  let cache: Record<string, VmAccelerator> = {};
  try {
    cache = JSON.parse(readFileSync(cacheFile, "utf8"));
  } catch {
    // no cache yet
  }
  const known = cache[key];
  if (known) return known;
  const works = await runInGuest(
    kernel,
    { argv: ["true"], cwd: "/", stdoutIsResult: true },
    { accelerator: "kvm", timeoutMs: KVM_PROBE_MS },
  ).then(
    () => true,
    () => false,
  );
  cache[key] = works ? "kvm" : "tcg";
  mkdirSync(nativeCacheDir(env), { recursive: true });
  writeFileSync(cacheFile, `${JSON.stringify(cache, null, 2)}\n`);
  return cache[key];
}
