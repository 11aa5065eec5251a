/**
 * An installed zcspec has native/'s sources but no build: the first run
 * builds the library into the cache directory, later runs use that build.
 * One real compile of the library (liburing linked in), into temp
 * directories; the checkout's own build is not touched.
 */
import {
  cpSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import koffi from "koffi";
import { afterAll, expect, it } from "vitest";
import { locateNative, missingBuildPackages } from "../../src/native/locate.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const lacking = missingBuildPackages();
const blocker = lacking.length ? `the build needs ${lacking.join(" ")}` : undefined;
const temp = mkdtempSync(join(tmpdir(), "zcspec-first-use-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

it.skipIf(blocker)(
  `builds the library into the cache on first use, and uses that build afterwards${blocker ? ` (skipped: ${blocker})` : ""}`,
  () => {
    const pkg = join(temp, "node_modules/zcspec");
    cpSync(join(ROOT, "native"), join(pkg, "native"), {
      recursive: true,
      filter: (src) => !src.includes("/native/build"),
    });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "zcspec", version: "9.9.9" }));
    // the ABI version these sources define, which the build must report
    const abi = Number(
      /#define ZC_ABI_VERSION (\d+)/.exec(readFileSync(join(pkg, "native/zcspec.h"), "utf8"))?.[1],
    );
    const cache = join(temp, "cache");
    const lines: string[] = [];
    const locate = () =>
      locateNative({
        abiVersion: abi,
        packageRoot: pkg,
        cacheDir: cache,
        log: (l) => lines.push(l),
      });

    const lib = locate();
    const dir = join(cache, `9.9.9-abi${abi}`);
    expect(lib).toBe(join(dir, "libzcspec.so"));
    expect(lines).toEqual([`building the native library for first use into ${dir} ...`]);
    // no build directory left behind, and nothing built inside the package
    expect(readdirSync(dir)).toEqual(["libzcspec.so"]);
    expect(readdirSync(join(pkg, "native"))).not.toContain("build");
    const version = koffi.load(lib).func("uint32_t zc_abi_version(void)");
    expect(version()).toBe(abi);

    const built = statSync(lib).mtimeMs;
    expect(locate()).toBe(lib);
    expect(lines).toHaveLength(1);
    expect(statSync(lib).mtimeMs).toBe(built);
  },
  300_000,
);
