import { describe, expect, it } from "vitest";
import type { Case } from "../../src/model/case.js";
import type { KernelInfo } from "../../src/model/kernel.js";
import type { CaseResult, RunResult, SuiteResult } from "../../src/model/results.js";
import { renderComparison } from "../../src/report/text/comparison.js";
import { mergeKernelRuns, tagWithKernel } from "../../src/runner/kernel-runs.js";
import { compareRuns } from "../../src/stats/compare-runs.js";
import { caseResult, figures, matrixCases } from "../helpers/results.js";

const [send, , zc] = matrixCases([600, 4000]) as [Case, Case, Case, Case];

const kernel = (name: string, accelerator: KernelInfo["accelerator"]): KernelInfo => ({
  name,
  release: name,
  configHash: "",
  accelerator,
});

/** A case run once per entry of `rps`, on `k` when given (a --kernel run's case). */
function ran(c: Case, rps: number[], k?: KernelInfo, name = c.name): CaseResult {
  return caseResult(
    { ...c, name, ...(k ? { kernel: k } : {}) },
    { measured: figures(rps[0] as number), runs: rps.map((v) => figures(v)) },
  );
}

function suite(...results: CaseResult[]): SuiteResult {
  return {
    runs: [
      {
        spec: "t",
        file: "t.yaml",
        results,
        startedAt: "",
        elapsedMs: 0,
        environment: results[0]?.environment as never,
      },
    ],
    startedAt: "",
    elapsedMs: 0,
    partial: false,
  };
}

const compare = (before: SuiteResult, after: SuiteResult, tolerance = 0.05) =>
  compareRuns(
    { file: "before.json", suite: before },
    { file: "after.json", suite: after },
    tolerance,
  );

describe("compareRuns: two saved runs, case by case", () => {
  it("pairs cases by their parameters, not their names, and judges each figure on its interval", () => {
    const before = suite(ran(send, [100, 101, 102, 99, 100]), ran(zc, [200, 201, 199, 200, 202]));
    const after = suite(
      ran(send, [80, 81, 79, 80, 82], undefined, "renamed"),
      ran(zc, [200, 202, 198, 201, 199]),
    );
    const c = compare(before, after);
    expect(c.pairs.map((p) => p.name)).toEqual(["renamed", zc.name]);
    const rps = (i: number) => c.pairs[i]?.changes.find((x) => x.figure === "rps");
    expect(rps(0)).toMatchObject({ verdict: "regressed", beyondTolerance: true });
    expect(rps(0)?.ratio.value).toBeCloseTo(0.8, 2);
    expect(rps(1)?.verdict).toBe("no change detected");
    // CPU per request is better lower: the same figures both sides, no change
    expect(c.pairs[0]?.changes.find((x) => x.figure === "cpuNsPerRequest")?.verdict).toBe(
      "no change detected",
    );
    expect(renderComparison(c)).toContain("| renamed | host | requests/s | 100 | 80 | -20.0% |");
  });

  it("a regression within the tolerance does not fail, one run a side gives no verdict", () => {
    const c = compare(suite(ran(send, [100, 100.5, 101])), suite(ran(send, [97, 97.5, 98])), 0.05);
    expect(c.pairs[0]?.changes[0]).toMatchObject({
      figure: "rps",
      verdict: "regressed",
      beyondTolerance: false,
    });
    const once = compare(suite(ran(send, [100])), suite(ran(send, [50])));
    expect(once.pairs[0]?.changes[0]).toMatchObject({
      verdict: "no change detected",
      beyondTolerance: false,
    });
  });

  it("pairs a kernels run kernel by kernel, a lone kernel with a lone kernel, and never judges across accelerators", () => {
    const tcg61 = kernel("6.1", "tcg");
    const tcg612 = kernel("6.12", "tcg");
    const before = suite(ran(send, [10, 10, 10], tcg61), ran(send, [100, 100, 100]));
    const after = suite(ran(send, [20, 20, 20], tcg612), ran(send, [50, 50, 50]));
    const c = compare(before, after);
    // host with host (same name); the one kernel left on each side with each other
    expect(c.pairs.map((p) => p.kernels)).toEqual([
      { before: "host", after: "host" },
      { before: "6.1", after: "6.12" },
    ]);
    expect(c.pairs[0]?.changes[0]?.verdict).toBe("regressed");
    expect(c.pairs[1]?.changes[0]?.verdict).toBe("improved");
    const across = compare(
      suite(ran(send, [10, 10, 10], tcg61)),
      suite(ran(send, [100, 100, 100])),
    );
    expect(across.pairs[0]?.changes[0]).toMatchObject({
      verdict: "not comparable",
      beyondTolerance: false,
    });
    expect(renderComparison(across)).toContain("different accelerators");
  });

  it("names the cases with no partner", () => {
    const c = compare(
      suite(ran(send, [1])),
      suite(ran(zc, [1]), caseResult(send, { status: "skipped" })),
    );
    expect(c.pairs).toEqual([]);
    expect(c.unpaired).toEqual({ before: [send.name], after: [zc.name, `${send.name} (skipped)`] });
  });
});

describe("a --kernel run's results", () => {
  it("carry their kernel in the name, the matrix and the case, with TCG's note, and merge by spec", () => {
    const tcg = kernel("6.1", "tcg");
    const tagged = tagWithKernel(ran(send, [10]), tcg);
    expect(tagged.case).toMatchObject({
      name: `${send.name} [6.1]`,
      kernel: tcg,
      matrix: { kernel: "6.1" },
    });
    expect(tagged.warnings?.join(" ")).toContain("rates measure the emulator");
    expect(tagWithKernel(ran(send, [10]), kernel("host", "host")).warnings).toBeUndefined();
    const run = (name: string) => ({
      ...(suite(ran(send, [1], undefined, name)).runs[0] as RunResult),
      elapsedMs: 5,
    });
    const merged = mergeKernelRuns([run("a"), { ...run("b"), partial: true }]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ elapsedMs: 10, partial: true });
    expect(merged[0]?.results.map((r) => r.case.name)).toEqual(["a", "b"]);
  });
});
