import { describe, expect, it } from "vitest";
import { celSearch, judgeSearch, searchBaseline } from "../../src/assert/search-expect.js";
import type { SearchPoint, SearchResult } from "../../src/model/search.js";
import { readSpecText } from "../../src/spec/read.js";
import { SEARCH_REPEAT } from "../../src/spec/search.js";
import { standingOf, summarizePoints } from "../../src/stats/break-even.js";
import { specErrors } from "../helpers/spec.js";

/** A break-even spec; the search section's lines are 8–13. */
const SPEC = `version: 1
name: be
defaults:
  target: sink
  duration: 100ms
  warmup: 0
search:
  parameter: buffers.size
  from: 512
  to: 64kB
  compare: { mode: send_zc }
  against: { mode: send }
  resolution: 5%
`;

const errors = specErrors;

describe("search: in a spec", () => {
  it("resolves the settings and makes both sides' cases at any value", () => {
    const spec = readSpecText("t.yaml", SPEC);
    expect(spec.cases).toEqual([]); // a search alone: no case from the defaults
    const s = spec.search?.settings;
    expect(s).toMatchObject({
      parameter: "buffers.size",
      unit: "B",
      from: 512,
      to: 64000,
      labels: { compare: "send_zc", against: "send" },
      figure: "rps",
      better: "above",
      resolution: { relative: 0.05 },
      budgetMs: 600_000,
      grid: 5,
      scale: "log",
      integer: true,
      maxPoints: 24,
    });
    const at = spec.search?.at(5350);
    expect(at?.compare).toMatchObject({
      name: "send_zc/size=5350",
      mode: "send_zc",
      buffers: { size: 5350 },
      matrix: { mode: "send_zc", "buffers.size": 5350 },
      ...SEARCH_REPEAT,
    });
    expect(at?.against).toMatchObject({ name: "send/size=5350", mode: "send", duration_ns: 100e6 });
  });

  it("takes CPU per request, an absolute resolution, a linear scale and the spec's repeat", () => {
    const spec = readSpecText(
      "t.yaml",
      SPEC.replace("  warmup: 0", "  warmup: 0\n  repeat: { min: 4, max: 8, until: 3% }")
        .replace("parameter: buffers.size", "parameter: batch")
        .replace("from: 512", "from: 1")
        .replace("to: 64kB", "to: 32")
        .replace("resolution: 5%", "resolution: 2\n  figure: cpu_ns_per_request\n  scale: linear"),
    );
    expect(spec.search?.settings).toMatchObject({
      parameter: "batch",
      from: 1,
      to: 32,
      figure: "cpuNsPerRequest",
      better: "below",
      resolution: { absolute: 2 },
      scale: "linear",
    });
    expect(spec.search?.settings.unit).toBeUndefined();
    expect(spec.search?.at(8).compare).toMatchObject({
      name: "send_zc/batch=8",
      batch: 8,
      repeat: 4,
      adaptive: { max: 8, until: 0.03 },
    });
  });

  it("takes the whole machine's CPU per request as its figure", () => {
    const spec = readSpecText(
      "t.yaml",
      SPEC.replace("resolution: 5%", "resolution: 5%\n  figure: machine_cpu_ns_per_request"),
    );
    expect(spec.search?.settings).toMatchObject({
      figure: "machineCpuNsPerRequest",
      better: "below",
    });
  });

  it("locates an unknown parameter, with a did-you-mean", () => {
    const [d, ...rest] = errors(SPEC.replace("parameter: buffers.size", "parameter: buffers.sise"));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "ZC_SEARCH_PATH", line: 8, col: 14 });
    expect(d?.hint).toBe('did you mean "buffers.size"?');
  });

  it("refuses a parameter that is not a number", () => {
    const [d] = errors(SPEC.replace("parameter: buffers.size", "parameter: buffers.register"));
    expect(d).toMatchObject({ code: "ZC_SEARCH_PARAM", line: 8 });
    expect(d?.message).toContain("is not a number");
    expect(d?.hint).toContain("buffers.size");
  });

  it("locates reversed bounds at `to`, with the swap as the hint", () => {
    const [d] = errors(SPEC.replace("from: 512", "from: 64kB").replace("to: 64kB", "to: 512"));
    expect(d).toMatchObject({ code: "ZC_SEARCH_BOUNDS", line: 10, col: 7 });
    expect(d?.message).toContain("reversed");
    expect(d?.hint).toBe('swap them: from: 512, to: "64kB"');
  });

  it("locates a bound the parameter does not take", () => {
    const [d] = errors(SPEC.replace("from: 512", "from: 512 bytes"));
    expect(d).toMatchObject({ code: "ZC_SEARCH_BOUNDS", line: 9, col: 9 });
    const [e] = errors(
      SPEC.replace("parameter: buffers.size", "parameter: batch")
        .replace("from: 512", "from: 0")
        .replace("to: 64kB", "to: 64"),
    );
    expect(e).toMatchObject({ code: "ZC_SEARCH_BOUNDS", line: 9 });
    expect(e?.message).toContain("batch");
  });

  it("locates a resolution the bounds cannot take", () => {
    const [d] = errors(SPEC.replace("resolution: 5%", "resolution: 100000"));
    expect(d).toMatchObject({ code: "ZC_SEARCH_BOUNDS", line: 13, col: 15 });
    const [e] = errors(SPEC.replace("resolution: 5%", "resolution: 150%"));
    expect(e).toMatchObject({ code: "ZC_SEARCH_BOUNDS", line: 13 });
  });

  it("refuses the old max_probes with a hint naming max_points", () => {
    const [d] = errors(`${SPEC}  max_probes: 6\n`);
    expect(d).toMatchObject({ code: "ZC_UNKNOWN_KEY", line: 14, col: 3 });
    expect(d?.hint).toBe('it was renamed: write "max_points"');
    expect(readSpecText("t.yaml", `${SPEC}  max_points: 6\n`).search?.settings.maxPoints).toBe(6);
  });

  it("locates a side's unknown key, the searched parameter on a side, and two sides alike", () => {
    const [d] = errors(SPEC.replace("{ mode: send_zc }", "{ mdoe: send_zc }"));
    expect(d).toMatchObject({ code: "ZC_SEARCH_SIDE", line: 11, col: 14 });
    expect(d?.hint).toBe('did you mean "mode"?');
    const [e] = errors(SPEC.replace("{ mode: send_zc }", "{ mode: send_zc, buffers.size: 4000 }"));
    expect(e).toMatchObject({ code: "ZC_SEARCH_SIDE", line: 11, col: 29 });
    const [f] = errors(SPEC.replace("{ mode: send_zc }", "{ mode: send }"));
    expect(f).toMatchObject({ code: "ZC_SEARCH_SIDE", line: 12 });
    expect(f?.message).toContain("the same case");
    const [g] = errors(SPEC.replace("{ mode: send_zc }", "{ mode: send_zz }"));
    expect(g).toMatchObject({ code: "ZC_SEARCH_SIDE", line: 11 });
  });

  it("checks the cases at both bounds against the case rules, located at the bound", () => {
    // 70000 B does not fit a UDP datagram: the rule points at search.to
    const [d] = errors(SPEC.replace("to: 64kB", "to: 70000"));
    expect(d).toMatchObject({ code: "ZC_PAYLOAD_SIZE", line: 10, col: 7 });
  });

  it("lets an expectation read `search` alone, and says where it cannot", () => {
    const ok = readSpecText(
      "t.yaml",
      `${SPEC}expect:\n  - that: result.errors == 0\n  - that: search.found && search.break_even.high <= 16384\n`,
    );
    expect(ok.expectations.map((e) => e.search ?? false)).toEqual([false, true]);
    const [d] = errors(`${SPEC}expect:\n  - that: search.found && result.rps > 1\n`);
    expect(d).toMatchObject({ code: "ZC_EXPECT_COMPILE", line: 15 });
    expect(d?.message).toContain("cannot read `result`");
    const noSearch = SPEC.slice(0, SPEC.indexOf("search:"));
    const [e] = errors(`${noSearch}expect:\n  - that: search.found\n`);
    expect(e?.message).toContain("has no search");
    const [f] = errors(`${SPEC}expect:\n  - that: search.foudn\n`);
    expect(f).toMatchObject({ code: "ZC_EXPECT_COMPILE", line: 15 });
  });
});

