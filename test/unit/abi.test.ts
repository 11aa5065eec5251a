import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as abi from "../../src/native/abi.js";
import { checkAbi, EXPECTED_ABI, loadNative } from "../../src/native/library.js";
import { NATIVE_LIB, ROOT } from "../helpers/env.js";

const header = readFileSync(join(ROOT, "native/zcspec.h"), "utf8");

function headerValue(name: string): string {
  const m = new RegExp(`^#define ${name}\\s+(.+?)(\\s*/\\*.*)?$`, "m").exec(header);
  if (!m?.[1]) throw new Error(`${name} not in zcspec.h`);
  return m[1].trim();
}

function enumValue(name: string): number {
  const m = new RegExp(`\\b${name}\\s*=\\s*(\\d+)`).exec(header);
  if (!m?.[1]) throw new Error(`${name} not in zcspec.h`);
  return Number(m[1]);
}

/** "(1U << 2)" -> 4 */
function evalFlag(text: string): number {
  const m = /^\(1U << (\d+)\)$/.exec(text);
  return m ? 1 << Number(m[1]) : Number(text);
}

describe("ABI mirror", () => {
  it("matches the constants of native/zcspec.h", () => {
    expect(Number(headerValue("ZC_ABI_VERSION"))).toBe(abi.ZC_ABI_VERSION);
    expect(enumValue("ZC_MODE_SEND")).toBe(abi.ZC_MODE.send);
    expect(enumValue("ZC_MODE_SEND_ZC")).toBe(abi.ZC_MODE.send_zc);
    expect(evalFlag(headerValue("ZC_PLAN_FIXED_BUF"))).toBe(abi.ZC_PLAN_FIXED_BUF);
    expect(evalFlag(headerValue("ZC_PLAN_REG_RING_FD"))).toBe(abi.ZC_PLAN_REG_RING_FD);
    expect(evalFlag(headerValue("ZC_PLAN_FIXED_FILES"))).toBe(abi.ZC_PLAN_FIXED_FILES);
    expect(evalFlag(headerValue("ZC_RING_COOP_TASKRUN"))).toBe(abi.ZC_RING.coop_taskrun);
    expect(evalFlag(headerValue("ZC_RING_SINGLE_ISSUER"))).toBe(abi.ZC_RING.single_issuer);
    expect(evalFlag(headerValue("ZC_RING_DEFER_TASKRUN"))).toBe(abi.ZC_RING.defer_taskrun);
    expect(Number(headerValue("ZC_NETNS_PATH_MAX"))).toBe(abi.ZC_NETNS_PATH_MAX);
    expect(Number(headerValue("ZC_MESSAGE_MAX"))).toBe(abi.ZC_MESSAGE_MAX);
  });

  it("lays the structs out at the sizes the header's static asserts pin", () => {
    const pinned = (s: string) =>
      Number(new RegExp(`sizeof\\(struct ${s}\\) == (\\d+)`).exec(header)?.[1]);
    expect(EXPECTED_ABI.planSize).toBe(pinned("zc_plan"));
    expect(EXPECTED_ABI.resultSize).toBe(pinned("zc_result"));
  });

  it("accepts the library built from this checkout", () => {
    expect(loadNative(NATIVE_LIB).abi).toEqual(EXPECTED_ABI);
  });

  it("names every difference of a mismatched build", () => {
    expect(() => checkAbi("lib.so", { ...EXPECTED_ABI, version: 9, planSize: 1 })).toThrow(
      /lib\.so does not match this zcspec: ABI version 9, expected 1; struct zc_plan is 1 bytes, expected 216/,
    );
  });

  it("refuses to load a library whose structs differ, with a rebuild hint", () => {
    const dir = mkdtempSync(join(tmpdir(), "zcspec-abi-"));
    const src = join(dir, "fake.c");
    // a build from another header: same version, a field added to zc_plan
    writeFileSync(
      src,
      [
        "unsigned zc_abi_version(void) { return 1; }",
        `unsigned zc_plan_size(void) { return ${EXPECTED_ABI.planSize + 8}; }`,
        `unsigned zc_result_size(void) { return ${EXPECTED_ABI.resultSize}; }`,
      ].join("\n"),
    );
    const lib = join(dir, "libfake.so");
    execFileSync("cc", ["-shared", "-fPIC", "-o", lib, src]);
    let error: unknown;
    try {
      loadNative(lib);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: "ZC_ABI_MISMATCH",
      hint: expect.stringContaining("npm run build:native"),
    });
    expect(String((error as Error).message)).toContain(
      `struct zc_plan is ${EXPECTED_ABI.planSize + 8} bytes, expected ${EXPECTED_ABI.planSize}`,
    );
  });

  it("says how to build a missing library", () => {
    expect(() => loadNative("/nonexistent/libzcspec.so")).toThrow(/native library not found/);
  });
});
