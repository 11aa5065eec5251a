/**
 * bin/setup.mjs as a user meets it, run on a small project of its own in a
 * temp directory (the real script, copied; a one-file Makefile and build
 * script in place of the real ones, a one-package lockfile): what it
 * installs, what it builds, what it leaves alone, and what it tells an
 * ordinary user who lacks a Debian package.
 */
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import {
  accessSync,
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The tools setup looks for, each with the Debian package it names when one is missing. */
const TOOLS = ["pkg-config", "cc", "make", "ip", "sysctl", "setpriv", "unshare"];

function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why these tests cannot run here: they need every package setup checks, or it would install them. */
function packagesBlocker(): string | undefined {
  const absent = TOOLS.filter((t) => !which(t));
  if (absent.length) return `tools setup checks for are not installed: ${absent.join(", ")}`;
  const pc = spawnSync("pkg-config", ["--variable=libdir", "liburing"], { encoding: "utf8" });
  if (pc.status !== 0 || !existsSync(join(pc.stdout.trim(), "liburing.a")))
    return "liburing-dev (liburing.a) is not installed";
  return undefined;
}

const blocker = packagesBlocker();
const rootBlocker = process.getuid?.() !== 0 ? "needs root" : undefined;
const SETPRIV = which("setpriv");

/** The environment without the npm run that may have started vitest (its npm_config_* would steer npm). */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  return { ...env, ...extra };
}

let fx: string;
const path = (p: string) => join(fx, p);
const mtime = (p: string) => statSync(path(p)).mtimeMs;

function npm(args: string[], cwd: string) {
  const r = spawnSync("npm", [...args, "--prefer-offline", "--no-audit", "--no-fund"], {
    cwd,
    env: cleanEnv(),
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`npm ${args.join(" ")} failed: ${r.stderr}`);
}

/** A package `dep` at this version, packed next to the fixture, and locked in its package-lock.json. */
function lockDep(version: string) {
  writeFileSync(path("dep/package.json"), JSON.stringify({ name: "dep", version }));
  npm(["pack", "--pack-destination", fx], path("dep"));
  npm(["install", "--package-lock-only", `./dep-${version}.tgz`], fx);
}

function setup(
  args: string[] = [],
  o: { env?: NodeJS.ProcessEnv; asNobody?: boolean } = {},
): SpawnSyncReturns<string> & { out: string } {
  const argv = [process.execPath, path("bin/setup.mjs"), ...args];
  const prefix = o.asNobody
    ? [SETPRIV as string, "--reuid=nobody", "--regid=nogroup", "--clear-groups"]
    : [];
  const [file, ...rest] = [...prefix, ...argv] as [string, ...string[]];
  const r = spawnSync(file, rest, { cwd: fx, env: cleanEnv(o.env), encoding: "utf8" });
  return { ...r, out: `${r.stdout}${r.stderr}` };
}

const pathDirs: string[] = [];

/** A PATH of one directory holding every tool setup checks for but `without`. */
function pathWithout(without: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "zcspec-path-"));
  pathDirs.push(dir);
  chmodSync(dir, 0o755);
  for (const t of TOOLS) if (!without.includes(t)) symlinkSync(which(t) as string, join(dir, t));
  return dir;
}

beforeAll(() => {
  if (blocker) return;
  fx = mkdtempSync(join(tmpdir(), "zcspec-setup-"));
  chmodSync(fx, 0o755);
  for (const d of ["bin", "native", "src", "dep"]) mkdirSync(path(d));
  copyFileSync(join(ROOT, "bin/setup.mjs"), path("bin/setup.mjs"));
  writeFileSync(
    path("package.json"),
    JSON.stringify({
      name: "fixture",
      version: "1.0.0",
      private: true,
      main: "dist/index.js",
      scripts: { build: "node build.mjs" },
    }),
  );
  writeFileSync(
    path("build.mjs"),
    'import { mkdirSync, copyFileSync } from "node:fs";\n' +
      'mkdirSync("dist", { recursive: true });\n' +
      'copyFileSync("src/index.ts", "dist/index.js");\n',
  );
  writeFileSync(path("src/index.ts"), "export const a = 1;\n");
  writeFileSync(path("tsconfig.json"), "{}\n");
  writeFileSync(path("native/lib.c"), "int zc(void) { return 1; }\n");
  writeFileSync(
    path("native/Makefile"),
    "BUILD := build\n" +
      "all: $(BUILD)/libzcspec.so\n" +
      "asan: $(BUILD)/asan/libzcspec.so\n" +
      "$(BUILD)/libzcspec.so $(BUILD)/asan/libzcspec.so: lib.c\n" +
      "\tmkdir -p $(@D) && cp lib.c $@\n" +
      ".PHONY: all asan\n",
  );
  lockDep("1.0.0");
}, 60_000);

