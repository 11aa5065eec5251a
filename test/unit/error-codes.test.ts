import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, ERROR_GROUPS } from "../../src/model/errors.js";

const codes = Object.keys(ERROR_CODES);
const readme = readFileSync("README.md", "utf8");

describe("error codes", () => {
  it("each have a group and a meaning", () => {
    expect(codes.length).toBeGreaterThanOrEqual(40);
    for (const [group, what] of Object.values(ERROR_CODES)) {
      expect(ERROR_GROUPS[group]).toBeDefined();
      expect(what.length).toBeGreaterThan(5);
    }
  });

  it("shown in README's examples are codes of the table", () => {
    const shown = [...readme.matchAll(/(?:error|warning)\[(ZC_[A-Z_]+)\]/g)].map(
      (m) => m[1] as string,
    );
    expect(shown.filter((c) => !codes.includes(c))).toEqual([]);
  });
});
