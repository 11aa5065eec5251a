import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { Case } from "../../src/model/case.js";
import { TCP_FIGURES } from "../../src/model/figures.js";
import { type LatencyHistogram, TX_SPANS } from "../../src/model/measured/latency.js";
import type { CaseResult, RunResult, SuiteResult } from "../../src/model/results.js";
import { consoleReporter } from "../../src/report/console/console.js";
import { renderCoverLetter } from "../../src/report/cover-letter/cover-letter.js";
import { csvFormat } from "../../src/report/formats/csv.js";
import { jsonFormat } from "../../src/report/formats/json.js";
import { jsonText } from "../../src/report/formats/json-text.js";
import { junitFormat } from "../../src/report/formats/junit.js";
import { markdownFormat } from "../../src/report/formats/markdown.js";
import { percentileSteps } from "../../src/report/svg/latency-curve.js";
import { svgFormat } from "../../src/report/svg/svg.js";
import { bytes, duration, durations } from "../../src/report/text/numbers.js";
import { readResults, validateResults } from "../../src/runner/results-file.js";
import { readSpec } from "../../src/spec/read.js";
import { ROOT } from "../helpers/env.js";
import { COMPLETION, NOTIF, PINNED, timed } from "../helpers/latency-samples.js";
import { all, byClass, parser, sink } from "../helpers/output.js";
import { matrixCases, sampleSuite } from "../helpers/results.js";
import { runCli } from "../helpers/spawn.js";
import { tempDir } from "../helpers/temp.js";

const [SEND, , ZC] = matrixCases([600, 4000]) as [Case, Case, Case, Case];

/** send (copies: completion only) at 600 B, and send_zc twice as slow with GSO segments. */
function timedSuite(results: CaseResult[] = pair()): SuiteResult {
  const run: RunResult = { ...(sampleSuite().runs[0] as RunResult), results };
  return { runs: [run], startedAt: "", elapsedMs: 0, partial: false };
}
function pair(): CaseResult[] {
  return [
    timed(SEND, 100_000),
    timed(ZC, 120_000, 1, { segments: 5_400_000, segmentsPerSecond: 540_000 }),
  ];
}

describe("numbers", () => {
  it("writes a latency in the unit that suits it, to three significant digits", () => {
    expect([850, 999.7, 12_100, 88_000, 140_000, 1_234_567, 2.5e9].map(duration)).toEqual([
      "850 ns",
      "1 µs",
      "12.1 µs",
      "88 µs",
      "140 µs",
      "1.23 ms",
      "2.5 s",
    ]);
    // one unit for the three, the smallest one's: a long tail stays a larger number of it
    expect(durations([12_100, 40_300, 88_000])).toBe("12.1/40.3/88 µs");
    expect(durations([12_000, 900_000, 5e6])).toBe("12/900/5,000 µs");
    expect(durations([58_400, 1_340_000, 3_470_000])).toBe("58.4/1,340/3,470 µs");
    expect(durations([0, 0, 0])).toBe("0/0/0 ns");
    expect([512, 38_400, 262_144, 1.5 * 1024 ** 2].map(bytes)).toEqual([
      "512 B",
      "37.5 KiB",
      "256 KiB",
      "1.5 MiB",
    ]);
  });
});

