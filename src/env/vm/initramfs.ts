import { spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
} from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { VmError } from "../../model/errors.js";

/**
 * The guest's root file system, one newc cpio archive the kernel unpacks:
 * the host's own files at their own paths (so node, its libraries, ip and
 * the project are where the host has them, and a spec's relative paths
 * still hold), then a staging folder of the VM's own files (/init, the job,
 * the modules). Concatenated archives are one initramfs to the kernel.
 */

/**
 * Every archive entry that `paths` need, parents first: each folder on the
 * way, each symbolic link as a link and what it points to, folders' whole
 * contents when `recursive`. Relative to / (cpio's names).
 */
export function hostEntries(paths: readonly string[], recursive: readonly string[]): string[] {
  const entries = new Set<string>();
  const add = (path: string, whole: boolean): void => {
    let at = "/";
    for (const part of resolve(path).split("/").filter(Boolean)) {
      const next = join(at, part);
      if (entries.has(next) && lstatSync(next).isDirectory()) {
        at = next;
        continue;
      }
      entries.add(next);
      const st = lstatSync(next);
      if (st.isSymbolicLink()) {
        const target = resolve(at, readlinkSync(next));
        add(target, false);
        at = realpathSync(next);
      } else at = next;
    }
    if (whole && lstatSync(at).isDirectory())
      for (const child of readdirSync(at)) add(join(at, child), true);
  };
  for (const p of paths) add(p, false);
  for (const p of recursive) add(p, true);
  // a folder before what it holds: fewer components first
  return [...entries]
    .sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b))
    .map((p) => p.slice(1));
}

/** The shared libraries a dynamically linked program loads, as ldd names them. */
export function sharedLibraries(program: string): string[] {
  const r = spawnSync("ldd", [program], { encoding: "utf8" });
  if (r.status !== 0) return []; // a static program ("not a dynamic executable")
  return [...r.stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1] as string);
}

/** A program on PATH, or undefined. */
export function onPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(":")) {
    const p = join(dir, program);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * The folders of the packages `root`'s package.json needs at run time, and theirs, by Node's
 * lookup.
 */
export function runtimePackages(root: string): string[] {
  const found = new Set<string>();
  const visit = (pkgDir: string): void => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      // Node's lookup: node_modules of this folder, then of each parent
      let dir = pkgDir;
      for (;;) {
        const candidate = join(dir, "node_modules", name);
        if (existsSync(join(candidate, "package.json"))) {
          if (!found.has(candidate)) {
            found.add(candidate);
            visit(candidate);
          }
          break;
        }
        if (dirname(dir) === dir) break; // an optional dependency for another platform
        dir = dirname(dir);
      }
    }
  };
  visit(root);
  return [...found];
}

/** What the guest runs: node and ip with their libraries, busybox, the project's run-time files. */
export function guestFiles(root: string): { paths: string[]; recursive: string[] } {
  const busybox = ["/bin/busybox", "/usr/bin/busybox"].find(existsSync);
  const tools = [
    ["busybox", busybox, "busybox-static"],
    ["cpio", onPath("cpio"), "cpio"],
    ["ip", onPath("ip"), "iproute2"],
  ] as const;
  const missing = tools.filter(([, path]) => path === undefined);
  if (missing.length)
    throw new VmError(
      "ZC_VM_LAUNCH",
      `${missing.map(([n]) => n).join(", ")} not found: the VM's initramfs is packed from them`,
      `apt-get install ${missing.map(([, , pkg]) => pkg).join(" ")}`,
      [],
    );
  const node = realpathSync(process.execPath);
  const ip = onPath("ip") as string;
  return {
    paths: [
      busybox as string,
      node,
      ip,
      ...sharedLibraries(node),
      ...sharedLibraries(ip),
      join(root, "package.json"),
      join(root, "bin/zcspec.js"),
      join(root, "native/build/libzcspec.so"),
    ],
    recursive: [join(root, "dist"), join(root, "schema"), ...runtimePackages(root)],
  };
}

/** Appends a newc archive of `names` (relative to `cwd`) to `out`, every entry owned by root. */
export function appendCpio(cwd: string, names: readonly string[], out: number): void {
  const r = spawnSync("cpio", ["-o", "-H", "newc", "-R", "0:0", "--quiet"], {
    cwd,
    input: `${names.join("\n")}\n`,
    stdio: ["pipe", out, "pipe"],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0)
    throw new VmError(
      "ZC_VM_LAUNCH",
      `cpio failed packing the initramfs: ${r.stderr}`,
      "apt-get install cpio",
      [],
    );
}

/** Every entry of a staging folder, relative to it, parents first. */
export function stagedEntries(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const child of readdirSync(at).sort()) {
      const p = join(at, child);
      out.push(relative(dir, p));
      if (lstatSync(p).isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}
