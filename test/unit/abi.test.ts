import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as abi from "../../src/native/abi.js";
import { checkAbi, expectedAbi, loadNative } from "../../src/native/library.js";
import { NATIVE_LIB, ROOT } from "../helpers/env.js";
import { tempDir } from "../helpers/temp.js";

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
    const enums: [string, Record<string, number>][] = [
      ["ZC_MODE_", abi.ZC_MODE],
      ["ZC_REUSE_", { ...abi.ZC_REUSE, after_notif: abi.ZC_REUSE.after_notification }],
      ["ZC_PATTERN_", abi.ZC_PATTERN],
      ["ZC_CORK_", { none: 0, udp: abi.ZC_CORK.udp_cork, msg_more: abi.ZC_CORK.msg_more }],
      ["ZC_PHASE_", abi.ZC_PHASE],
      ["ZC_FEAT_", abi.ZC_FEAT],
      ["ZC_KIND_", abi.ZC_KIND],
      ["ZC_MIX_", abi.ZC_MIX_ORDER],
      ["ZC_FLOW_", abi.ZC_FLOW_ORDER],
      ["ZC_VERIFY_", abi.ZC_VERIFY],
      ["ZC_CPU_", abi.ZC_CPU],
      ["ZC_TS_VIA_", abi.ZC_TS_VIA],
    ];
    for (const [prefix, values] of enums) {
      for (const [name, value] of Object.entries(values)) {
        if (prefix === "ZC_REUSE_" && name === "after_notification") continue;
        expect(enumValue(prefix + name.toUpperCase()), prefix + name).toBe(value);
      }
    }
    // every enumerator of the header has its mirror (none forgotten on either side)
    for (const [prefix, values] of enums) {
      const inHeader = header.match(new RegExp(`\\b${prefix}[A-Z_]+\\s*=`, "g")) ?? [];
      const extra = prefix === "ZC_FEAT_" || prefix === "ZC_CPU_" ? 1 : 0; // ZC_FEAT_COUNT, ZC_CPU_STATES
      expect(inHeader.length, prefix).toBe(
        Object.keys(values).length - (prefix === "ZC_REUSE_" ? 1 : 0) + extra,
      );
    }
    expect(enumValue("ZC_FEAT_COUNT")).toBe(abi.ZC_FEAT_COUNT);
    expect(enumValue("ZC_CPU_STATES")).toBe(abi.ZC_CPU_STATES);
    const flags = Object.entries(abi).filter(([k]) => k.startsWith("ZC_PLAN_"));
    expect(flags.length).toBe(15);
    for (const [name, value] of flags) expect(evalFlag(headerValue(name)), name).toBe(value);
    for (const [name, value] of Object.entries(abi.ZC_RING)) {
      expect(evalFlag(headerValue(`ZC_RING_${name.toUpperCase()}`)), name).toBe(value);
    }
    const sizes: [string, number][] = [
      ["ZC_NETNS_PATH_MAX", abi.ZC_NETNS_PATH_MAX],
      ["ZC_FLOWS_MAX", abi.ZC_FLOWS_MAX],
      ["ZC_DEVICE_MAX", abi.ZC_DEVICE_MAX],
      ["ZC_MESSAGE_MAX", abi.ZC_MESSAGE_MAX],
      ["ZC_MAX_THREADS", abi.ZC_MAX_THREADS],
      ["ZC_ERRNO_SLOTS", abi.ZC_ERRNO_SLOTS],
      ["ZC_PROBE_OPS", abi.ZC_PROBE_OPS],
      ["ZC_MIX_WEIGHT_MAX", abi.ZC_MIX_WEIGHT_MAX],
      ["ZC_RX_SAMPLE_MAX", abi.ZC_RX_SAMPLE_MAX],
      ["ZC_MACHINE_CPUS", abi.ZC_MACHINE_CPUS],
      ["ZC_CPU_SET_BYTES", abi.ZC_CPU_SET_BYTES],
    ];
    for (const [name, value] of sizes) expect(Number(headerValue(name)), name).toBe(value);
  });

  it("lays the structs out at the sizes the header's static asserts pin", () => {
    const pinned = (s: string) =>
      Number(new RegExp(`sizeof\\(struct ${s}\\) == (\\d+)`).exec(header)?.[1]);
    expect(expectedAbi().planSize).toBe(pinned("zc_plan"));
    expect(expectedAbi().resultSize).toBe(pinned("zc_result"));
    expect(expectedAbi().probeSize).toBe(pinned("zc_probe"));
    // zc_control is pinned as 8 + 32 * ZC_MAX_THREADS
    expect(expectedAbi().controlSize).toBe(8 + 32 * abi.ZC_MAX_THREADS);
  });

  it("accepts the library built from this checkout", () => {
    expect(loadNative(NATIVE_LIB).abi).toEqual(expectedAbi());
  });

  it("names every difference of a mismatched build", () => {
    expect(() => checkAbi("lib.so", { ...expectedAbi(), version: 9, planSize: 1 })).toThrow(
      /lib\.so does not match this zcspec: ABI version 9, expected 7; struct zc_plan is 1 bytes, expected 984/,
    );
  });

  it("refuses to load a library whose structs differ, with a rebuild hint", () => {
    const dir = tempDir("abi");
    const src = join(dir, "fake.c");
    // a build from another header: same version, a field added to zc_plan
    writeFileSync(
      src,
      [
        `unsigned zc_abi_version(void) { return ${expectedAbi().version}; }`,
        `unsigned zc_plan_size(void) { return ${expectedAbi().planSize + 8}; }`,
        `unsigned zc_result_size(void) { return ${expectedAbi().resultSize}; }`,
        `unsigned zc_control_size(void) { return ${expectedAbi().controlSize}; }`,
        `unsigned zc_probe_size(void) { return ${expectedAbi().probeSize}; }`,
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
      `struct zc_plan is ${expectedAbi().planSize + 8} bytes, expected ${expectedAbi().planSize}`,
    );
  });

  it("says how to build a missing library", () => {
    expect(() => loadNative("/nonexistent/libzcspec.so")).toThrow(/native library not found/);
  });
});

describe("runCase", () => {
  it("rejects (does not throw) when koffi cannot marshal the plan", async () => {
    const lib = loadNative(NATIVE_LIB);
    const bad = "not a plan" as unknown as Parameters<typeof lib.runCase>[0];
    let promise: Promise<unknown> | undefined;
    expect(() => {
      promise = lib.runCase(bad);
    }).not.toThrow();
    await expect(promise).rejects.toThrow();
  });

  it("returns the executor's plan check as a status and message, not an exception", async () => {
    const lib = loadNative(NATIVE_LIB);
    const { toNativePlan } = await import("../../src/native/marshal.js");
    const { planFor, LOOPBACK4 } = await import("../helpers/native.js");
    const plan = { ...toNativePlan(planFor("{}"), LOOPBACK4), abi_version: 1 };
    const raw = await lib.runCase(plan);
    expect(raw.status).toBe(-22);
    expect(raw.message).toBe("plan ABI 1, library ABI 7");
  });
});