describe("console", () => {
  it("prints a latency line per timed case, and segments/s beside requests/s", () => {
    const out = sink();
    const err = sink();
    const r = consoleReporter({ out: out.stream, err: err.stream, colour: false, live: false });
    const run = timedSuite().runs[0] as RunResult;
    r.onCaseEnd?.(run.results[1] as CaseResult);
    r.onRunEnd?.(run);
    expect(err.text()).toBe("send_zc/size=600: passed, 120,000 requests/s (540,000 segments/s)\n");
    const lines = out.text().split("\n");
    expect(lines[0]).toMatch(
      /^case +mode +size +requests\/s +segments\/s +Gbit\/s +CPU ns\/req +completions/,
    );
    expect(lines[2]).toMatch(/^send\/size=600 +send +600 +100,000 +- +3\.20 /);
    expect(lines[3]).toMatch(/^send_zc\/size=600 +send_zc +600 +120,000 +540,000 +3\.84 /);
    const head = lines.findIndex((l) => l.startsWith("latency p50/p99/p99.9"));
    expect(lines[head]).toMatch(
      /^latency p50\/p99\/p99\.9 +completion +notif +pinned +peak pinned$/,
    );
    // COMPLETION's p50/p99/p99.9 are 3135.5, 6271.5 and 41983.5 ns; send_zc's histograms are twice as slow
    expect(lines[head + 2]).toMatch(/^send\/size=600 +3\.14\/6\.27\/42 µs +- +- +0 B$/);
    expect(lines[head + 3]).toMatch(
      /^send_zc\/size=600 +6\.27\/12\.5\/84 µs +29\.2\/58\.4\/125 µs +16\.9\/16\.9\/198 µs +37\.5 KiB$/,
    );
  });

  it("prints no latency table and no segments/s column for a run without them", () => {
    const out = sink();
    consoleReporter({ out: out.stream, err: sink().stream, colour: false }).onRunEnd?.(
      sampleSuite().runs[0] as RunResult,
    );
    expect(out.text()).not.toMatch(/latency|segments/);
  });
});

describe("markdown", () => {
  it("adds a segments/s column and a latency table: a row per case and span", () => {
    const md = markdownFormat.render(timedSuite());
    expect(md).toContain(
      "| case | mode | size | requests/s | segments/s | Gbit/s | CPU ns/req | status |",
    );
    expect(md).toContain("| send/size=600 | send | 600 | 100,000 | - | 3.20 | 1,000 | passed |");
    expect(md).toContain(
      "| send_zc/size=600 | send_zc | 600 | 120,000 | 540,000 | 3.84 | 1,000 | passed |",
    );
    const table = md.slice(md.indexOf("| case | span |")).split("\n\n")[0]?.split("\n");
    expect(table).toEqual([
      "| case | span | count | p50 | p90 | p99 | p99.9 | max | peak pinned |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      "| send/size=600 | completion | 1,000 | 3.14 µs | 6.27 µs | 6.27 µs | 42 µs | 42 µs | 0 B |",
      "| send_zc/size=600 | completion | 1,000 | 6.27 µs | 12.5 µs | 12.5 µs | 84 µs | 84 µs | 37.5 KiB |",
      "| send_zc/size=600 | notif | 1,000 | 29.2 µs | 29.2 µs | 58.4 µs | 125 µs | 280 µs |  |",
      "| send_zc/size=600 | pinned | 1,000 | 16.9 µs | 16.9 µs | 16.9 µs | 198 µs | 198 µs |  |",
    ]);
  });
});

describe("cover letter", () => {
  it("folds a spec's latency table under its letter table", async () => {
    const spec = await readSpec(`${ROOT}specs/cover-letter/udp-dummy.yaml`);
    const run = (results: CaseResult[]): RunResult => ({
      ...(sampleSuite().runs[0] as RunResult),
      spec: spec.name,
      results,
    });
    const zc = spec.cases.find((c) => c.mode === "send_zc") as Case;
    const md = renderCoverLetter([run(spec.cases.map((c) => timed(c, 100_000)))]);
    const folded = md.slice(md.indexOf("<details><summary>Latency per request</summary>"));
    expect(folded).toContain(
      `| ${zc.name} | notif | 1,000 | 14.6 µs | 14.6 µs | 29.2 µs | 62.5 µs | 140 µs |  |`,
    );
    expect(folded.indexOf("</details>")).toBeGreaterThan(folded.indexOf(zc.name));
    const untimed = renderCoverLetter([run(sampleSuite().runs[0]?.results ?? [])]);
    expect(untimed).not.toContain("Latency per request");
  });
});

