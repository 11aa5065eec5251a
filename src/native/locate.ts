/**
 * Where the native library is. A checkout builds it into native/build/
 * (npm test, npm run reproduce); an installed package ships native/'s
 * sources but no build, so the library is built there on first use, into a
 * cache directory of the user's, once per zcspec version and ABI version.
 */
import { spawnSync } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from "node:fs";
import { homedir } from "node:os";
import { delimiter, isAbsolute, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NativeError } from "../model/errors.js";

/** Environment variable naming the cache directory of built libraries. */
export const CACHE_DIR_ENV = "ZCSPEC_CACHE_DIR";

const LIB = "libzcspec.so";
const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** ZCSPEC_CACHE_DIR, else $XDG_CACHE_HOME/zcspec, else ~/.cache/zcspec. */
export function nativeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const own = env[CACHE_DIR_ENV];
  if (own) return own;
  // the XDG spec says a relative XDG_CACHE_HOME is to be ignored
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, "zcspec");
  return join(env.HOME || homedir(), ".cache", "zcspec");
}

export interface LocateOptions {
  /** ZC_ABI_VERSION of the binding that will load the library */
  abiVersion: number;
  /** the directory holding package.json and native/ (default: this zcspec's) */
  packageRoot?: string;
  /** default: nativeCacheDir(env) */
  cacheDir?: string;
  /** PATH, CC, HOME... for the checks and the build (default: process.env) */
  env?: NodeJS.ProcessEnv;
  /** where the one "building ..." line goes (default: stderr) */
  log?: (line: string) => void;
}

/**
 * The library to load: the checkout's native/build/libzcspec.so if there is
 * one, else the cache's, built there with `make -C <package>/native
 * BUILD=<dir>` if it is not yet. Throws NativeError when it cannot be built.
 */
export function locateNative(o: LocateOptions): string {
  const root = o.packageRoot ?? PACKAGE_ROOT;
  const inTree = join(root, "native", "build", LIB);
  if (existsSync(inTree)) return inTree;
  const env = o.env ?? process.env;
  const dir = join(o.cacheDir ?? nativeCacheDir(env), `${packageVersion(root)}-abi${o.abiVersion}`);
  const lib = join(dir, LIB);
  if (existsSync(lib)) return lib;
  // a build that failed fails the same way again in this process: say so without rebuilding
  const earlier = failures.get(dir);
  if (earlier) throw earlier;
  try {
    buildInto(root, dir, env, o.log ?? ((line) => process.stderr.write(`${line}\n`)));
  } catch (e) {
    if (e instanceof NativeError) failures.set(dir, e);
    throw e;
  }
  return lib;
}

const failures = new Map<string, NativeError>();

function packageVersion(root: string): string {
  try {
    return String(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version);
  } catch (e) {
    throw new NativeError(
      "ZC_NATIVE_MISSING",
      `cannot read zcspec's package.json in ${root}: ${(e as Error).message}`,
      "reinstall zcspec",
    );
  }
}

function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  if (name.includes("/")) return existsSync(name);
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not in this one
    }
  }
  return false;
}

/** The Debian packages the build needs and this machine lacks (the Makefile's own needs). */
export function missingBuildPackages(env: NodeJS.ProcessEnv = process.env): string[] {
  const compiler = (env.CC ?? "").trim().split(/\s+/)[0] || "cc";
  const missing: string[] = [];
  const pkgConfig = onPath("pkg-config", env);
  let liburing: boolean;
  if (pkgConfig) {
    const r = spawnSync("pkg-config", ["--variable=libdir", "liburing"], { env, encoding: "utf8" });
    liburing = r.status === 0 && existsSync(join(r.stdout.trim(), "liburing.a"));
  } else {
    // without pkg-config there is no asking; the header is the package's
    liburing = existsSync("/usr/include/liburing.h");
  }
  if (!liburing) missing.push("liburing-dev");
  if (!pkgConfig) missing.push("pkg-config");
  if (!onPath(compiler, env))
    missing.push(compiler === "cc" || compiler === "gcc" ? "gcc" : compiler);
  if (!onPath("make", env)) missing.push("make");
  return missing;
}

function aptHint(packages: readonly string[]): string {
  const sudo = process.getuid?.() === 0 ? "" : "sudo ";
  return (
    `install them: ${sudo}apt-get install -y ${packages.join(" ")} (or point ` +
    "ZCSPEC_NATIVE_LIB at a libzcspec.so built elsewhere)"
  );
}

function buildInto(root: string, dir: string, env: NodeJS.ProcessEnv, log: (l: string) => void) {
  const missing = missingBuildPackages(env);
  if (missing.length) {
    throw new NativeError(
      "ZC_NATIVE_DEPS",
      "the native library is not built yet, and building it needs Debian packages this machine " +
        `lacks: ${missing.join(" ")}`,
      aptHint(missing),
    );
  }
  let tmp: string;
  try {
    mkdirSync(dir, { recursive: true });
    // a directory of this process's own: concurrent first runs do not collide
    tmp = mkdtempSync(join(dir, "build-"));
  } catch (e) {
    throw new NativeError(
      "ZC_NATIVE_CACHE",
      `cannot create the native library's cache directory ${dir}: ${(e as Error).message}`,
      `set ${CACHE_DIR_ENV} to a directory you can write`,
    );
  }
  log(`building the native library for first use into ${dir} ...`);
  const native = join(root, "native");
  try {
    const r = spawnSync("make", ["-C", native, `BUILD=${tmp}`], {
      env,
      encoding: "utf8",
      maxBuffer: 16 << 20,
    });
    if (r.error || r.status !== 0) {
      const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim() || String(r.error?.message);
      throw new NativeError(
        "ZC_NATIVE_BUILD",
        `building the native library failed (make -C ${native} BUILD=${tmp} ` +
          `${r.error ? "could not run" : `exited ${r.status ?? r.signal}`}):\n${output}`,
        "the compiler's output above says why; the build needs gcc, make, pkg-config and " +
          "liburing-dev 2.3 or later (Debian 12's). " +
          "Or build it yourself and point ZCSPEC_NATIVE_LIB at it",
      );
    }
    // atomic: a concurrent run sees either no library or a whole one
    renameSync(join(tmp, LIB), join(dir, LIB));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
