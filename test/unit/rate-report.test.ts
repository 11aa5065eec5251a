import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { Measured } from "../../src/model/measured/measured.js";
import type { CaseResult, RunResult, SuiteResult } from "../../src/model/results.js";
import { markdownFormat } from "../../src/report/formats/markdown.js";
import { svgFormat } from "../../src/report/svg/svg.js";
import { readSpecText } from "../../src/spec/read.js";
import { scheduleOf, scheduleWarning } from "../../src/stats/schedule.js";
import { histogramOf } from "../helpers/latency.js";
import { all, byClass, parser } from "../helpers/output.js";
import { caseResult, figures, sampleSuite } from "../helpers/results.js";

const RATES = [1000, 10000, 100000];
const cases = readSpecText(
  "t.yaml",
  `version: 1\nname: t\nmatrix: { mode: [send, send_zc], rate: [${RATES.join(", ")}] }\n`,
).cases;

/**
 * A synthetic sweep (not a measurement): each mode keeps 1k and 10k
 * requests/s and reaches 50k of 100k, where its requests start 2 ms late.
 */
function paced(rate: number, zerocopy: boolean): Measured {
  const rps = Math.min(rate, 50000);
  const late = rate > rps ? 2e6 : 1000;
  const submit = histogramOf(new Array<number>(100).fill(20000));
  const intended = histogramOf(new Array<number>(100).fill(20000 + late));
  const lateness = histogramOf(new Array<number>(100).fill(late));
  const latency = {
    completion: submit,
    intended_completion: intended,
    lateness,
    ...(zerocopy ? { notif: submit, intended_notif: intended } : {}),
  };
  const m = figures(rps, { latency });
  return { ...m, ...scheduleOf({ rate, batch: 8, threads: 1 }, rps, lateness) };
}

function sweep(): SuiteResult {
  const results: CaseResult[] = cases.map((c) => {
    const measured = paced(c.rate, c.mode === "send_zc");
    const warning = scheduleWarning(measured);
    return caseResult(c, { measured, ...(warning ? { warnings: [warning] } : {}) });
  });
  const run: RunResult = { ...(sampleSuite().runs[0] as RunResult), results };
  return { ...sampleSuite(), runs: [run] };
}

describe("a sweep over rate in the reports", () => {
  it("is drawn against the offered load, not by payload size", () => {
    const svg = svgFormat.render(sweep());
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parser.parse(svg);
    expect(byClass(doc, "panel-row")).toHaveLength(0);
    const [row] = byClass(doc, "load-row");
    expect(row).toMatchObject({ "data-spec": "t", "data-group": "" });
    const lines = (panel: string) =>
      byClass(byClass(row, panel), "series").map((g) => `${g["data-series"]}: ${g["data-line"]}`);
    expect(lines("load-rate")).toEqual([
      "send: achieved requests/s",
      "send_zc: achieved requests/s",
    ]);
    expect(lines("load-completion")).toEqual([
      "send: intended_completion p99",
      "send: completion p99",
      "send_zc: intended_completion p99",
      "send_zc: completion p99",
    ]);
    // send copies: no notification, so only send_zc's lines
    expect(lines("load-notif")).toEqual(["send_zc: intended_notif p99", "send_zc: notif p99"]);
    // a mark per rate; the one not kept (100k) hollow
    const marks = all(byClass(byClass(row, "load-rate"), "series")[0], "circle");
    expect(marks).toHaveLength(RATES.length);
    expect(marks.map((c) => c.fill)).toEqual(["#1f77b4", "#1f77b4", "#ffffff"]);
    expect(String(marks[2]?.title)).toContain(
      "offered 100000, achieved 50000 requests/s, schedule NOT kept",
    );
    // from submit dashed, from the intended start solid
    const dashed = all(byClass(row, "load-completion"), "polyline").map(
      (p) => p["stroke-dasharray"] !== undefined,
    );
    expect(dashed).toEqual([false, true, false, true]);
    expect(svg).toContain("latency against offered load");
    expect(svg).toContain("Offered load (rate:)");
  });

  it("flags the case that fell behind, and shows the offered and late columns", () => {
    const md = markdownFormat.render(sweep());
    const behind = md.split("\n").filter((l) => l.includes("schedule not kept"));
    expect(behind.map((l) => l.slice(0, l.indexOf(":")))).toEqual([
      "- `send/rate=100000`",
      "- `send_zc/rate=100000`",
    ]);
    const head = md.split("\n").find((l) => l.includes("offered/s")) ?? "";
    const cols = head.split("|").map((c) => c.trim());
    expect(cols.indexOf("offered/s") + 1).toBe(cols.indexOf("requests/s"));
    expect(cols.indexOf("late") - 1).toBe(cols.indexOf("requests/s"));
  });
});