describe("csv", () => {
  it("appends each span's percentiles (ns), the peak pinned bytes, the segments, the machine's CPU and TCP's view, empty where absent", () => {
    const before = csvFormat.render(sampleSuite()).split("\r\n")[0]?.split(",") ?? [];
    const lines = csvFormat.render(timedSuite()).trimEnd().split("\r\n");
    const head = (lines[0] ?? "").split(",");
    expect(new Set(head).size).toBe(head.length);
    // the older columns keep their places: the new ones come after the reason
    const reason = head.indexOf("reason");
    expect(head.slice(0, reason + 1)).toEqual(before.slice(0, reason + 1));
    expect(head.slice(reason + 1)).toEqual([
      ...["completion", "notif", "pinned"].flatMap((s) =>
        ["p50", "p90", "p99", "p999", "max"].map((p) => `latency_${s}_${p}`),
      ),
      "peak_pinned_bytes",
      "segments",
      "segments_per_second",
      "machine_cpu_ns_per_request",
      "softirq_share",
      ...Object.values(TCP_FIGURES).map((row) => row.cel),
      // the paced cases' (rate:), added after TCP's
      ...["intended_completion", "intended_notif", "lateness"].flatMap((s) =>
        ["p50", "p90", "p99", "p999", "max"].map((p) => `latency_${s}_${p}`),
      ),
      "flow_jain",
      "flow_min_share",
      "flow_max_share",
      "offered_rps",
      "achieved_share",
      "late_bound_ns",
      "late_share",
      ...TX_SPANS.flatMap((s) =>
        ["p50", "p90", "p99", "p999", "max"].map((p) => `latency_${s}_${p}`),
      ),
    ]);
    const cell = (line: number, name: string) => (lines[line] ?? "").split(",")[head.indexOf(name)];
    expect(cell(1, "latency_completion_p50")).toBe(String(COMPLETION.p50));
    expect(cell(1, "latency_completion_max")).toBe(String(COMPLETION.max));
    expect(cell(1, "latency_notif_p99")).toBe("");
    expect(cell(1, "peak_pinned_bytes")).toBe("0");
    expect(cell(1, "segments_per_second")).toBe("");
    expect(cell(2, "latency_notif_p99")).toBe(String(NOTIF.p99 * 2));
    expect(cell(2, "latency_pinned_p999")).toBe(String(PINNED.p999 * 2));
    expect(cell(2, "peak_pinned_bytes")).toBe("38400");
    expect(cell(2, "segments")).toBe("5400000");
    expect(cell(2, "segments_per_second")).toBe("540000");
  });
});

describe("junit", () => {
  it("says the latency and segments/s in a case's output", () => {
    const doc = parser.parse(junitFormat.render(timedSuite()));
    const [send, zc] = doc.testsuites.testsuite.testcase;
    expect(send["system-out"]).toContain(
      "\nlatency p50/p99/p99.9: completion 3.14/6.27/42 µs; peak pinned 0 B",
    );
    expect(zc["system-out"]).toMatch(/^requests\/s 120000, segments\/s 540000, /);
    expect(zc["system-out"]).toContain(
      "\nlatency p50/p99/p99.9: completion 6.27/12.5/84 µs, notif 29.2/58.4/125 µs, pinned 16.9/16.9/198 µs; peak pinned 37.5 KiB",
    );
  });
});

/** A histogram of 40 buckets from 4096 ns on (16 of 256 ns, 16 of 512, 8 of 1024), one request each. */
function wide(): LatencyHistogram {
  const buckets: [number, number][] = [];
  for (let i = 0; i < 16; i++) buckets.push([4096 + 256 * i, 1]);
  for (let i = 0; i < 16; i++) buckets.push([8192 + 512 * i, 1]);
  for (let i = 0; i < 8; i++) buckets.push([16384 + 1024 * i, 1]);
  return { ...NOTIF, count: 40, min: 4096, max: 24000, buckets };
}

