import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../src/model/results.js";
import { validateResults } from "../../src/runner/results-file.js";
import { integrationBlocker } from "../helpers/env.js";
import { runCli } from "../helpers/spawn.js";

const blocker = integrationBlocker();

/**
 * A tiny break-even search on the sink: two points (the bounds), 50 ms
 * per repetition, two or three rounds each. Where the break-even lies is the
 * machine's business: the test asks only that the search ran, measured,
 * judged and reported.
 */
const SPEC = `version: 1
name: tiny-search
defaults:
  target: sink
  duration: 50ms
  warmup: 0
  repeat: { min: 2, max: 3, until: 5% }
search:
  parameter: buffers.size
  from: 1000
  to: 60000
  compare: { mode: send_zc }
  against: { mode: send }
  grid: 2
  max_points: 2
  budget: 1m
expect:
  - that: result.errors == 0
  - name: two points
    that: search.point_count == 2 && search.points.size() == 2
`;

describe("zcspec run: a break-even search", () => {
  it("measures points, judges each on its paired ratio, reports and compares with a baseline", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const dir = mkdtempSync(join(tmpdir(), "zcspec-search-"));
    const file = join(dir, "s.yaml");
    writeFileSync(file, SPEC);
    const json = join(dir, "a.json");
    const svg = join(dir, "a.svg");
    const junit = join(dir, "a.xml");
    const r = runCli(["run", file, "--seed", "3", "--json", json, "--svg", svg, "--junit", junit]);
    expect(r.code, r.stdout + r.stderr).toBe(0);

    const doc = JSON.parse(readFileSync(json, "utf8"));
    expect(validateResults(doc)).toEqual([]);
    const run = doc.runs[0] as RunResult;
    const search = run.search;
    expect(search?.pointCount).toBe(2);
    expect(search?.points.map((p) => p.value)).toEqual([1000, 60000]);
    for (const p of search?.points ?? []) {
      expect(p.ratio?.n).toBeGreaterThanOrEqual(2);
      expect(["win", "lose", "even"]).toContain(p.standing);
      expect(p.rounds).toBe(p.ratio?.n);
    }
    expect(search?.stoppedBy).toBe("max-points");
    expect(search?.checks).toEqual([expect.objectContaining({ name: "two points", pass: true })]);
    // four search cases, marked, each passing its own checks
    expect(run.results.map((c) => [c.case.name, c.search?.side, c.status])).toEqual([
      ["send_zc/size=1000", "compare", "passed"],
      ["send/size=1000", "against", "passed"],
      ["send_zc/size=60000", "compare", "passed"],
      ["send/size=60000", "against", "passed"],
    ]);
    // a bracket, or the statement that the sign does not change, with both ends
    if (search?.found) {
      expect(search.breakEven).toMatchObject({ low: 1000, high: 60000 });
      expect(r.stdout).toMatch(/Break-even: send_zc becomes \w+ than send/);
    } else {
      expect(r.stdout).toMatch(
        /never changes sign against send .* at 1,000 B ratio .* at 60,000 B ratio/,
      );
    }
    expect(r.stderr).toMatch(/search: point 1 \(grid\) at 1,000 B/);
    expect(r.stderr).toMatch(/round 1\/≤3 \[\d\/2\] send_zc\/size=1000/);
    expect(readFileSync(svg, "utf8")).toContain('class="search"');
    expect(readFileSync(junit, "utf8")).toContain('name="search buffers.size: send_zc vs send"');

    // the same search against the first as a baseline: its bracket is compared
    const again = runCli(["run", file, "--baseline", json, "--json", join(dir, "b.json")]);
    expect([0, 1]).toContain(again.code);
    const second = JSON.parse(readFileSync(join(dir, "b.json"), "utf8")).runs[0] as RunResult;
    expect(second.search?.baseline?.verdict).toMatch(
      /^(no change|moved|appeared|vanished|no sign change either)$/,
    );
    expect(second.search?.checks.map((c) => c.name)).toContain("baseline break-even");
    expect(again.stdout).toContain("Against the baseline:");
  });
});
