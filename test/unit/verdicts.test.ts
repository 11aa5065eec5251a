import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { baselineCheck, baselineDiff, indexBaseline } from "../../src/assert/baseline.js";
import { type CaseFigures, ExpectationEvaluator } from "../../src/assert/evaluate.js";
import type { Case } from "../../src/model/case.js";
import { type Check, isFailure, isUndecided } from "../../src/model/check.js";
import type { Measured } from "../../src/model/measured/measured.js";
import type { SuiteResult } from "../../src/model/results.js";
import { jsonFormat } from "../../src/report/formats/json.js";
import { junitFormat } from "../../src/report/formats/junit.js";
import { validateResults } from "../../src/runner/results-file.js";
import { suiteVerdict } from "../../src/runner/run-suite.js";
import { readSpecText } from "../../src/spec/read.js";
import { formatDiagnostic } from "../../src/spec/source/frame.js";
import { caseResult, ENVIRONMENT, figures, matrixCases } from "../helpers/results.js";
import { EXPECT_HEAD, specDiagnostics } from "../helpers/spec.js";

const HEAD = EXPECT_HEAD;

const diagnostics = (text: string) => specDiagnostics(`${HEAD}${text}`);

describe("verdict helpers when the spec is read", () => {
  it("accepts faster(), cheaper() as a whole `that`, with a factor, and ratio_interval() bounds", () => {
    const spec = readSpecText(
      "t.yaml",
      `${HEAD}  - where: case.mode == "send_zc"
    that: faster(result, peer(case, "mode", "send"))
  - that: cheaper(result, peer(case, "mode", "send"), 1.5)
  - that: ratio_interval(result, peer(case, "mode", "send"), "rps").low > 1.2
  - that: ratio(result.rps, 2.0) > 0.0
`,
    );
    expect(spec.expectations).toHaveLength(4);
  });

  it("refuses a verdict helper inside an expression, at its line and column, with a hint", () => {
    const { list, error } = diagnostics(
      '  - that: result.errors == 0 && faster(result, peer(case, "mode", "send"))\n',
    );
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ code: "ZC_EXPECT_TYPE", line: 7, col: 33 });
    const text = formatDiagnostic(list[0] as never, error.sources.get("t.yaml"));
    expect(text).toContain(
      "t.yaml:7:33 error[ZC_EXPECT_TYPE]: that: faster() gives a verdict (held, failed or inconclusive), not a boolean: it must be the whole expression",
    );
    expect(text).toContain('write it alone (`that: faster(result, peer(case, "mode", "send"))`)');
    expect(text).toContain("ratio_interval(");
  });

  it("refuses a negated verdict, one in a where, and a figure ratio_interval() does not know", () => {
    const { list } = diagnostics(
      `  - that: '!cheaper(result, peer(case, "mode", "send"))'
  - where: faster(result, peer(case, "mode", "send"))
    that: result.errors == 0
  - that: ratio_interval(result, peer(case, "mode", "send"), "rsp").low > 1.0
`,
    );
    expect(list.map((d) => [d.code, d.line, d.col])).toEqual([
      ["ZC_EXPECT_TYPE", 7, 13],
      ["ZC_EXPECT_TYPE", 8, 12],
      ["ZC_EXPECT_COMPILE", 10, 62],
    ]);
    expect(list[1]?.message).toContain("where: faster() gives a verdict");
    expect(list[2]?.hint).toBe('did you mean "rps"?');
  });
});

/**
 * Per-round log ratios x with a mean and a standard deviation easy to take
 * by hand: the interval is exp(mean ± t(0.975, 2) · sd / √3), t = 4.302653.
 * - x = 0.20, 0.25, 0.30: mean 0.25, sd 0.05, half-width 0.124207
 *   -> ratio e^0.25 = 1.28403, interval [e^0.125793, e^0.374207] = [1.13405, 1.45384]: held
 * - x = 0.10, 0.20, 0.30: mean 0.20, sd 0.10, half-width 0.248414
 *   -> [e^-0.048414, e^0.448414] = [0.95274, 1.56583]: straddles 1, inconclusive
 * - x = -0.30, -0.25, -0.20: [e^-0.374207, e^-0.125793] = [0.68783, 0.88180]: failed
 * (R: exp(t.test(x)$conf.int).)
 */