describe("json", () => {
  it("carries the latency, peak pinned bytes and segments, its buckets packed a line at a time", async () => {
    const suite = timedSuite([
      timed(ZC, 100_000, 0, {
        latency: { completion: COMPLETION, notif: wide() },
        segments: 10,
        segmentsPerSecond: 100,
      }),
    ]);
    const text = jsonFormat.render(suite);
    const doc = JSON.parse(text);
    expect(validateResults(doc)).toEqual([]);
    const m = doc.runs[0].results[0].measured;
    expect(m.latency.notif.buckets).toEqual(wide().buckets);
    expect(m).toMatchObject({ peakPinnedBytes: 38400, segments: 10, segmentsPerSecond: 100 });
    // the schema knows a histogram's shape: a bucket is a [bound, count] pair
    m.latency.notif.buckets[0] = [4096];
    expect(validateResults(doc)).toEqual([
      "/runs/0/results/0/measured/latency/notif/buckets/0 must NOT have fewer than 2 items",
    ]);
    const lines = text.split("\n");
    // a few buckets fit on the line of their key
    expect(
      lines.some((l) => l.endsWith('"buckets": [[3072, 600], [6144, 390], [40960, 10]]')),
    ).toBe(true);
    const at = lines.findIndex((l) => l.trim() === '"buckets": [');
    const end = lines.indexOf(`${(lines[at] ?? "").match(/^ */)?.[0]}]`, at);
    const rows = lines.slice(at + 1, end);
    expect(rows[0]?.trim().startsWith("[4096, 1], [4352, 1], [4608, 1],")).toBe(true);
    // 40 buckets, not 160 lines of one number: each line as full as the width allows
    expect(rows.length).toBeLessThan(10);
    rows.forEach((row, i) => {
      expect(row.length).toBeLessThanOrEqual(100);
      const next = rows[i + 1]?.trim().match(/^\[\d+, \d+\]/)?.[0];
      // the row with ", " and the next row's first bucket (and its comma) would not fit
      if (next) expect(row.length + 2 + next.length).toBeGreaterThan(100);
    });
    const file = join(tempDir("latency"), "r.json");
    writeFileSync(file, text);
    expect(await readResults(file)).toEqual(JSON.parse(JSON.stringify(suite)));
  });

  it("writes the same JSON as JSON.stringify, indented alike", () => {
    const value = { a: [1, 2], b: [{ c: 1, d: undefined }], e: [], f: {}, s: "[1,  2]", n: null };
    const text = jsonText(value);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
    expect(text).toBe(
      '{\n  "a": [1, 2],\n  "b": [\n    {\n      "c": 1\n    }\n  ],\n  "e": [],\n  "f": {},\n  "s": "[1,  2]",\n  "n": null\n}',
    );
    const suite = sampleSuite();
    expect(JSON.parse(jsonText(suite))).toEqual(JSON.parse(JSON.stringify(suite)));
  });
});

/** The text of a <text> element, its <tspan>s included. */
const textOf = (t: Record<string, unknown>): string =>
  typeof t === "string" ? t : [t["#text"], ...all(t, "tspan").map((s) => s["#text"])].join(" ");

