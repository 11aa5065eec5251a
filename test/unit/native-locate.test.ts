/**
 * Finding the native library (src/native/locate.ts) without compiling
 * anything: the cache directory's precedence, ZCSPEC_NATIVE_LIB and the
 * checkout's own build winning, and what a user is told when the build on
 * first use cannot happen or fails.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { defaultLibraryPath } from "../../src/native/library.js";
import { locateNative, missingBuildPackages, nativeCacheDir } from "../../src/native/locate.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const temps: string[] = [];
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), "zcspec-locate-"));
  temps.push(d);
  return d;
}
const PKG_CONFIG = spawnSync("sh", ["-c", "command -v pkg-config"], {
  encoding: "utf8",
}).stdout.trim();
const lacking = missingBuildPackages();
const buildBlocker = lacking.length ? `the build needs ${lacking.join(" ")}` : undefined;

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A package as npm installs it: package.json and native/'s sources, no build. */
function installedPackage(): string {
  const pkg = temp();
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "zcspec", version: "9.9.9" }));
  cpSync(join(ROOT, "native"), join(pkg, "native"), {
    recursive: true,
    filter: (src) => !src.includes("/native/build"),
  });
  return pkg;
}

/**
 * A first use of an installed package, building into a fresh cache with
 * `env` over this process's: the cache, what it logs, and the call.
 */
function buildIn(env: NodeJS.ProcessEnv) {
  const cache = join(temp(), "cache");
  const lines: string[] = [];
  const packageRoot = installedPackage();
  const locate = () =>
    locateNative({
      abiVersion: 2,
      packageRoot,
      cacheDir: cache,
      env: { ...process.env, ...env },
      log: (l) => lines.push(l),
    });
  return { cache, lines, locate };
}

describe("nativeCacheDir", () => {
  it("takes ZCSPEC_CACHE_DIR, else $XDG_CACHE_HOME/zcspec, else ~/.cache/zcspec", () => {
    const env = { HOME: "/home/u", XDG_CACHE_HOME: "/xdg", ZCSPEC_CACHE_DIR: "/own" };
    expect(nativeCacheDir(env)).toBe("/own");
    expect(nativeCacheDir({ ...env, ZCSPEC_CACHE_DIR: "" })).toBe("/xdg/zcspec");
    // the XDG spec: a relative XDG_CACHE_HOME is ignored
    expect(nativeCacheDir({ HOME: "/home/u", XDG_CACHE_HOME: "rel" })).toBe(
      "/home/u/.cache/zcspec",
    );
    expect(nativeCacheDir({ HOME: "/home/u" })).toBe("/home/u/.cache/zcspec");
  });
});

describe("locateNative", () => {
  it("returns the checkout's own build when there is one, building nothing", () => {
    const pkg = temp();
    mkdirSync(join(pkg, "native/build"), { recursive: true });
    writeFileSync(join(pkg, "native/build/libzcspec.so"), "");
    const cache = join(temp(), "cache");
    const lines: string[] = [];
    expect(
      locateNative({ abiVersion: 2, packageRoot: pkg, cacheDir: cache, log: (l) => lines.push(l) }),
    ).toBe(join(pkg, "native/build/libzcspec.so"));
    expect(lines).toEqual([]);
    expect(existsSync(cache)).toBe(false);
  });

  it.skipIf(!PKG_CONFIG)(
    `names the Debian packages the build lacks, with the apt-get line, before building${PKG_CONFIG ? "" : " (skipped: needs pkg-config)"}`,
    () => {
      // a PATH with pkg-config (so liburing is found) but no compiler and no make
      const bin = temp();
      symlinkSync(PKG_CONFIG, join(bin, "pkg-config"));
      const { cache, lines, locate } = buildIn({ PATH: bin, CC: "" });
      expect(locate).toThrow(
        expect.objectContaining({
          name: "NativeError",
          code: "ZC_NATIVE_DEPS",
          message: expect.stringMatching(/needs Debian packages this machine lacks: gcc make$/),
          hint: expect.stringContaining("apt-get install -y gcc make"),
        }),
      );
      expect(lines).toEqual([]);
      expect(existsSync(cache)).toBe(false);
    },
  );

  it.skipIf(buildBlocker)(
    `reports a failing build with the compiler's output and a hint, leaving no library${buildBlocker ? ` (skipped: ${buildBlocker})` : ""}`,
    () => {
      const bin = temp();
      const cc = join(bin, "failing-cc");
      writeFileSync(
        cc,
        '#!/bin/sh\necho "abi.c:1:1: error: this compiler always fails" >&2\nexit 1\n',
        {
          mode: 0o755,
        },
      );
      const { cache, lines, locate } = buildIn({ CC: cc });
      expect(locate).toThrow(
        expect.objectContaining({
          name: "NativeError",
          code: "ZC_NATIVE_BUILD",
          message: expect.stringContaining("abi.c:1:1: error: this compiler always fails"),
          hint: expect.stringContaining("ZCSPEC_NATIVE_LIB"),
        }),
      );
      // asked again in the same process, it says the same without building again
      expect(locate).toThrow(expect.objectContaining({ code: "ZC_NATIVE_BUILD" }));
      const dir = join(cache, "9.9.9-abi2");
      expect(lines).toEqual([`building the native library for first use into ${dir} ...`]);
      // neither a library nor a half-built directory is left for the next run to trust
      expect(readdirSync(dir)).toEqual([]);
    },
  );
});

describe("defaultLibraryPath", () => {
  it("is ZCSPEC_NATIVE_LIB when set, whatever else is there, and builds nothing", () => {
    const cache = join(temp(), "cache");
    const saved = { lib: process.env.ZCSPEC_NATIVE_LIB, cache: process.env.ZCSPEC_CACHE_DIR };
    process.env.ZCSPEC_NATIVE_LIB = "/elsewhere/libzcspec.so";
    process.env.ZCSPEC_CACHE_DIR = cache;
    try {
      expect(defaultLibraryPath()).toBe("/elsewhere/libzcspec.so");
    } finally {
      for (const [k, v] of [
        ["ZCSPEC_NATIVE_LIB", saved.lib],
        ["ZCSPEC_CACHE_DIR", saved.cache],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(existsSync(cache)).toBe(false);
  });
});