const HELD = [0.2, 0.25, 0.3];
const STRADDLES = [0.1, 0.2, 0.3];
const BELOW = [-0.3, -0.25, -0.2];

describe("faster(), cheaper() and ratio_interval() on paired rounds", () => {
  const cases = matrixCases();
  const byName = (n: string) => cases.find((c) => c.name === n) as Case;
  const zc = byName("send_zc/size=600");
  // the copying case's rate moves from round to round; send_zc's moves with it
  const copyRps = new Map([
    [1, 100000],
    [2, 200000],
    [3, 50000],
  ]);

  /** send's repetitions listed in round order 3, 1, 2: only pairing by round gets them right */
  const copy: CaseFigures = {
    measured: figures(100000),
    runs: [3, 1, 2].map((r) => figures(copyRps.get(r) as number)),
    rounds: [3, 1, 2],
  };
  const zerocopy = (logs: number[], over: (i: number) => Partial<Measured> = () => ({})) => ({
    measured: figures(100000),
    runs: logs.map((x, i) => figures((copyRps.get(i + 1) as number) * Math.exp(x), over(i))),
    rounds: [1, 2, 3],
  });

  function evaluate(that: string, mine: CaseFigures, peer: CaseFigures = copy): Check {
    const spec = readSpecText("t.yaml", `${HEAD}  - name: zc\n    that: ${that}\n`);
    const ev = new ExpectationEvaluator(spec.expectations, {
      cases,
      result: (name) => (name === "send/size=600" ? peer : "was skipped"),
      baseline: (name) => (name === zc.name ? copy : undefined),
      baselineFile: "base.json",
    });
    return ev.check(zc, mine).checks[0] as Check;
  }
  const FASTER = 'faster(result, peer(case, "mode", "send"))';

  it("holds when the interval of the paired ratio lies wholly above 1", () => {
    const k = evaluate(FASTER, zerocopy(HELD));
    expect(k).toMatchObject({ pass: true, verdict: "held", kind: "expect" });
    expect(k.interval?.value).toBeCloseTo(1.2840254, 6);
    expect(k.interval?.low).toBeCloseTo(1.1340475, 6);
    expect(k.interval?.high).toBeCloseTo(1.4538379, 6);
    expect(k.interval).toMatchObject({ level: 0.95, n: 3, method: "paired-t-log" });
    expect(k.reason).toBeUndefined();
    expect(isFailure(k)).toBe(false);
  });

  it("fails when it lies wholly below, and is inconclusive when it straddles 1", () => {
    const failed = evaluate(FASTER, zerocopy(BELOW));
    expect(failed).toMatchObject({ pass: false, verdict: "failed" });
    expect(failed.reason).toBe(
      `${FASTER} is failed: requests/s ratio 0.779 (95 % CI 0.688–0.882, 3 paired rounds) is below 1`,
    );
    expect(isFailure(failed)).toBe(true);
    const open = evaluate(FASTER, zerocopy(STRADDLES));
    expect(open).toMatchObject({ pass: false, verdict: "inconclusive" });
    expect(open.interval?.low).toBeCloseTo(0.9527395, 6);
    expect(open.interval?.high).toBeCloseTo(1.5658265, 6);
    expect(open.reason).toBe(
      `${FASTER} is inconclusive: requests/s ratio 1.22 (95 % CI 0.953–1.57, 3 paired rounds) straddles 1`,
    );
    expect(isFailure(open)).toBe(false);
    expect(isUndecided(open)).toBe(true);
  });

  it("states a factor: faster by 1.2 holds only when the whole interval is above 1.2", () => {
    expect(
      evaluate(`faster(result, peer(case, "mode", "send"), 1.1)`, zerocopy(HELD)).verdict,
    ).toBe("held");
    expect(
      evaluate(`faster(result, peer(case, "mode", "send"), 1.2)`, zerocopy(HELD)).verdict,
    ).toBe("inconclusive");
    expect(evaluate(`faster(result, peer(case, "mode", "send"), 2)`, zerocopy(HELD)).verdict).toBe(
      "failed",
    );
  });

  it("has no verdict from one repetition", () => {
    const single = { measured: figures(150000) };
    const k = evaluate(FASTER, single, { measured: figures(100000) });
    expect(k).toMatchObject({ pass: false, verdict: "inconclusive" });
    expect(k.interval).toMatchObject({ value: 1.5, level: 0, n: 1 });
    expect(k.reason).toContain("no verdict without repetitions (repeat: 5 or more)");
  });

  it("cheaper() judges CPU per request, lower is better", () => {
    // send's CPU per request 1000 ns in every round; send_zc's 1000·e^-x
    const cpu = (logs: number[]) =>
      zerocopy([0, 0, 0], (i) => ({ cpuNsPerRequest: 1000 * Math.exp(-(logs[i] as number)) }));
    const CHEAPER = 'cheaper(result, peer(case, "mode", "send"))';
    const held = evaluate(CHEAPER, cpu(HELD));
    expect(held).toMatchObject({ pass: true, verdict: "held" });
    expect(held.interval?.high).toBeCloseTo(1 / 1.1340475, 6);
    expect(evaluate(CHEAPER, cpu(BELOW)).verdict).toBe("failed");
    expect(evaluate(CHEAPER, cpu(STRADDLES)).verdict).toBe("inconclusive");
    // cheaper by a factor 1.1: the ratio must be below 1/1.1 = 0.909
    expect(evaluate('cheaper(result, peer(case, "mode", "send"), 1.1)', cpu(HELD)).verdict).toBe(
      "held",
    );
  });

  it("cheaper(a, b, \"machine\") judges the whole machine's CPU per request, the sender's by default", () => {
    // the machine's CPU falls with send_zc (2000·e^-x against send's 2000 ns) while the
    // sender threads' rises (1000·e^x): the two figures give opposite verdicts
    const both = (logs: number[]) =>
      zerocopy([0, 0, 0], (i) => ({
        cpuNsPerRequest: 1000 * Math.exp(logs[i] as number),
        machineCpuNsPerRequest: 2000 * Math.exp(-(logs[i] as number)),
      }));
    const machineCopy: CaseFigures = {
      ...copy,
      runs: copy.runs?.map((m) => ({ ...m, machineCpuNsPerRequest: 2000 })) ?? [],
    };
    const PEER = 'peer(case, "mode", "send")';
    const judged = (that: string) => evaluate(that, both(HELD), machineCopy);
    expect(judged(`cheaper(result, ${PEER}, "machine")`).verdict).toBe("held");
    expect(judged(`cheaper(result, ${PEER}, "machine")`).interval?.high).toBeCloseTo(
      1 / 1.1340475,
      6,
    );
    expect(judged(`cheaper(result, ${PEER}, "machine", 1.1)`).verdict).toBe("held");
    expect(judged(`cheaper(result, ${PEER}, "machine", 1.2)`).verdict).toBe("inconclusive");
    expect(judged(`cheaper(result, ${PEER})`).verdict).toBe("failed");
    expect(judged(`cheaper(result, ${PEER}, "sender")`).verdict).toBe("failed");
    const machineFailed = evaluate(`cheaper(result, ${PEER}, "machine")`, both(BELOW), machineCopy);
    expect(machineFailed.reason).toMatch(/is failed: CPU per request \(whole machine\) ratio/);
    const unknown = judged(`cheaper(result, ${PEER}, "receiver")`);
    expect(unknown.pass).toBe(false);
    expect(unknown.reason).toContain(
      'cheaper() judges the figure "sender" or "machine", not "receiver"',
    );
  });

  it("reads TCP's view and the machine's CPU under their expression names", () => {
    const tcp = {
      connections: 1,
      rttUs: 40000,
      rttvarUs: 2000,
      sndCwnd: 10,
      sndMss: 65483,
      unacked: 3,
      lost: 0,
      retrans: 0,
      retransBytes: 0,
      deliveryRate: 1e9,
      notsentBytes: 0,
      inFlightBytes: 12000,
      busyUs: 1e6,
      rwndLimitedUs: 0,
      sndbufLimitedUs: 0,
    };
    const mine = {
      measured: figures(100000, { tcp, machineCpuNsPerRequest: 2500, softirqShare: 0.25 }),
    };
    const ok = evaluate(
      "result.tcp_rtt_us == 40000 && result.tcp_unacked == 3 && result.tcp_in_flight_bytes == 12000 && result.machine_cpu_ns_per_request > result.cpu_ns_per_request && result.softirq_share == 0.25",
      mine,
    );
    expect(ok).toMatchObject({ pass: true });
    // a UDP case has no TCP figures: reading one fails, with the has() hint
    const udp = evaluate("result.tcp_rtt_us < 1000", { measured: figures(100000) });
    expect(udp.pass).toBe(false);
  });

  it("ratio_interval() exposes the bounds to a plain, two-valued comparison", () => {
    const ok = evaluate(
      'ratio_interval(result, peer(case, "mode", "send"), "rps").low > 1.1',
      zerocopy(HELD),
    );
    expect(ok).toMatchObject({ pass: true });
    expect(ok.verdict).toBeUndefined();
    const no = evaluate(
      'ratio_interval(result, peer(case, "mode", "send"), "rps").low > 1.2',
      zerocopy(HELD),
    );
    expect(no.pass).toBe(false);
    expect(no.verdict).toBeUndefined();
    expect(no.values).toEqual({
      'ratio_interval(result, peer(case, "mode", "send"), "rps").low': "1.134",
    });
  });

  it("compares with a baseline unpaired: faster(result, baseline(case))", () => {
    // the baseline's runs are send's: 50000, 100000, 200000 against 150000 ... 250000
    const now = {
      measured: figures(200000),
      runs: [150000, 200000, 250000].map((v) => figures(v)),
    };
    const k = evaluate("faster(result, baseline(case))", now);
    expect(k.interval?.method).toBe("rank-sum-log");
    // 3 and 3 runs: [min, max] of the nine cross ratios at 90 %
    expect(k.interval?.low).toBeCloseTo(150000 / 200000, 9);
    expect(k.interval?.high).toBeCloseTo(250000 / 50000, 9);
    expect(k.interval?.level).toBeCloseTo(0.9, 9);
    expect(k.verdict).toBe("inconclusive");
  });

  it("leaves every other expectation two-valued as before", () => {
    const k = evaluate("result.rps > 0.0", zerocopy(HELD));
    expect(k).toMatchObject({ pass: true });
    expect(k).not.toHaveProperty("verdict");
  });
});

