import { describe, expect, it } from "vitest";
import { compileCase } from "../../src/plan/compile.js";
import { readSpecText } from "../../src/spec/read.js";
import { specDiagnostics } from "../helpers/spec.js";

const HEAD = "version: 1\nname: t\n";

function only(text: string) {
  const [c] = readSpecText("t.yaml", `${HEAD}${text}`).cases;
  if (!c) throw new Error("no case");
  return c;
}

describe("latency: which requests the sender times", () => {
  it("defaults to one request in 64, and hands the executor 1 for full and 0 for off", () => {
    expect(only("defaults: {}\n").latency).toEqual({ record: "sampled", every: 64 });
    expect(compileCase(only("defaults: {}\n")).latencyEvery).toBe(64);
    expect(only("defaults: { latency: { record: sampled, every: 8 } }\n").latency.every).toBe(8);
    // `every` is the sampled rate only: full and off ignore a written one
    expect(
      compileCase(only("defaults: { latency: { record: full, every: 8 } }\n")).latencyEvery,
    ).toBe(1);
    expect(compileCase(only("defaults: { latency: { record: off } }\n")).latencyEvery).toBe(0);
  });

  it("is a matrix dimension like any key", () => {
    const cases = readSpecText(
      "t.yaml",
      `${HEAD}matrix: { latency.record: [full, sampled, off] }\n`,
    ).cases;
    expect(cases.map((c) => [c.name, c.latency.every])).toEqual([
      ["record=full", 1],
      ["record=sampled", 64],
      ["record=off", 0],
    ]);
  });

  it("refuses a rate below 2 and a record it does not know, located", () => {
    const { list } = specDiagnostics(`${HEAD}defaults: { latency: { record: some, every: 1 } }\n`);
    expect(list.map((d) => [d.code, d.line])).toEqual([
      ["ZC_BAD_VALUE", 3],
      ["ZC_RANGE", 3],
    ]);
  });
});

describe("ZC_LATENCY_OFF: an expectation that reads latency a case does not record", () => {
  const spec = (
    where: string,
    that = "result.latency.notif.p99 < 1e9",
  ) => `${HEAD}defaults: { latency: { record: off } }
matrix:
  mode: [send, send_zc]
expect:
  - name: tail
${where}    that: ${that}
`;

  it("is an error at result.latency, with the cases and the way out", () => {
    const { list } = specDiagnostics(spec(""));
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      code: "ZC_LATENCY_OFF",
      severity: "error",
      line: 8,
      col: 11,
      length: "result.latency".length,
    });
    expect(list[0]?.message).toMatch(/cases send, send_zc time no request/);
    expect(list[0]?.hint).toMatch(/record: sampled.*where: case\.latency\.record != "off"/);
  });

  it("names only the cases its where keeps, and reads a where that reads latency", () => {
    const { list } = specDiagnostics(spec('    where: case.mode == "send_zc"\n'));
    expect(list[0]?.message).toMatch(/case send_zc times no request/);
    const guarded = specDiagnostics(
      spec("    where: has(result.latency.notif)\n", "result.errors == 0"),
    );
    expect(guarded.list.map((d) => [d.code, d.line])).toEqual([["ZC_LATENCY_OFF", 8]]);
  });

  it("lets through expectations on other figures, and cases that record", () => {
    expect(() => readSpecText("t.yaml", spec("", "result.errors == 0"))).not.toThrow();
    const mixed = `${HEAD}matrix:
  latency.record: [full, off]
expect:
  - name: tail
    where: case.latency.record != "off"
    that: result.latency.completion.p99 < 1e9
`;
    expect(readSpecText("t.yaml", mixed).cases).toHaveLength(2);
  });
});
