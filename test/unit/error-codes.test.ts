import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** The members of ErrorCode, read from its source: one `| "ZC_..."` line each. */
const codes = [
  ...readFileSync("src/model/errors.ts", "utf8").matchAll(/^\s*\| "(ZC_[A-Z_]+)"/gm),
].map((m) => m[1] as string);
const readme = readFileSync("README.md", "utf8");

describe("error codes", () => {
  it("are each listed once in the ErrorCode union", () => {
    expect(codes.length).toBeGreaterThanOrEqual(40);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("are each named in README", () => {
    expect(codes.filter((c) => !readme.includes(`\`${c}\``))).toEqual([]);
  });

  it("shown in README's examples are codes of the union", () => {
    const shown = [...readme.matchAll(/error\[(ZC_[A-Z_]+)\]/g)].map((m) => m[1] as string);
    expect(shown.filter((c) => !codes.includes(c))).toEqual([]);
  });
});