describe("over(): a relation between two relations, round by round", () => {
  const cases = matrixCases();
  const zc4000 = cases.find((c) => c.name === "send_zc/size=4000") as Case;
  // CPU per request by case and round: send 1000 ns everywhere; send_zc at
  // 600 B e^-0.5 of that in every round, at 4000 B a further e^-x_r (x = HELD)
  const rounds = [2, 3, 1];
  const cpu: Record<string, (round: number) => number> = {
    "send/size=600": () => 1000,
    "send/size=4000": () => 1000,
    "send_zc/size=600": () => 1000 * Math.exp(-0.5),
    "send_zc/size=4000": (r) => 1000 * Math.exp(-0.5 - (HELD[r - 1] as number)),
  };
  const of = (name: string): CaseFigures => ({
    measured: figures(1000),
    runs: rounds.map((r) =>
      figures(1000, { cpuNsPerRequest: (cpu[name] as (r: number) => number)(r) }),
    ),
    rounds,
  });

  it("judges send_zc's relative CPU cost at 4000 B against the same at 600 B", () => {
    const spec = readSpecText(
      "t.yaml",
      `${HEAD}  - that: >-
      cheaper(over(result, peer(case, {"mode": "send"})),
      over(peer(case, {"buffers.size": 600}), peer(case, {"mode": "send", "buffers.size": 600})))
  - that: over(result, peer(case, "mode", "send")).cpu_ns_per_request < 0.5
`,
    );
    const ev = new ExpectationEvaluator(spec.expectations, {
      cases,
      result: (name) => of(name),
      baseline: () => undefined,
    });
    const [growth, plain] = ev.check(zc4000, of(zc4000.name)).checks as [Check, Check];
    // per round (e^-0.5-x / 1) / (e^-0.5 / 1) = e^-x: the interval of HELD, inverted
    expect(growth).toMatchObject({ pass: true, verdict: "held" });
    expect(growth.interval?.value).toBeCloseTo(1 / 1.2840254, 6);
    expect(growth.interval?.low).toBeCloseTo(1 / 1.4538379, 6);
    expect(growth.interval?.high).toBeCloseTo(1 / 1.1340475, 6);
    // over()'s figures are the medians of the per-round ratios: e^-0.75
    expect(plain.pass).toBe(true);
  });
});

