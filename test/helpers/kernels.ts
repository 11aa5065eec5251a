import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { onPath } from "../../src/env/vm/initramfs.js";
import { QEMU } from "../../src/env/vm/qemu.js";
import { nativeCacheDir } from "../../src/native/locate.js";
import { ROOT } from "./env.js";

/** Where the tests keep Debian's kernels between runs: the user's zcspec cache. */
export const KERNEL_CACHE = join(nativeCacheDir(), "kernels");

/** The two series the VM tests boot: bookworm's own 6.1 and its 6.12 backport, cloud flavour. */
export const SERIES = {
  "6.1": /^linux-image-6\.1\.0-[0-9]+-cloud-amd64$/,
  "6.12": /^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64$/,
} as const;
export type Series = keyof typeof SERIES;

/** "linux-image-6.12.118+deb12-cloud-amd64" after "...6.12.9+...": numbers compared as numbers. */
function newest(names: string[]): string | undefined {
  return names.sort((a, b) => a.localeCompare(b, "en", { numeric: true })).at(-1);
}

function imageIn(dir: string): string | undefined {
  const boot = join(dir, "boot");
  const file = existsSync(boot)
    ? readdirSync(boot).find((f) => f.startsWith("vmlinuz-"))
    : undefined;
  return file && join(boot, file);
}

/** One series' image, unpacked in the cache (fetched with apt-get download the first time), or why not. */
function fetchSeries(series: Series): { path: string } | { skip: string } {
  mkdirSync(KERNEL_CACHE, { recursive: true });
  const cached = newest(
    readdirSync(KERNEL_CACHE).filter(
      (d) => SERIES[series].test(d) && imageIn(join(KERNEL_CACHE, d)),
    ),
  );
  if (cached) return { path: imageIn(join(KERNEL_CACHE, cached)) as string };
  if (!onPath("apt-cache") || !onPath("apt-get") || !onPath("dpkg-deb"))
    return { skip: `no ${series} kernel in ${KERNEL_CACHE}, and no apt-get to fetch Debian's` };
  const listed = spawnSync("apt-cache", ["search", "--names-only", SERIES[series].source], {
    encoding: "utf8",
  });
  const name = newest(
    listed.stdout
      .split("\n")
      .map((l) => l.split(" ")[0] ?? "")
      .filter((n) => SERIES[series].test(n)),
  );
  if (!name)
    return {
      skip: `apt-cache lists no ${series} cloud kernel (not Debian 12, or apt-get update never ran)`,
    };
  const got = spawnSync("apt-get", ["download", name], { cwd: KERNEL_CACHE, encoding: "utf8" });
  const deb = readdirSync(KERNEL_CACHE).find((f) => f.startsWith(`${name}_`) && f.endsWith(".deb"));
  if (got.status !== 0 || !deb)
    return { skip: `apt-get download ${name} failed: ${got.stderr.trim().split("\n").at(-1)}` };
  const dir = join(KERNEL_CACHE, name);
  const unpacked = spawnSync("dpkg-deb", ["-x", deb, dir], { cwd: KERNEL_CACHE, encoding: "utf8" });
  rmSync(join(KERNEL_CACHE, deb));
  const path = imageIn(dir);
  if (unpacked.status !== 0 || !path)
    return { skip: `dpkg-deb -x ${deb} failed: ${unpacked.stderr.trim()}` };
  return { path };
}

/** Why the VM tests cannot run here, or undefined. */
export function vmBlocker(): string | undefined {
  for (const [tool, pkg] of [
    [QEMU, "qemu-system-x86"],
    ["cpio", "cpio"],
    ["xz", "xz-utils"],
  ] as const)
    if (!onPath(tool)) return `${tool} not installed (apt-get install ${pkg})`;
  if (!existsSync("/bin/busybox")) return "busybox not installed (apt-get install busybox-static)";
  if (!existsSync(`${ROOT}dist/cli/bin.js`))
    return "CLI not built; run npm run build (the guest runs dist/)";
  if (!existsSync(`${ROOT}native/build/libzcspec.so`))
    return "native library not built; run npm run build:native";
  return undefined;
}

/** Both series' images, or why the VM tests skip. */
export function debianKernels(): { images: Record<Series, string> } | { skip: string } {
  const blocker = vmBlocker();
  if (blocker) return { skip: blocker };
  const images: Partial<Record<Series, string>> = {};
  for (const series of Object.keys(SERIES) as Series[]) {
    const got = fetchSeries(series);
    if ("skip" in got) return got;
    images[series] = got.path;
  }
  return { images: images as Record<Series, string> };
}
