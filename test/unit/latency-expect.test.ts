import { describe, expect, it } from "vitest";
import { ExpectationEvaluator } from "../../src/assert/evaluate.js";
import type { Case } from "../../src/model/case.js";
import type { Measured } from "../../src/model/measured/measured.js";
import { readSpecText } from "../../src/spec/read.js";
import { histogramOf } from "../helpers/latency.js";
import { figures } from "../helpers/results.js";
import { specDiagnostics } from "../helpers/spec.js";

const MATRIX = "version: 1\nname: lat\nmatrix: { mode: [send, send_zc] }\n";
const HEAD = `${MATRIX}expect:\n`;

const cases = readSpecText("t.yaml", MATRIX).cases;
const zc = cases.find((c) => c.name === "send_zc") as Case;
const copy = cases.find((c) => c.name === "send") as Case;

/**
 * completion: 100 requests of 1000..1099 ns, all in buckets 992.. and 1024..;
 * notif: 99 of 5000 ns (bucket [4864, 5119]) and one of 70000 ns
 * ([69632, 73727]), so p50 = p99 = 5000 (the bucket's midpoint 4991.5 is
 * below the minimum) and p999 = max = 70000.
 */
const completion = histogramOf(Array.from({ length: 100 }, (_, i) => 1000 + i));
const notif = histogramOf([...new Array<number>(99).fill(5000), 70000]);
const zerocopy = figures(450000, {
  latency: { completion, notif, pinned: notif },
  peakPinnedBytes: 32000,
});
const copying = figures(600000, { latency: { completion } });

function check(text: string, c: Case, m: Measured, baseline?: Measured) {
  const spec = readSpecText("t.yaml", `${HEAD}${text}`);
  const ev = new ExpectationEvaluator(spec.expectations, {
    cases,
    result: () => undefined,
    baseline: () => (baseline ? { measured: baseline } : undefined),
  });
  return ev.check(c, { measured: m }).checks;
}

describe("latency in expectations", () => {
  it("reads every summary of a span, in ns, and the peak of pinned bytes", () => {
    const [ok] = check(
      "  - that: result.latency.notif.p99 == 5000.0 && result.latency.notif.p999 == 70000.0 && result.latency.notif.count == 100 && result.latency.completion.p50 > 1000.0 && result.latency.completion.min == 1000 && result.latency.completion.max == 1099 && result.latency.pinned.max == 70000 && result.peak_pinned_bytes == 32000\n",
      zc,
      zerocopy,
    );
    expect(ok).toMatchObject({ pass: true });
    const [late] = check("  - that: result.latency.notif.p99 < 4000.0\n", zc, zerocopy);
    expect(late).toMatchObject({ pass: false, values: { "result.latency.notif.p99": "5000" } });
    const [mean] = check("  - that: result.latency.completion.mean == 1049.5\n", zc, zerocopy);
    expect(mean?.pass).toBe(true);
  });

  it("fails an expectation on a span the case did not time, saying how to guard it", () => {
    const [k] = check("  - that: result.latency.notif.p99 < 1000000.0\n", copy, copying);
    expect(k).toMatchObject({ pass: false });
    expect(k?.skipped).toBeUndefined();
    expect(k?.reason).toBe(
      "cannot evaluate result.latency.notif.p99 < 1000000.0: No such key: notif (no notif latency in this result (only zerocopy requests are notified; over() gives none): guard with where: has(result.latency.notif))",
    );
    const guarded =
      "  - where: has(result.latency.notif)\n    that: result.latency.notif.p99 < 1000000.0\n";
    expect(check(guarded, copy, copying)).toEqual([]);
    expect(check(guarded, zc, zerocopy)[0]?.pass).toBe(true);
  });

  it("refuses a misspelt span or summary when the spec is read", () => {
    const { list } = specDiagnostics(
      `${HEAD}  - that: result.latency.notf.p99 > 0.0\n  - that: result.latency.notif.coutn > 0.0\n`,
    );
    expect(list.map((d) => [d.code, d.line, d.hint])).toEqual([
      ["ZC_EXPECT_COMPILE", 5, 'did you mean "notif"?'],
      ["ZC_EXPECT_COMPILE", 6, 'did you mean "count"?'],
    ]);
  });

  it("reads a baseline saved before latency was measured, which has none", () => {
    const { latency, ...old } = figures(400000);
    const text =
      "  - that: result.rps > baseline(case).rps\n  - that: baseline(case).latency.notif.p99 > 0.0\n";
    const [rate, span] = check(text, zc, zerocopy, old as Measured);
    expect(rate?.pass).toBe(true);
    expect(span?.reason).toContain("No such key: notif (no notif latency in this result");
  });

  it("reads a GSO case's segments and their rate; a case without GSO has none", () => {
    const gso = figures(100000, { segments: 4500000, segmentsPerSecond: 4500000 });
    const text =
      "  - that: result.segments == 45.0 * result.requests && result.segments_per_second > 4e6\n";
    expect(check(text, zc, { ...gso, requests: 100000 })[0]?.pass).toBe(true);
    const [plain] = check(text, zc, figures(100000));
    expect(plain?.pass).toBe(false);
    expect(plain?.reason).toContain("segments");
  });
});