describe("an inconclusive check: reported, not a failure, fatal under --strict", () => {
  const [send] = matrixCases() as [Case];
  const suite = (checks: Check[]): SuiteResult => ({
    runs: [
      {
        spec: "t",
        file: "t.yaml",
        results: [caseResult(send, { measured: figures(100), checks })],
        startedAt: "2026-01-01T00:00:00.000Z",
        elapsedMs: 1,
        environment: ENVIRONMENT,
      },
    ],
    startedAt: "2026-01-01T00:00:00.000Z",
    elapsedMs: 1,
    partial: false,
  });
  const open: Check = {
    name: "zc is faster",
    kind: "expect",
    pass: false,
    verdict: "inconclusive",
    interval: { value: 1.02, low: 0.97, high: 1.07, level: 0.95, n: 5, method: "paired-t-log" },
    reason:
      "faster(...) is inconclusive: requests/s ratio 1.02 (95 % CI 0.97–1.07, 5 paired rounds) straddles 1",
  };

  it("isFailure and suiteVerdict, with and without --strict", () => {
    expect(isFailure(open)).toBe(false);
    expect(suiteVerdict(suite([open]))).toBe("ok");
    expect(suiteVerdict(suite([open]), true)).toBe("failed");
    const held: Check = { ...open, pass: true, verdict: "held" };
    expect(suiteVerdict(suite([held]), true)).toBe("ok");
    const failed: Check = { ...open, verdict: "failed" };
    expect(suiteVerdict(suite([failed]))).toBe("failed");
  });

  it("the results JSON carries verdict and interval, and its schema checks them", () => {
    const doc = JSON.parse(jsonFormat.render(suite([open])) as string);
    expect(validateResults(doc)).toEqual([]);
    expect(doc.runs[0].results[0].checks[0]).toMatchObject({
      verdict: "inconclusive",
      interval: { low: 0.97, high: 1.07, method: "paired-t-log" },
    });
    doc.runs[0].results[0].checks[0].verdict = "maybe";
    expect(validateResults(doc).join("\n")).toContain("verdict");
  });

  it("JUnit marks the case skipped with the interval, and counts it", () => {
    const xml = junitFormat.render(suite([open])) as string;
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
    expect(doc.testsuites).toMatchObject({ tests: "1", failures: "0", skipped: "1" });
    const tc = doc.testsuites.testsuite.testcase;
    expect(tc.skipped.message).toBe(
      'expectation "zc is faster" inconclusive: faster(...) is inconclusive: requests/s ratio 1.02 (95 % CI 0.97–1.07, 5 paired rounds) straddles 1',
    );
    expect(tc["system-out"]).toContain("inconclusive");
  });
});

