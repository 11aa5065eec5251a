import { describe, expect, it } from "vitest";
import { ExpectationEvaluator } from "../../src/assert/evaluate.js";
import { findPeer } from "../../src/assert/peer.js";
import type { Case } from "../../src/model/case.js";
import { LookupError } from "../../src/model/errors.js";
import { readSpecText } from "../../src/spec/read.js";
import { formatDiagnostic } from "../../src/spec/source/frame.js";
import { figures, matrixCases } from "../helpers/results.js";
import { EXPECT_HEAD, specDiagnostics } from "../helpers/spec.js";

const HEAD = EXPECT_HEAD;

const diagnostics = (text: string) => specDiagnostics(text);

describe("expectations compile when the spec is read", () => {
  it("accepts good expressions and keeps them with their location", () => {
    const spec = readSpecText(
      "t.yaml",
      `${HEAD}  - that: result.errors == 0\n  - where: case.mode == "send_zc"\n    that: 'result.rps > 0.8 * peer(case, {"mode": "send"}).rps'\n`,
    );
    expect(spec.expectations).toHaveLength(2);
    expect(spec.expectations[1]?.thatAt).toMatchObject({ line: 9, col: 12 });
  });

  it("reports a misspelt figure at its line and column with a did-you-mean", () => {
    const { list, error } = diagnostics(`${HEAD}  - that: result.errors == 0 && result.rpss > 5\n`);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ code: "ZC_EXPECT_COMPILE", line: 7, col: 40 });
    const text = formatDiagnostic(list[0] as never, error.sources.get("t.yaml"));
    expect(text).toContain("t.yaml:7:40 error[ZC_EXPECT_COMPILE]: that: No such key: rpss");
    expect(text).toContain('did you mean "rps"?');
    expect(text).toMatch(/\^{4}/);
  });

  it("reports syntax errors, unknown variables and non-boolean expressions", () => {
    const { list } = diagnostics(
      `${HEAD}  - that: result.rps >\n  - where: resutl.rps > 1.0\n    that: "true"\n  - that: result.rps\n`,
    );
    expect(list.map((d) => [d.code, d.line])).toEqual([
      ["ZC_EXPECT_COMPILE", 7],
      ["ZC_EXPECT_COMPILE", 8],
      ["ZC_EXPECT_TYPE", 10],
    ]);
    expect(list[1]?.hint).toBe('did you mean "result"?');
    expect(list[2]?.message).toContain("boolean");
  });

  it("locates errors inside a block scalar", () => {
    const { list } = diagnostics(
      `${HEAD}  - that: >\n      result.errors == 0 &&\n      case.buffers.sise > 1\n`,
    );
    expect(list[0]).toMatchObject({ line: 9, col: 20 });
  });

  it("lists CEL errors together with the spec's other errors", () => {
    const { list } = diagnostics(
      `${HEAD.replace("send_zc]", "sned_zc]")}  - that: result.nope > 1\n`,
    );
    expect(list.map((d) => d.code).sort()).toEqual(["ZC_BAD_VALUE", "ZC_EXPECT_COMPILE"]);
  });
});

