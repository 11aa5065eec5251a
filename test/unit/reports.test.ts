import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../src/model/results.js";
import { painter, wantsColour } from "../../src/report/colour.js";
import { csvFormat } from "../../src/report/csv.js";
import { jsonFormat, readResults, validateResults } from "../../src/report/json.js";
import { junitFormat } from "../../src/report/junit.js";
import { markdownFormat } from "../../src/report/markdown.js";
import { svgFormat } from "../../src/report/svg.js";
import { readSpecText } from "../../src/spec/read.js";
import { caseResult, figures, matrixCases, sampleSuite } from "../helpers/results.js";

const GOLDEN = new URL("../fixtures/golden/report.md", import.meta.url);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });
const asList = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

describe("markdown", () => {
  it("matches the golden file", () => {
    const text = markdownFormat.render(sampleSuite());
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, "utf8"));
  });
});

describe("junit", () => {
  it("is valid XML with a testcase per case, failures, skip reasons and counts", () => {
    const xml = junitFormat.render(sampleSuite());
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parser.parse(xml);
    expect(doc.testsuites).toMatchObject({ tests: "4", failures: "1", errors: "0", skipped: "1" });
    const suite = doc.testsuites.testsuite;
    expect(suite).toMatchObject({
      name: "t",
      tests: "4",
      failures: "1",
      skipped: "1",
      file: "t.yaml",
    });
    const cases = asList(suite.testcase);
    expect(cases.map((c: { name: string }) => c.name)).toEqual([
      "send/size=600",
      "send/size=4000",
      "send_zc/size=600",
      "send_zc/size=4000",
    ]);
    const failed = cases[2];
    expect(failed.failure.type).toBe("expect");
    expect(failed.failure.message).toBe(
      't.yaml:9:11 expectation "zc beats copy" failed: result.rps > peer(case, "mode", "send").rps is false: result.rps = 450000, peer(case, "mode", "send").rps = 600000',
    );
    expect(cases[3].skipped.message).toBe('not supported: <& "x">');
    expect(cases[0].failure).toBeUndefined();
    expect(cases[0]["system-out"]).toContain("requests/s 600000");
  });

  it("marks a partial run and counts errors", () => {
    const suite = sampleSuite();
    const run = suite.runs[0];
    if (!run) throw new Error("no run");
    Object.assign(run, { partial: true, stoppedBy: "interrupted by SIGINT" });
    Object.assign(run.results[0] ?? {}, { status: "error", reason: "send failed (-105)" });
    const doc = parser.parse(junitFormat.render(suite));
    expect(doc.testsuites.errors).toBe("1");
    const props = asList(doc.testsuites.testsuite.properties.property);
    expect(props).toContainEqual({ name: "partial", value: "true" });
    expect(asList(doc.testsuites.testsuite.testcase)[0].error.message).toBe("send failed (-105)");
  });
});

describe("svg", () => {
  it("is a well-formed standalone SVG with one series per mode", () => {
    const svg = svgFormat.render(sampleSuite());
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parser.parse(svg);
    expect(doc.svg.xmlns).toBe("http://www.w3.org/2000/svg");
    const series = asList(doc.svg.g).filter((g: { class: string }) => g.class === "series");
    expect(series.map((g: { "data-series": string }) => g["data-series"])).toEqual([
      "send",
      "send_zc",
    ]);
    expect(asList(series[0].circle)).toHaveLength(2);
    expect(asList(series[1].circle)).toHaveLength(1);
    expect(svg).not.toMatch(/<script|href=/);
  });

  it("gives each target of a matrix its own line, dashes lines past the palette, keeps labels apart", () => {
    const cases = readSpecText(
      "t.yaml",
      "version: 1\nname: t\nmatrix:\n  target: [loopback, pair]\n  socket.family: [ipv4, ipv6]\n  mode: [send, send_zc]\n  buffers.size: [4000, 4096, 8000]\n",
    ).cases;
    const results = cases.map((c) => caseResult(c, { measured: figures(100000) }));
    const svg = svgFormat.render({
      runs: [{ ...(sampleSuite().runs[0] as RunResult), results }],
      startedAt: "",
      elapsedMs: 0,
      partial: false,
    });
    expect(XMLValidator.validate(svg)).toBe(true);
    const series = asList(parser.parse(svg).svg.g).filter(
      (g: { class: string }) => g.class === "series",
    );
    expect(series).toHaveLength(8);
    expect(series[0]["data-series"]).toBe("send (target=loopback family=ipv4)");
    expect(series[7].polyline["stroke-dasharray"]).toBe("7 4");
    expect(series[0].polyline["stroke-dasharray"]).toBeUndefined();
    // 4000 and 4096 sit a few pixels apart on the log axis: only the first is labelled
    expect(svg).toContain(">4000</text>");
    expect(svg).not.toContain(">4096</text>");
  });

  it("still renders with nothing measured", () => {
    const svg = svgFormat.render({ runs: [], startedAt: "", elapsedMs: 0, partial: false });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain("no measured cases");
  });
});

describe("csv", () => {
  it("has a header and one quoted-as-needed row per case", () => {
    const lines = csvFormat.render(sampleSuite()).trimEnd().split("\r\n");
    expect(lines).toHaveLength(5);
    const head = (lines[0] ?? "").split(",");
    expect(head.slice(0, 3)).toEqual(["spec", "case", "mode"]);
    expect(head).toContain("zc_copied");
    const rps = head.indexOf("rps");
    expect((lines[1] ?? "").split(",")[rps]).toBe("600000");
    expect(lines[4]).toMatch(/,"not supported: <& ""x"">"$/);
  });
});

describe("json", () => {
  it("writes a versioned document that its schema accepts and that reads back", async () => {
    const suite = sampleSuite();
    const [c] = matrixCases();
    const m = figures(100);
    suite.runs[0]?.results.push(
      caseResult(c as never, {
        measured: m,
        runs: [figures(90), m, figures(110)],
        stats: { runs: 3, min: figures(90), max: figures(110), stddev: figures(10) },
        warnings: ["noisy"],
      }),
    );
    const text = jsonFormat.render(suite);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: "zcspec-results", version: 1 });
    expect(validateResults(doc)).toEqual([]);
    const file = join(mkdtempSync(join(tmpdir(), "zcspec-json-")), "r.json");
    writeFileSync(file, text);
    expect(await readResults(file)).toEqual(JSON.parse(JSON.stringify(suite)));
  });

  it("refuses a file that is not zcspec results, or of another version", async () => {
    const dir = mkdtempSync(join(tmpdir(), "zcspec-json-"));
    writeFileSync(join(dir, "a.json"), '{"hello": 1}');
    await expect(readResults(join(dir, "a.json"))).rejects.toThrow(/not a zcspec results file/);
    writeFileSync(join(dir, "b.json"), '{"format": "zcspec-results", "version": 9}');
    await expect(readResults(join(dir, "b.json"))).rejects.toThrow(/version 9/);
  });
});

describe("colour", () => {
  it("is used only on a terminal without NO_COLOR", () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(painter(false)("failed")).toBe("failed");
    expect(painter(true)("failed")).toBe("\u001b[31mfailed\u001b[0m");
  });
});