afterAll(() => {
  for (const d of [fx, ...pathDirs]) if (d) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(blocker)(`bin/setup.mjs${blocker ? ` (skipped: ${blocker})` : ""}`, () => {
  it("installs node modules and builds the native libraries and dist/ on the first run", () => {
    const r = setup(["--asan"]);
    expect(r.status, r.out).toBe(0);
    expect(r.stdout).toContain("setup: installing node modules: npm ci (node_modules is missing)");
    expect(r.stdout).toContain(
      "setup: building native/build/libzcspec.so: make -C native all (not built yet)",
    );
    expect(r.stdout).toContain(
      "setup: building native/build/asan/libzcspec.so: make -C native asan (not built yet)",
    );
    expect(r.stdout).toContain("setup: building dist/: npm run build (dist/index.js is missing)");
    expect(readFileSync(path("node_modules/dep/package.json"), "utf8")).toContain("1.0.0");
    expect(existsSync(path("native/build/libzcspec.so"))).toBe(true);
    expect(existsSync(path("native/build/asan/libzcspec.so"))).toBe(true);
    expect(readFileSync(path("dist/index.js"), "utf8")).toBe("export const a = 1;\n");
  }, 60_000);

  it("does nothing when everything is up to date, and says so", () => {
    const before = ["native/build/libzcspec.so", "dist/index.js"].map(mtime);
    const r = setup(["--asan"]);
    expect(r.status, r.out).toBe(0);
    expect(r.stdout).toBe(
      "setup: up to date: Debian packages, node_modules, native/build/libzcspec.so, native/build/asan/libzcspec.so, dist/\n",
    );
    expect(["native/build/libzcspec.so", "dist/index.js"].map(mtime)).toEqual(before);
  });

  it("rebuilds only what a changed file feeds", () => {
    writeFileSync(path("native/lib.c"), "int zc(void) { return 2; }\n");
    let r = setup();
    expect(r.status, r.out).toBe(0);
    expect(r.stdout).toContain(
      "setup: building native/build/libzcspec.so: make -C native all (native/lib.c changed)",
    );
    expect(r.stdout).not.toMatch(/npm ci|building dist/);
    expect(readFileSync(path("native/build/libzcspec.so"), "utf8")).toContain("return 2");

    writeFileSync(path("src/index.ts"), "export const a = 2;\n");
    r = setup();
    expect(r.status, r.out).toBe(0);
    expect(r.stdout).toContain(
      "setup: building dist/: npm run build (src/ changed since its last build)",
    );
    expect(r.stdout).not.toMatch(/npm ci|building native/);
    expect(readFileSync(path("dist/index.js"), "utf8")).toBe("export const a = 2;\n");
  }, 60_000);

  it("runs npm ci when package-lock.json locks other packages than node_modules holds", () => {
    lockDep("1.0.1");
    const r = setup();
    expect(r.status, r.out).toBe(0);
    expect(r.stdout).toContain(
      "setup: installing node modules: npm ci (dep 1.0.0 is installed, package-lock.json has 1.0.1)",
    );
    expect(JSON.parse(readFileSync(path("node_modules/dep/package.json"), "utf8")).version).toBe(
      "1.0.1",
    );
    // npm ci emptied node_modules, and with it the record of dist/'s last build
    expect(setup().stdout).toMatch(/^setup: up to date: .*node_modules/m);
  }, 60_000);

  const noSbin = existsSync("/usr/sbin/sysctl") ? undefined : "no /usr/sbin/sysctl here";
  it.skipIf(noSbin)(
    `tells a user that a tool is installed but off PATH${noSbin ? ` (skipped: ${noSbin})` : ""}`,
    () => {
      const r = setup([], { env: { PATH: pathWithout(["sysctl"]) } });
      expect(r.status, r.out).toBe(3);
      expect(r.stderr).toContain("setup: sysctl is in /usr/sbin, which is not on PATH");
      expect(r.stderr).toContain('hint: add it to PATH: export PATH="$PATH:/usr/sbin"');
    },
  );

  describe.skipIf(rootBlocker)(
    `as the nobody user${rootBlocker ? ` (skipped: ${rootBlocker} to switch users)` : ""}`,
    () => {
      beforeAll(() => {
        // settled by root first, then readable by anyone
        expect(setup().status).toBe(0);
        spawnSync("chmod", ["-R", "a+rX", fx]);
      }, 60_000);

      it("prints the exact apt-get line for missing packages and exits 3, changing nothing", () => {
        const before = mtime("dist/index.js");
        const r = setup([], {
          asNobody: true,
          env: { PATH: pathWithout(["pkg-config", "make"]), HOME: "/nonexistent" },
        });
        expect(r.status, r.out).toBe(3);
        expect(r.stderr).toBe(
          "setup: missing Debian packages: pkg-config make; install them as root, then run this again:\n" +
            "sudo apt-get install -y pkg-config make\n",
        );
        expect(r.stdout).toBe("");
        expect(mtime("dist/index.js")).toBe(before);
      });

      it("exits 0 and builds nothing when everything is there", () => {
        const r = setup([], { asNobody: true, env: { HOME: "/nonexistent" } });
        expect(r.status, r.out).toBe(0);
        expect(r.stdout).toBe(
          "setup: up to date: Debian packages, node_modules, native/build/libzcspec.so, dist/\n",
        );
      });
    },
  );

  it.skipIf(rootBlocker)(
    `as root, installs a missing package with apt-get update and install, then goes on${rootBlocker ? ` (skipped: ${rootBlocker})` : ""}`,
    () => {
      // a PATH without make, and an apt-get that "installs" make into it and logs its arguments
      const bin = pathWithout(["make"]);
      const log = join(bin, "apt.log");
      writeFileSync(
        join(bin, "apt-get"),
        `#!/bin/sh\necho "$*" >> ${log}\ncase "$*" in *install*) /bin/ln -s ${which("make")} ${bin}/make;; esac\n`,
        { mode: 0o755 },
      );
      const r = setup([], { env: { PATH: bin } });
      expect(r.status, r.out).toBe(0);
      expect(r.stdout).toContain("setup: installing Debian packages with apt-get: make\n");
      expect(readFileSync(log, "utf8")).toBe(
        "-q update\n-q install -y --no-install-recommends make\n",
      );
      expect(r.stdout).toMatch(/^setup: up to date: Debian packages, /m);
    },
  );

  it("documents every option in --help and refuses an unknown one with exit 2", () => {
    const help = setup(["--help"]);
    expect(help.status).toBe(0);
    for (const opt of ["--asan", "--help"]) expect(help.stdout).toContain(opt);
    const bad = setup(["--fast"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("Unknown option '--fast'");
  });
});