describe("--baseline on intervals", () => {
  const runs = (...rps: number[]): CaseFigures => ({
    measured: figures([...rps].sort((a, b) => a - b)[rps.length >> 1] as number),
    runs: rps.map((v) => figures(v)),
  });
  const base = runs(100, 102, 104, 106, 108);

  it("a regression is one only when the whole interval is beyond the tolerance", () => {
    // every ratio now/base of 80..88 against 100..108 is below 0.9: wholly below 0.95
    const slow = baselineCheck(runs(80, 82, 84, 86, 88), base, 0.05);
    expect(slow).toMatchObject({ pass: false, verdict: "failed", kind: "baseline" });
    expect(slow.interval?.method).toBe("rank-sum-log");
    expect(slow.reason).toMatch(/^requests\/s regressed 19\.\d% against the baseline: /);
    expect(isFailure(slow)).toBe(true);
    // the same runs: ratio about 1, interval well above 0.95
    expect(baselineCheck(runs(101, 103, 105, 107, 109), base, 0.05)).toMatchObject({
      pass: true,
      verdict: "held",
    });
    // 4 % slower on a spread of ±4 %: the interval straddles 0.95
    const maybe = baselineCheck(runs(96, 98, 100, 102, 104), base, 0.05);
    expect(maybe).toMatchObject({ pass: false, verdict: "inconclusive" });
    expect(maybe.reason).toContain("straddles 0.95 (tolerance 5.0%)");
    expect(isFailure(maybe)).toBe(false);
  });

  it("single runs compare the two figures as before", () => {
    const one = (v: number): CaseFigures => ({ measured: figures(v) });
    expect(baselineCheck(one(96), one(100), 0.05)).toEqual({
      name: "baseline requests/s",
      pass: true,
      kind: "baseline",
    });
    const k = baselineCheck(one(90), one(100), 0.05);
    expect(k).toMatchObject({ pass: false });
    expect(k.verdict).toBeUndefined();
    expect(k.reason).toContain("regressed 10.0%");
  });

  it("the diff table says regressed, no change, improved or inconclusive", () => {
    const [send] = matrixCases() as [Case];
    const result = (f: CaseFigures) =>
      caseResult(send, { measured: f.measured, runs: f.runs as Measured[] });
    const run = (f: CaseFigures) => ({
      spec: "t",
      file: "t.yaml",
      results: [result(f)],
      startedAt: "",
      elapsedMs: 0,
      environment: ENVIRONMENT,
    });
    const saved = indexBaseline("base.json", {
      runs: [run(base)],
      startedAt: "",
      elapsedMs: 0,
      partial: false,
    });
    const verdictOf = (f: CaseFigures) => baselineDiff([run(f)], saved, 0.05)[0]?.verdict;
    expect(verdictOf(runs(80, 82, 84, 86, 88))).toBe("regressed");
    expect(verdictOf(runs(101, 103, 105, 107, 109))).toBe("no change");
    expect(verdictOf(runs(96, 98, 100, 102, 104))).toBe("inconclusive");
    expect(verdictOf(runs(120, 122, 124, 126, 128))).toBe("improved");
    expect(baselineDiff([run(runs(80, 82, 84, 86, 88))], saved, 0.05)[0]?.changePct).toBeCloseTo(
      (84 / 104 - 1) * 100,
      6,
    );
  });
});