describe("svg", () => {
  it("reads each percentile the tables print off its curve", () => {
    for (const h of [NOTIF, COMPLETION, PINNED]) {
      const steps = percentileSteps(h);
      const at = (q: number) => steps.find((s) => s.from < q && q <= s.to)?.ns;
      expect([at(0.5), at(0.9), at(0.99), at(0.999)]).toEqual([h.p50, h.p90, h.p99, h.p999]);
      expect(steps.at(-1)?.to).toBe(1);
      expect(Math.max(...steps.map((s) => s.ns))).toBeLessThanOrEqual(h.max);
    }
  });

  it("draws a latency row under a row of rate panels: completion and notification curves, a legend of cases", () => {
    const svg = svgFormat.render(timedSuite());
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parser.parse(svg);
    const [row] = byClass(doc, "latency-row");
    expect(row).toMatchObject({ "data-spec": "t", "data-group": "sink" });
    const cases = (panel: string) =>
      byClass(byClass(row, panel), "latency-line").map((g) => g["data-case"]);
    expect(cases("latency-completion")).toEqual(["send/size=600", "send_zc/size=600"]);
    // send copies: it has no notification to time
    expect(cases("latency-notif")).toEqual(["send_zc/size=600"]);
    const [notif] = byClass(byClass(row, "latency-notif"), "latency-line");
    expect(all(notif, "polyline")[0]?.title).toBe(
      "send_zc/size=600 notif: p50 29.2 µs, p90 29.2 µs, p99 58.4 µs, p99.9 125 µs, max 280 µs (1,000 requests)",
    );
    // at the right edge the curve rises to the case's max: its highest point
    const points = String(all(notif, "polyline")[0]?.points)
      .split(" ")
      .map((p) => p.split(",").map(Number) as [number, number]);
    const last = points[points.length - 1] as [number, number];
    expect(last[0]).toBe(Math.max(...points.map((p) => p[0])));
    expect(last[1]).toBe(Math.min(...points.map((p) => p[1])));
    const legend = all(byClass(row, "latency-legend"), "text").map(textOf);
    expect(legend).toEqual(["cases", "send/size=600 (no notification)", "send_zc/size=600"]);
    // 1000 requests: the percentile axis ends at 99.9
    const ticks = all(byClass(row, "latency-notif"), "text").map(textOf);
    expect(ticks).toEqual(expect.arrayContaining(["50", "90", "99", "99.9"]));
    expect(ticks).not.toContain("99.99");
    expect(ticks).toEqual(expect.arrayContaining(["10 µs", "100 µs"]));
    expect(svg).toContain("Latency: a line per case, its percentile curve");
  });

  it("shades a mode's sizes apart, and says so when no case had a notification", () => {
    const cases = matrixCases([600, 4000, 8000, 65000]);
    const eight = svgFormat.render(timedSuite(cases.map((c, i) => timed(c, 100_000, i % 4))));
    expect(XMLValidator.validate(eight)).toBe(true);
    const legend = byClass(parser.parse(eight), "latency-legend");
    const colours = all(legend, "line").map((l) => l.stroke);
    expect(colours).toHaveLength(8);
    expect(new Set(colours).size).toBe(8);
    const copies = svgFormat.render(
      timedSuite(cases.filter((c) => c.mode === "send").map((c) => timed(c, 100_000))),
    );
    const [notif] = byClass(parser.parse(copies), "latency-notif");
    expect(byClass(notif, "latency-line")).toHaveLength(0);
    expect(all(notif, "text").map(textOf)).toContain("no notifications: copying modes");
  });

  it("draws no latency row for a run without latency", () => {
    const svg = svgFormat.render(sampleSuite());
    expect(byClass(parser.parse(svg), "latency-row")).toHaveLength(0);
    expect(svg).not.toContain("latency");
  });
});

const BUILT = existsSync("dist/cli/bin.js");

describe("zcspec report", () => {
  it("re-renders a saved run's latency and segments", (ctx) => {
    if (!BUILT) return ctx.skip("CLI not built (dist/cli/bin.js); run npm run build");
    const file = join(tempDir("latency"), "r.json");
    writeFileSync(file, jsonFormat.render(timedSuite()));
    const md = runCli(["report", file, "--markdown", "-"]);
    expect(md.code, md.stderr).toBe(0);
    expect(md.stdout).toContain(
      "| send_zc/size=600 | notif | 1,000 | 29.2 µs | 29.2 µs | 58.4 µs | 125 µs | 280 µs |  |",
    );
    expect(md.stdout).toContain("| 120,000 | 540,000 |");
    const csv = runCli(["report", file, "--csv", "-"]).stdout.split("\r\n");
    const head = (csv[0] ?? "").split(",");
    expect((csv[2] ?? "").split(",")[head.indexOf("latency_notif_p99")]).toBe(
      String(NOTIF.p99 * 2),
    );
    const svg = runCli(["report", file, "--svg", "-"]).stdout;
    expect(byClass(parser.parse(svg), "latency-row")).toHaveLength(1);
  });
});