describe("evaluating expectations", () => {
  const cases = matrixCases();
  const byName = (n: string) => cases.find((c) => c.name === n) as Case;
  const measured = new Map([
    ["send/size=600", figures(600000)],
    ["send_zc/size=600", figures(450000)],
  ]);

  function evaluator(text: string, baseline?: Map<string, number>) {
    const spec = readSpecText("t.yaml", `${HEAD}${text}`);
    return new ExpectationEvaluator(spec.expectations, {
      cases,
      result: (name) => {
        const m = measured.get(name);
        return m ? { measured: m } : name === "send_zc/size=4000" ? undefined : "was skipped";
      },
      baseline: (name) => {
        const v = baseline?.get(name);
        return v === undefined ? undefined : { measured: figures(v) };
      },
      ...(baseline ? { baselineFile: "base.json" } : {}),
    });
  }

  it("passes and fails on the figures, ints mixing with doubles", () => {
    const ev = evaluator("  - that: result.errors == 0 && result.rps >= 450000\n");
    const c = byName("send_zc/size=600");
    expect(ev.check(c, { measured: figures(450000) }).checks[0]?.pass).toBe(true);
    expect(ev.check(c, { measured: figures(449999) }).checks[0]?.pass).toBe(false);
    expect(ev.check(c, { measured: figures(450000, { errors: 1 }) }).checks[0]?.pass).toBe(false);
  });

  it("says which expression failed, where it is written and the values it saw", () => {
    const ev = evaluator(
      '  - name: zc beats copy\n    where: case.mode == "send_zc"\n    that: result.rps > 1.2 * peer(case, "mode", "send").rps\n',
    );
    const { checks } = ev.check(byName("send_zc/size=600"), {
      measured: measured.get("send_zc/size=600") as never,
    });
    expect(checks).toHaveLength(1);
    const k = checks[0];
    expect(k).toMatchObject({
      name: "zc beats copy",
      pass: false,
      kind: "expect",
      location: { file: "t.yaml", line: 9, col: 11 },
      values: { "result.rps": "450000", '1.2 * peer(case, "mode", "send").rps': "720000" },
    });
    expect(k?.reason).toBe(
      'result.rps > 1.2 * peer(case, "mode", "send").rps is false: result.rps = 450000, 1.2 * peer(case, "mode", "send").rps = 720000',
    );
  });

  it("applies `where` and skips cases it excludes", () => {
    const ev = evaluator('  - where: case.buffers.size > 1000\n    that: "false"\n');
    expect(ev.check(byName("send/size=600"), { measured: figures(1) }).checks).toHaveLength(0);
    expect(ev.check(byName("send/size=4000"), { measured: figures(1) }).checks).toHaveLength(1);
  });

  it("defers a check whose peer has not run, and skips one whose peer has no figures", () => {
    const ev = evaluator('  - that: \'result.rps > peer(case, {"mode": "send_zc"}).rps\'\n');
    const pending = ev.check(byName("send/size=4000"), { measured: figures(1) });
    expect(pending.checks).toHaveLength(0);
    expect(pending.pending).toHaveLength(1);
    const final = ev.check(
      byName("send/size=4000"),
      { measured: figures(1) },
      pending.pending,
      true,
    );
    expect(final.checks[0]).toMatchObject({ pass: false, skipped: true });
    const missing = evaluator('  - that: result.rps > peer(case, "buffers.size", 4000).rps\n');
    const k = missing.check(byName("send/size=600"), { measured: figures(1) }).checks[0];
    expect(k).toMatchObject({ pass: false, skipped: true });
    expect(k?.reason).toBe("peer send/size=4000 was skipped");
  });

  it("compares with the baseline and computes ratio and percent", () => {
    const text =
      "  - where: has_baseline(case)\n    that: percent(result.rps, baseline(case).rps) > -5.0 && ratio(result.rps, 1000) == 600.0\n";
    const ev = evaluator(text, new Map([["send/size=600", 620000]]));
    const c = byName("send/size=600");
    expect(ev.check(c, { measured: figures(600000) }).checks[0]?.pass).toBe(true);
    expect(ev.check(c, { measured: figures(580000) }).checks[0]?.pass).toBe(false);
    expect(ev.check(byName("send/size=4000"), { measured: figures(1) }).checks).toHaveLength(0);
    const none = evaluator("  - that: result.rps > baseline(case).rps\n");
    expect(none.check(c, { measured: figures(1) }).checks[0]?.reason).toContain("--baseline");
  });

  it("reads the spread of repetitions", () => {
    const ev = evaluator(
      "  - that: result.runs == 3 && result.stddev.rps < 0.05 * result.rps && result.min.rps > 0.0\n",
    );
    const m = figures(100);
    const stats = { runs: 3, min: figures(90), max: figures(110), stddev: figures(4) };
    expect(ev.check(byName("send/size=600"), { measured: m, stats }).checks[0]?.pass).toBe(true);
    const noisy = { ...stats, stddev: figures(6) };
    expect(ev.check(byName("send/size=600"), { measured: m, stats: noisy }).checks[0]?.pass).toBe(
      false,
    );
  });
});

describe("findPeer", () => {
  const cases = matrixCases([600, 4000]);
  const self = cases.find((c) => c.name === "send_zc/size=4000") as Case;

  it("finds the case that differs in the named parameters only", () => {
    expect(findPeer(cases, self, { mode: "send" }).name).toBe("send/size=4000");
    expect(findPeer(cases, self, { "buffers.size": 600n }).name).toBe("send_zc/size=600");
    expect(findPeer(cases, self, { mode: "send", "buffers.size": 600 }).name).toBe("send/size=600");
  });

  it("says so when there is no such case", () => {
    expect(() => findPeer(cases, self, { mode: "sendto" })).toThrow(LookupError);
    expect(() => findPeer(cases, self, { mode: "sendto" })).toThrow(
      /no case of this spec has mode="sendto"/,
    );
  });

  it("refuses to make a case its own peer", () => {
    expect(() => findPeer(cases, self, { "buffers.size": 4000 })).toThrow(
      /is send_zc\/size=4000 itself/,
    );
  });
});
