import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { Case } from "../../src/model/case.js";
import type { RunResult, SuiteResult } from "../../src/model/results.js";
import { csvFormat } from "../../src/report/formats/csv.js";
import { jsonFormat } from "../../src/report/formats/json.js";
import { junitFormat } from "../../src/report/formats/junit.js";
import { markdownFormat } from "../../src/report/formats/markdown.js";
import { svgFormat } from "../../src/report/svg/svg.js";
import { painter, wantsColour } from "../../src/report/text/colour.js";
import { readResults, validateResults } from "../../src/runner/results-file.js";
import { readSpecText } from "../../src/spec/read.js";
import { all, asList, byClass, parser } from "../helpers/output.js";
import { caseResult, figures, matrixCases, repetition, sampleSuite } from "../helpers/results.js";
import { tempDir } from "../helpers/temp.js";

const GOLDEN = new URL("../fixtures/golden/report.md", import.meta.url);

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

/** A suite of one spec whose cases ran 3 times in rounds, send_zc at `zcOver` times send. */
function repeatedSuite(cases: Case[], zcOver: (c: Case) => number): SuiteResult {
  const load = [1, 0.9, 1.1];
  const results = cases.map((c) => {
    const k = c.mode === "send_zc" ? zcOver(c) : 1;
    const runs = load.map((l, i) => figures(100_000 * l * k * (1 + i / 100)));
    const repetitions = load.map((_, i) => repetition(i + 1));
    return caseResult(c, { measured: runs[0], runs, repetitions });
  });
  const run = { ...(sampleSuite().runs[0] as RunResult), results };
  return { runs: [run], startedAt: "", elapsedMs: 0, partial: false };
}