/** A search outcome over known ratios (no run): for the CEL view and the baseline. */
function outcome(ratios: [number, number][], half = 0.02): SearchResult {
  const spec = readSpecText("t.yaml", SPEC);
  const settings = spec.search?.settings as SearchResult["settings"];
  const points: SearchPoint[] = ratios.map(([value, r], i) => {
    const ratio = {
      value: r,
      low: r * Math.exp(-half),
      high: r * Math.exp(half),
      level: 0.95,
      n: 6,
      method: "paired-t-log" as const,
    };
    return {
      value,
      order: i + 1,
      phase: "grid",
      ratio,
      standing: standingOf(ratio, "above"),
      rounds: 6,
      stoppedBy: "decided",
      cases: { compare: "a", against: "b" },
      elapsedMs: 1,
    };
  });
  return {
    settings,
    points,
    ...summarizePoints(settings, points),
    stoppedBy: "resolution",
    pointCount: points.length,
    rounds: 6 * points.length,
    elapsedMs: 1000,
    seed: 1,
    checks: [],
  };
}

describe("search: its outcome in expressions and against a baseline", () => {
  const crossing = outcome([
    [512, 0.6],
    [5000, 0.9],
    [5300, 1.0],
    [5600, 1.1],
    [64000, 2],
  ]);

  it("shows CEL the bracket, the points and the ends", () => {
    const v = celSearch(crossing) as Record<string, unknown>;
    expect(v).toMatchObject({
      found: true,
      monotone: true,
      break_even: { low: 5000, high: 5600, from: "lose", to: "win", ratio: { at: 5300 } },
      wins_from: 5600,
      at_from: { value: 512, standing: "lose" },
      at_to: { value: 64000, standing: "win" },
      point_count: 5n,
    });
  });

  it("judges expectations about `search` once, with the outcome in a false one's reason", () => {
    const spec = readSpecText(
      "t.yaml",
      `${SPEC}expect:\n  - that: search.found && search.break_even.high <= 8192\n  - that: search.wins_from <= 4096\n  - that: search.break_even.low > 1.0\n    where: "!search.found"\n`,
    );
    const checks = judgeSearch(spec.expectations, crossing);
    expect(checks.map((c) => c.pass)).toEqual([true, false]);
    expect(checks[1]?.reason).toContain("break-even between 5,000 B and 5,600 B");
    const none = outcome([
      [512, 1.5],
      [64000, 2],
    ]);
    const [a, b] = judgeSearch(spec.expectations, none);
    expect(a?.pass).toBe(false);
    expect(b?.pass).toBe(true); // wins from 512 B
  });

  it("compares brackets with a baseline: overlap, moved for the worse, moved for the better, gone", () => {
    const later = outcome([
      [512, 0.6],
      [9000, 0.9],
      [9500, 1.0],
      [10000, 1.1],
      [64000, 2],
    ]);
    expect(searchBaseline(crossing, crossing, "b.json").baseline.verdict).toBe("no change");
    const up = searchBaseline(later, crossing, "b.json");
    expect(up.baseline).toMatchObject({
      verdict: "moved",
      before: { low: 5000, high: 5600 },
      now: { low: 9000, high: 10000 },
    });
    expect(up.check).toMatchObject({ pass: false, verdict: "failed" });
    expect(up.check.reason).toContain("moved up");
    const down = searchBaseline(crossing, later, "b.json");
    expect(down.check).toMatchObject({ pass: true, verdict: "held" });
    const gone = searchBaseline(
      outcome([
        [512, 1.5],
        [64000, 2],
      ]),
      crossing,
      "b.json",
    );
    expect(gone.baseline.verdict).toBe("vanished");
    expect(gone.check.verdict).toBe("inconclusive");
  });
});
