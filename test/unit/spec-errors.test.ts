import { describe, expect, it } from "vitest";
import { readSpecText } from "../../src/spec/read.js";
import { formatDiagnostic } from "../../src/spec/source/frame.js";
import { specErrors } from "../helpers/spec.js";

const problems = (text: string) => specErrors(text);

const GOOD = `version: 1
name: t
defaults:
  batch: 8
  buffers: { size: 4000 }
matrix:
  mode: [send, send_zc]
`;

describe("spec validation", () => {
  it("accepts a good spec", () => {
    expect(readSpecText("t.yaml", GOOD).cases).toHaveLength(2);
  });

  it("rejects an unknown key at its line and column, with a did-you-mean", () => {
    const [d, ...rest] = problems(GOOD.replace("  batch: 8", "  batchh: 8"));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "ZC_UNKNOWN_KEY", line: 4, col: 3, length: 6 });
    expect(d?.message).toContain('"batchh"');
    expect(d?.hint).toBe('did you mean "batch"?');
  });

  it("points into flow mappings too", () => {
    const [d] = problems(GOOD.replace("{ size: 4000 }", "{ size: 4000, cuont: 2 }"));
    expect(d).toMatchObject({ code: "ZC_UNKNOWN_KEY", line: 5, col: 26 });
    expect(d?.hint).toBe('did you mean "count"?');
  });

  it("suggests the enum value a typo meant", () => {
    const [d] = problems(GOOD.replace("[send, send_zc]", "[send, sned_zc]"));
    expect(d).toMatchObject({ code: "ZC_BAD_VALUE", line: 7, col: 16 });
    expect(d?.hint).toContain('did you mean "send_zc"?');
  });

  it("reports every problem, not just the first", () => {
    const ds = problems(
      GOOD.replace("  batch: 8", "  batch: 0").replace("version: 1", "version: 2"),
    );
    expect(ds.map((d) => [d.code, d.line])).toEqual([
      ["ZC_BAD_VALUE", 1],
      ["ZC_RANGE", 4],
    ]);
  });

  it("turns YAML syntax errors into located diagnostics", () => {
    const [d] = problems("version: 1\nname: t\ndefaults: { batch: 8\n");
    expect(d?.code).toBe("ZC_YAML");
    expect(d?.line).toBeGreaterThanOrEqual(3);
  });

  it("rejects a matrix path that names no parameter", () => {
    const [d] = problems(GOOD.replace("  mode: [send, send_zc]", "  buffers.sise: [1, 2]"));
    expect(d).toMatchObject({ code: "ZC_MATRIX_PATH", line: 7, col: 3 });
    expect(d?.hint).toBe('did you mean "buffers.size"?');
  });

  it("points a semantic error at the line that set the value", () => {
    const [d] = problems(`${GOOD}  buffers.size: [600, 70000]\n`);
    expect(d).toMatchObject({ code: "ZC_PAYLOAD_SIZE", line: 8, col: 23 });
  });

  it("formats file:line:col, a code frame and the hint", () => {
    const text = GOOD.replace("  batch: 8", "  batchh: 8");
    const [d] = problems(text);
    expect(formatDiagnostic(d as NonNullable<typeof d>, text)).toBe(
      [
        't.yaml:4:3 error[ZC_UNKNOWN_KEY]: unknown key "batchh" in defaults',
        "  2 | name: t",
        "  3 | defaults:",
        "> 4 |   batchh: 8",
        "    |   ^^^^^^",
        '  hint: did you mean "batch"?',
      ].join("\n"),
    );
  });
});