describe("svg", () => {
  it("is a well-formed standalone SVG: a row of panels per spec, a series per mode, the ratio panels", () => {
    const svg = svgFormat.render(sampleSuite());
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parser.parse(svg);
    expect(doc.svg.xmlns).toBe("http://www.w3.org/2000/svg");
    const rows = byClass(doc, "panel-row");
    expect(rows.map((r) => r["data-spec"])).toEqual(["t"]);
    const series = byClass(byClass(rows[0], "rate"), "series");
    expect(series.map((g) => g["data-series"])).toEqual(["send", "send_zc"]);
    expect(all(series[0], "circle")).toHaveLength(2);
    expect(all(series[1], "circle")).toHaveLength(1);
    // one run: no error bars, and the ratio is a point without a band
    expect(svg).not.toContain("error-bar");
    const ratios = byClass(byClass(rows[0], "ratio-rps"), "ratio");
    expect(ratios.map((g) => g["data-ratio"])).toEqual(["send_zc / send"]);
    expect(all(ratios[0], "polygon")).toHaveLength(0);
    expect(byClass(rows[0], "ratio-cpu")).toHaveLength(1);
    expect(svg).toContain("Each case ran once: no error bars, no ratio intervals.");
    expect(svg).not.toMatch(/<script|href=/);
    // no case read /proc/stat: no CPU breakdown row
    expect(byClass(doc, "cpu-row")).toHaveLength(0);
  });

  it("adds a CPU row where cases read the machine's CPU: a stacked bar per case, the sender's tick", () => {
    const suite = sampleSuite();
    const ms = (n: number) => n * 1e6;
    const times = { userNs: ms(20), niceNs: 0, systemNs: ms(50), idleNs: ms(120), iowaitNs: 0 };
    const total = { ...times, irqNs: 0, softirqNs: ms(10), stealNs: 0 };
    for (const r of suite.runs[0]?.results ?? []) {
      if (!r.measured) continue;
      // 80 ms busy over the case's requests, the sender's 1000 ns/request among it
      r.measured.machine = {
        clkTck: 100,
        windowNs: ms(100),
        moreCpus: false,
        all: total,
        cpus: [],
      };
      r.measured.machineCpuNsPerRequest = ms(80) / r.measured.requests;
    }
    const svg = svgFormat.render(suite);
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parser.parse(svg);
    const [row] = byClass(doc, "cpu-row");
    expect(row?.["data-spec"]).toBe("t");
    const bars = byClass(row, "cpu-bars");
    expect(bars.map((g) => g["data-series"])).toEqual(["send", "send_zc"]);
    // send at 600 and 4000 B: three states with time each, an outline, and the sender's tick
    expect(all(bars[0], "rect")).toHaveLength(2 * 4);
    expect(all(bars[0], "line")).toHaveLength(2);
    expect(svg).toContain("send 600 B: softirq 167 ns/request");
    expect(svg).toContain("send 600 B: sender threads 1000 ns/request, machine 1333");
  });

  it("draws error bars from the intervals and the ratio with its band and the 1.0 line", () => {
    const svg = svgFormat.render(repeatedSuite(matrixCases([600, 4000, 8000]), () => 1.2));
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parser.parse(svg);
    const [row] = byClass(doc, "panel-row");
    const bars = all(byClass(row, "rate"), "path").filter((p) => p.class === "error-bar");
    expect(bars).toHaveLength(6);
    for (const panel of ["ratio-rps", "ratio-cpu"]) {
      const [p] = byClass(row, panel);
      expect(all(p, "polygon").filter((g) => g.class === "band")).toHaveLength(1);
      expect(all(p, "line").filter((l) => l.class === "no-difference")).toHaveLength(1);
    }
    // send_zc is 1.2 times send in every round: the rate ratio's points are filled (significant)
    const points = all(byClass(byClass(row, "ratio-rps"), "ratio"), "circle");
    expect(points).toHaveLength(3);
    expect(points.every((c) => c.fill !== "#ffffff")).toBe(true);
    expect(svg).toContain("Error bars: the median&apos;s 75 % confidence interval over 3 runs");
    expect(svg).toContain("paired by round");
    expect(svg).toMatch(/payload size, bytes \(log scale\)/);
  });

  it("gives each target of a matrix its own row of panels, and each spec its own rows", () => {
    const cases = readSpecText(
      "t.yaml",
      "version: 1\nname: t\nmatrix:\n  target: [loopback, pair]\n  socket.family: [ipv4, ipv6]\n  mode: [send, send_zc]\n  buffers.size: [4000, 4096, 8000]\n",
    ).cases;
    const results = cases.map((c) => caseResult(c, { measured: figures(100000) }));
    const run = { ...(sampleSuite().runs[0] as RunResult), results };
    const svg = svgFormat.render({
      runs: [run, { ...(sampleSuite().runs[0] as RunResult), spec: "other" }],
      startedAt: "",
      elapsedMs: 0,
      partial: false,
    });
    expect(XMLValidator.validate(svg)).toBe(true);
    const rows = byClass(parser.parse(svg), "panel-row");
    expect(rows.map((r) => `${r["data-spec"]}: ${r["data-group"]}`)).toEqual([
      "t: target=loopback family=ipv4",
      "t: target=loopback family=ipv6",
      "t: target=pair family=ipv4",
      "t: target=pair family=ipv6",
      "other: sink",
    ]);
    for (const r of rows) {
      expect(byClass(r, "panel")).toHaveLength(3);
      expect(byClass(byClass(r, "rate"), "series").map((g) => g["data-series"])).toEqual([
        "send",
        "send_zc",
      ]);
    }
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

describe("markdown of repeated cases", () => {
  it("shows runs, medians with intervals, the paired change, and the claims they support", () => {
    const md = markdownFormat.render(
      repeatedSuite(matrixCases([600, 4000]), (c) => (c.buffers.size === 600 ? 1 : 1.3)),
    );
    expect(md).toContain(
      "| case | mode | size | runs | requests/s | Gbit/s | CPU ns/req | status |",
    );
    expect(md).toContain("| send/size=600 | send | 600 | 3 | 100,000 [90,900–112,200] |");
    expect(md).toMatch(
      /\| 4000 \| 100,000 \[90,900–112,200\] \| 130,000 \[118,170–145,860\] \| \+30% \[\+30% to \+30%\] \|/,
    );
    expect(md).toContain("Figures are medians of 3 runs per case");
    expect(md).toContain(
      "- Requests/s: no significant difference between send_zc and send at 600 B; send_zc beats send at 4000 B (ratio 1.30, 95 % CI 1.30–1.30).",
    );
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
    expect(lines[4]).toContain(',"not supported: <& ""x"">",');
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
    const file = join(tempDir("json"), "r.json");
    writeFileSync(file, text);
    expect(await readResults(file)).toEqual(JSON.parse(JSON.stringify(suite)));
  });

  it("refuses a file that is not zcspec results, or of another version", async () => {
    const dir = tempDir("json");
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
