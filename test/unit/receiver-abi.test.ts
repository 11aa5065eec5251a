import { readFileSync } from "node:fs";
import { join } from "node:path";
import koffi from "koffi";
import { describe, expect, it } from "vitest";
import { ZC_PROTO } from "../../src/native/abi.js";
import { structs } from "../../src/native/structs.js";
import { ROOT } from "../helpers/env.js";

const header = readFileSync(join(ROOT, "native/zcspec.h"), "utf8");

describe("receiver ABI mirror", () => {
  it("numbers protocols as native/zcspec.h does", () => {
    const declared = (name: string) =>
      Number(new RegExp(`\\b${name}\\s*=\\s*(\\d+)`).exec(header)?.[1]);
    for (const [p, v] of Object.entries(ZC_PROTO))
      expect(declared(`ZC_PROTO_${p.toUpperCase()}`)).toBe(v);
  });

  it("lays its structs out at the sizes the header's static asserts pin", () => {
    const pinned = (s: string) =>
      Number(new RegExp(`sizeof\\(struct ${s}\\) == (\\d+)`).exec(header)?.[1]);
    expect(koffi.sizeof(structs().RxConfigStruct)).toBe(pinned("zc_rx_config"));
    expect(koffi.sizeof(structs().RxStatsStruct)).toBe(pinned("zc_rx_stats"));
  });
});
