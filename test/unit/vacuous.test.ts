import { describe, expect, it } from "vitest";
import { strictGates } from "../../src/spec/cel/vacuous.js";
import { readSpecText } from "../../src/spec/read.js";
import { EXPECT_HEAD, specDiagnostics } from "../helpers/spec.js";

const HEAD = EXPECT_HEAD;

describe("gates that cannot fail", () => {
  it("warn when a where matches no case, at the where, with a did-you-mean", () => {
    const spec = readSpecText(
      "t.yaml",
      `${HEAD}  - where: case.mode == "sendzc"\n    that: result.errors == 0\n`,
    );
    expect(spec.warnings).toEqual([
      expect.objectContaining({
        code: "ZC_WHERE_MATCHES_NONE",
        severity: "warning",
        line: 7,
        col: 12,
        hint: '"sendzc" is no value of any case: did you mean "send_zc"?',
      }),
    ]);
    expect(strictGates(spec.warnings)[0]?.severity).toBe("error");
  });

  it("leave a where alone that matches a case, or reads results, or a size no case has", () => {
    const spec = readSpecText(
      "t.yaml",
      `${HEAD}  - where: case.mode == "send_zc" && case.buffers.size == 600\n    that: result.errors == 0\n` +
        "  - where: result.rps > 1.0\n    that: result.errors == 0\n" +
        '  - where: has(case.kernel) && case.kernel.accelerator == "tcg"\n    that: result.errors == 0\n' +
        "  - where: has_baseline(case)\n    that: result.errors == 0\n",
    );
    expect(spec.warnings).toEqual([]);
    const none = readSpecText(
      "t.yaml",
      `${HEAD}  - where: case.buffers.size > 9000\n    that: result.errors == 0\n`,
    );
    expect(none.warnings.map((w) => [w.code, w.hint])).toEqual([
      [
        "ZC_WHERE_MATCHES_NONE",
        "cases: send/size=600, send/size=4000, send_zc/size=600, send_zc/size=4000",
      ],
    ]);
  });

  it("refuse a peer() value no case has, at the value, in both forms", () => {
    const { list } = specDiagnostics(
      `${HEAD}  - that: result.rps > peer(case, "mode", "sned").rps\n` +
        `  - that: 'result.rps > peer(case, {"buffers.size": 601}).rps'\n` +
        `  - that: 'result.rps > peer(case, {"mdoe": "send"}).rps'\n`,
    );
    expect(list.map((d) => [d.code, d.line, d.col, d.hint])).toEqual([
      ["ZC_PEER_NO_CASE", 7, 43, 'did you mean "send"? (mode: "send", "send_zc")'],
      ["ZC_PEER_NO_CASE", 8, 53, "buffers.size in this spec: 600, 4000"],
      ["ZC_PEER_NO_CASE", 9, 37, 'did you mean "mode"?'],
    ]);
    expect(list[0]?.message).toBe('peer(): no case of this spec has mode = "sned"');
  });

  it("accept a peer() every value of which some case has", () => {
    const spec = readSpecText(
      "t.yaml",
      `${HEAD}  - where: case.mode == "send_zc"\n    that: 'result.rps > peer(case, {"mode": "send", "buffers.size": 4000}).rps'\n`,
    );
    expect(spec.warnings).toEqual([]);
    expect(spec.expectations).toHaveLength(1);
  });
});
