import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseRepeat } from "../../src/cli/values.js";
import { parseProcStat, readProcStat, stealShare } from "../../src/env/procstat.js";
import type { Case } from "../../src/model/case.js";
import { consoleReporter } from "../../src/report/console/console.js";
import { mulberry32, roundOrder } from "../../src/runner/rounds.js";
import { readSpecText } from "../../src/spec/read.js";
import {
  estimatesOf,
  nextRound,
  type RepetitionState,
  tightEnough,
  wantsMore,
} from "../../src/stats/estimates.js";
import { medianInterval } from "../../src/stats/interval.js";
import { DISTURBED, disturbedWarning, judgeNoise } from "../../src/stats/noise.js";
import { caseResult, figures, matrixCases } from "../helpers/results.js";
import { specErrors } from "../helpers/spec.js";

describe("the rounds' order", () => {
  it("is the same for the same seed, and runs every case once per round", () => {
    for (const seed of [0, 1, 42, 2 ** 32 - 1]) {
      for (let round = 1; round <= 20; round++) {
        const order = roundOrder(seed, round, 7);
        expect(roundOrder(seed, round, 7)).toEqual(order);
        expect([...order].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      }
    }
  });

  it("changes from round to round and from seed to seed", () => {
    const rounds = (seed: number) =>
      Array.from({ length: 10 }, (_, r) => roundOrder(seed, r + 1, 6).join(""));
    // 720 orders of 6 cases: ten rounds drawing fewer than 5 different ones would be a broken shuffle
    expect(new Set(rounds(7)).size).toBeGreaterThanOrEqual(5);
    expect(rounds(7)).not.toEqual(rounds(8));
  });

  it("puts every case first about equally often", () => {
    const first = [0, 0, 0, 0];
    for (let round = 1; round <= 4000; round++) {
      const i = roundOrder(123, round, 4)[0] as number;
      first[i] = (first[i] as number) + 1;
    }
    // 1000 expected each; 4 sigma of Binomial(4000, 1/4) is about 110
    for (const n of first) expect(Math.abs(n - 1000)).toBeLessThan(110);
  });

  it("draws from a generator that repeats its sequence for a seed", () => {
    const a = mulberry32(99);
    const b = mulberry32(99);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

const PROC_STAT = `cpu  103746 12 68564 160122 3909 0 4082 250 17 0
cpu0 50254 0 33459 82849 1631 0 2017 125 0 0
cpu1 53491 12 35105 77272 2277 0 2064 125 17 0
intr 1980914 0 0 0
ctxt 5367119
btime 1795941314
processes 59926
procs_running 3
procs_blocked 1
`;

describe("/proc/stat", () => {
  it("sums the aggregate cpu line up to steal (guest time is inside user) and reads procs_running", () => {
    expect(parseProcStat(PROC_STAT)).toEqual({
      total: 103746 + 12 + 68564 + 160122 + 3909 + 0 + 4082 + 250,
      steal: 250,
      procsRunning: 3,
    });
  });

  it("reads a kernel without a steal column as no steal, and refuses text without a cpu line", () => {
    expect(parseProcStat("cpu  10 0 10 80 0 0 0\nprocs_running 1\n")).toEqual({
      total: 100,
      steal: 0,
      procsRunning: 1,
    });
    expect(() => parseProcStat("procs_running 1\n")).toThrow(/no aggregate cpu line/);
    expect(readProcStat("/nonexistent/stat")).toBeUndefined();
  });

  it("gives the steal share between two readings", () => {
    const before = { total: 1000, steal: 10, procsRunning: 1 };
    expect(stealShare(before, { total: 2000, steal: 110, procsRunning: 2 })).toBeCloseTo(0.1);
    expect(stealShare(before, before)).toBe(0);
  });
});

describe("noise per repetition", () => {
  const busy = (share: number, vol = 0, invol = 3) =>
    figures(1e6, {
      volCtxsw: vol,
      involCtxsw: invol,
      threads: [{ ...figures(1e6), elapsedNs: 1e8, userNs: 0, sysNs: share * 1e8 }],
    });
  const sample = { round: 2, position: 1, steal: 0, otherRunnable: [0, 1, 0], cores: 2 };

  it("is undisturbed when the sender had its core", () => {
    const n = judgeNoise({ ...sample, measured: busy(0.97) });
    expect(n).toMatchObject({ round: 2, position: 1, disturbed: false, involCtxsw: 3 });
    expect(n.cpuShare).toBeCloseTo(0.97);
    expect(n.otherRunnable).toBeCloseTo(1 / 3);
    expect(n.why).toBeUndefined();
  });

  it("says what disturbed it: a lost core, steal, a crowded machine", () => {
    const lost = judgeNoise({ ...sample, measured: busy(0.6) });
    expect(lost).toMatchObject({ disturbed: true, why: "sender got 60 % of a core" });
    const stolen = judgeNoise({ ...sample, steal: 0.12, measured: busy(0.97) });
    expect(stolen.why).toBe("steal 12 %");
    const crowded = judgeNoise({ ...sample, otherRunnable: [2, 3], measured: busy(0.97) });
    expect(crowded.why).toBe("2.5 other runnable tasks for 1 free core(s)");
    expect(DISTURBED.otherRunnableAbove(2, 1)).toBe(1);
  });

  it("does not count a sender that slept by itself (voluntary switches) as disturbed", () => {
    expect(judgeNoise({ ...sample, measured: busy(0.5, 900, 3) }).disturbed).toBe(false);
  });

  it("sums the disturbed repetitions up in one warning", () => {
    const quiet = judgeNoise({ ...sample, measured: busy(0.97) });
    const stolen = judgeNoise({ ...sample, round: 4, steal: 0.12, measured: busy(0.97) });
    expect(disturbedWarning([quiet, quiet])).toBeUndefined();
    expect(disturbedWarning([quiet, stolen, quiet])).toBe(
      "1 of 3 repetition(s) disturbed: steal 12 % (round 4)",
    );
  });
});

describe("adaptive repetition's stopping rule", () => {
  const runs = (rps: number[]) => rps.map((r) => figures(r, { cpuNsPerRequest: 1000 }));
  const state = (rps: number[], over: Partial<RepetitionState> = {}): RepetitionState => ({
    n: rps.length,
    min: 3,
    adaptive: { max: 10, until: 0.03 },
    ...(rps.length >= 2 ? { estimates: estimatesOf(runs(rps)) } : {}),
    ...over,
  });
  const tight = [100, 101, 99, 100, 102, 98, 100];
  const loose = [100, 150, 60, 100, 130, 80, 100];

  it("never calls an interval from fewer than 6 runs tight, however narrow", () => {
    expect(tightEnough(medianInterval([100, 100, 100, 100, 100]), 0.5)).toBe(false);
    expect(tightEnough(medianInterval([100, 100, 100, 100, 100, 100]), 0.03)).toBe(true);
  });

  it("goes on below min, and while an adaptive case is loose under max", () => {
    expect(nextRound([state([100, 100])])).toEqual({ go: true });
    expect(wantsMore(state(loose))).toBe(true);
    expect(nextRound([state(tight), state(loose)])).toEqual({ go: true });
  });

  it("stops when every interval is tight, saying so", () => {
    expect(nextRound([state(tight), state(tight.map((x) => x * 2))])).toEqual({
      go: false,
      stoppedBy: "until",
    });
  });

  it("stops at max when the goal was not reached, and at the count without adaptive cases", () => {
    const atMax = state(loose, { adaptive: { max: 7, until: 0.03 } });
    expect(nextRound([state(tight), atMax])).toEqual({ go: false, stoppedBy: "max" });
    const fixed = { n: 3, min: 3 };
    expect(nextRound([fixed])).toEqual({ go: false, stoppedBy: "count" });
    expect(nextRound([])).toEqual({ go: false, stoppedBy: "count" });
  });

  it("waits on CPU per request as well as requests/s", () => {
    const s = state(tight);
    const cpu = runs(tight).map((m, i) => ({ ...m, cpuNsPerRequest: loose[i] as number }));
    expect(wantsMore({ ...s, estimates: estimatesOf(cpu) })).toBe(true);
  });
});

describe("repeat in the spec and on the command line", () => {
  const spec = (repeat: string) =>
    `version: 1\nname: t\norder: sequential\ndefaults:\n  repeat: ${repeat}\n`;
  const errors = (text: string) => specErrors(text);

  it("resolves the adaptive form into the count that always runs plus max and until", () => {
    const s = readSpecText("t.yaml", spec("{ min: 4, max: 12, until: 2.5% }"));
    expect(s.order).toBe("sequential");
    expect(s.cases[0]).toMatchObject({ repeat: 4, adaptive: { max: 12, until: 0.025 } });
    const [c] = readSpecText("t.yaml", spec("{ until: 0.05 }")).cases;
    expect(c).toMatchObject({ repeat: 3, adaptive: { max: 30, until: 0.05 } });
    const [plain] = readSpecText("t.yaml", "version: 1\nname: t\n").cases;
    expect(plain?.repeat).toBe(1);
    expect(plain?.adaptive).toBeUndefined();
  });

  it("points at what is wrong in the adaptive form", () => {
    expect(errors(spec("{ min: 5, max: 3, until: 3% }"))).toMatchObject([
      { code: "ZC_RANGE", line: 5, col: 11, message: "repeat.min (5) is more than repeat.max (3)" },
    ]);
    expect(errors(spec("{ min: 3, max: 30 }"))).toMatchObject([
      {
        code: "ZC_MISSING_KEY",
        line: 5,
        message: 'missing required key "until" in defaults.repeat',
      },
    ]);
    expect(errors(spec("{ min: 3, max: 30, until: 0% }"))).toMatchObject([
      { code: "ZC_RANGE", line: 5 },
    ]);
    expect(errors(spec("{ min: 3, max: 30, until: 3 }"))).toMatchObject([
      { code: "ZC_FORMAT", line: 5, col: 37 },
    ]);
    expect(errors(spec("{ min: 3, mx: 30, until: 3% }"))).toMatchObject([
      { code: "ZC_UNKNOWN_KEY", col: 21, hint: 'did you mean "max"?' },
    ]);
    expect(errors("version: 1\nname: t\norder: shuffled\n")).toMatchObject([
      { code: "ZC_BAD_VALUE", line: 3 },
    ]);
  });

  it("reads --repeat as a count or MIN..MAX@PCT", () => {
    expect(parseRepeat("5")).toEqual({ repeat: 5 });
    expect(parseRepeat("3..30@3%")).toEqual({ repeat: 3, adaptive: { max: 30, until: 0.03 } });
    expect(parseRepeat("6..8@0.5")).toEqual({ repeat: 6, adaptive: { max: 8, until: 0.5 } });
    for (const bad of ["0", "3..30", "30..3@3%", "3..30@0%", "many"])
      expect(() => parseRepeat(bad)).toThrow(/--repeat/);
  });
});

describe("the console in rounds", () => {
  it("names the round in every repetition's line and the seed at the start", () => {
    let text = "";
    const err = new Writable({
      write(chunk, _enc, done) {
        text += chunk.toString();
        done();
      },
    });
    const r = consoleReporter({ out: err, err, live: false, colour: false });
    const [a, b] = matrixCases() as [Case, Case];
    const rounds = { order: "interleaved" as const, seed: 42, rounds: 5, adaptive: false };
    r.onRunStart?.({ name: "t", file: "t.yaml", cases: [a, b], rounds });
    r.onCaseStart?.(b, 1, 2);
    const at = { round: 1, rounds: 5, adaptive: false, position: 1, of: 2, index: 1, total: 2 };
    r.onRepetitionStart?.(b, at);
    r.onCaseStart?.(a, 0, 2);
    r.onRepetitionStart?.(a, { ...at, position: 2, index: 0 });
    r.onRepetitionStart?.(a, { ...at, round: 2, index: 0, adaptive: true, rounds: 30 });
    r.onCaseEnd?.(caseResult(b, { measured: figures(1000), runs: [figures(900), figures(1100)] }));
    expect(text).toBe(
      [
        "t.yaml: t, 2 case(s), 5 rounds interleaved (seed 42)",
        "round 1/5 [2/2] send/size=4000 ...",
        "round 1/5 [1/2] send/size=600 ...",
        "round 2/≤30 [1/2] send/size=600 ...",
        "[2/2] send/size=4000: passed, 1,000 requests/s (median of 2 runs)",
        "",
      ].join("\n"),
    );
  });
});
