import { describe, expect, it } from "vitest";
import { ExpectationEvaluator } from "../../src/assert/evaluate.js";
import type { Case } from "../../src/model/case.js";
import type { Measured } from "../../src/model/measured/measured.js";
import { toNativePlan } from "../../src/native/marshal.js";
import { readSpecText } from "../../src/spec/read.js";
import { parseRate } from "../../src/spec/units.js";
import { aggregate } from "../../src/stats/aggregate.js";
import {
  keptOf,
  LATE_FLOOR_NS,
  lateBoundNs,
  lateShareOf,
  scheduleOf,
  scheduleWarning,
} from "../../src/stats/schedule.js";
import { histogramOf } from "../helpers/latency.js";
import { caseOf, LOOPBACK4, planFor } from "../helpers/native.js";
import { figures } from "../helpers/results.js";
import { specDiagnostics, specErrors } from "../helpers/spec.js";

describe("rate: in the spec", () => {
  it("parses requests/s and byte rates per thread", () => {
    expect(parseRate(50000, 4000)).toBe(50000);
    expect(parseRate("50k/s", 4000)).toBe(50000);
    expect(parseRate("1.5M/s", 4000)).toBe(1.5e6);
    // 2 Gbit/s of 1000-byte requests: 250 MB/s, 250000 requests/s
    expect(parseRate("2Gbit/s", 1000)).toBe(250000);
    expect(parseRate("250MB/s", 1000)).toBe(250000);
    expect(parseRate("1 MiB/s", 1024)).toBe(1024);
    expect(parseRate("100kbit/s", 1250)).toBe(10);
    expect(() => parseRate("2 Gbps", 1000)).toThrow(RangeError);
  });

  it("is refused by the schema when it is no rate", () => {
    for (const bad of ["rate: -1", 'rate: "2Gb/s"', 'rate: "fast"', 'rate: "100"'])
      expect(specErrors(`version: 1\nname: t\ndefaults: { ${bad} }\n`).length, bad).toBeGreaterThan(
        0,
      );
  });

  it("defaults to unpaced, and reaches zc_plan as the ps between a thread's requests", () => {
    expect(caseOf("{}").rate).toBe(0);
    expect(toNativePlan(planFor("{}"), LOOPBACK4).interval_ps).toBe(0);
    expect(toNativePlan(planFor("{ rate: 50000 }"), LOOPBACK4).interval_ps).toBe(20e6);
    // a byte rate is divided by the request's size: 8 Mbit/s of 1000 B is 1000 requests/s
    const bytes = caseOf('{ rate: "8Mbit/s", buffers: { size: 1000 } }');
    expect(bytes.rate).toBe(1000);
    expect(
      toNativePlan(planFor('{ rate: "8Mbit/s", buffers: { size: 1000 } }'), LOOPBACK4),
    ).toMatchObject({ interval_ps: 1e9 });
  });

  it("is a matrix dimension like any other key", () => {
    const spec = readSpecText(
      "t.yaml",
      'version: 1\nname: t\nmatrix: { mode: [send], rate: [1000, "16Mbit/s"] }\n',
    );
    expect(spec.cases.map((c) => [c.name, c.rate])).toEqual([
      ["send/rate=1000", 1000],
      ["send/rate=16Mbit/s", 500],
    ]);
  });

  it("slower than one request per 1000 s per thread is an error, located", () => {
    const { list } = specDiagnostics("version: 1\nname: t\ndefaults: {\n  rate: 0.0001 }\n");
    expect(list).toEqual([
      expect.objectContaining({ code: "ZC_RATE", severity: "error", line: 4, col: 9 }),
    ]);
  });
});

describe("whether a schedule was kept", () => {
  it("bounds lateness by one batch interval, or 1 ms", () => {
    // 8 requests a batch at 1000/s: a batch every 8 ms
    expect(lateBoundNs(1000, 8)).toBe(8e6);
    expect(lateBoundNs(1e6, 8)).toBe(LATE_FLOOR_NS);
  });

  it("reads the late share from whole buckets past the bound", () => {
    // 98 on time (10 µs), 2 late (5 ms): 2 % past a 1 ms bound
    const h = histogramOf([...new Array<number>(98).fill(10000), 5e6, 5e6]);
    expect(lateShareOf(h, 1e6)).toBe(0.02);
    expect(lateShareOf(h, 1e7)).toBe(0);
    expect(lateShareOf(undefined, 1e6)).toBe(0);
  });

  it("is kept at >= 99 % achieved and <= 1 % late, not otherwise", () => {
    expect(keptOf({ achievedShare: 0.99, lateShare: 0.01 })).toBe(true);
    expect(keptOf({ achievedShare: 1.01, lateShare: 0 })).toBe(true);
    expect(keptOf({ achievedShare: 0.98, lateShare: 0 })).toBe(false);
    expect(keptOf({ achievedShare: 1, lateShare: 0.011 })).toBe(false);
  });

  it("is the figures of a paced run, none of an unpaced one", () => {
    const onTime = histogramOf(new Array<number>(100).fill(5000));
    expect(scheduleOf({ rate: 0, batch: 8, threads: 1 }, 1000, onTime)).toEqual({});
    expect(scheduleOf({ rate: 500, batch: 1, threads: 2 }, 1000, onTime)).toEqual({
      offeredRps: 1000,
      achievedShare: 1,
      lateBoundNs: 2e6,
      lateShare: 0,
      scheduleKept: true,
    });
    const behind = scheduleOf({ rate: 1e6, batch: 8, threads: 1 }, 2e5, onTime);
    expect(behind).toMatchObject({ achievedShare: 0.2, scheduleKept: false });
  });

  it("warns of a case that fell behind, and of no other", () => {
    const kept = figures(1000, {
      offeredRps: 1000,
      achievedShare: 1,
      lateShare: 0,
      scheduleKept: true,
    });
    expect(scheduleWarning(kept)).toBeUndefined();
    expect(scheduleWarning(figures(1000))).toBeUndefined();
    const behind = figures(200000, {
      offeredRps: 1e6,
      achievedShare: 0.2,
      lateBoundNs: 1e6,
      lateShare: 0.9,
      scheduleKept: false,
    });
    expect(scheduleWarning(behind)).toMatch(
      /^schedule not kept: offered 1000000 requests\/s, achieved 200000 \(20%\); 90% of requests started more than 1 ms late/,
    );
  });

  it("is judged again on the medians of repetitions", () => {
    const run = (achievedShare: number) =>
      figures(1000, {
        offeredRps: 1000,
        achievedShare,
        lateBoundNs: 1e6,
        lateShare: 0,
        scheduleKept: achievedShare >= 0.99,
      });
    // the run nearest the median rps (the first: all equal) was not kept; the median share is
    expect(aggregate([run(0.5), run(1), run(1)]).measured.scheduleKept).toBe(true);
    expect(aggregate([run(1), run(0.5), run(0.5)]).measured.scheduleKept).toBe(false);
  });
});

describe("schedule_kept in expectations", () => {
  const MATRIX = "version: 1\nname: r\nmatrix: { rate: [1000] }\nexpect:\n";
  const check = (that: string, m: Measured) => {
    const spec = readSpecText("t.yaml", `${MATRIX}  - that: ${that}\n`);
    const c = spec.cases[0] as Case;
    const ev = new ExpectationEvaluator(spec.expectations, {
      cases: spec.cases,
      result: () => undefined,
      baseline: () => undefined,
    });
    return ev.check(c, { measured: m }).checks[0];
  };
  const paced = (kept: boolean) =>
    figures(1000, {
      offeredRps: 1000,
      achievedShare: kept ? 1 : 0.5,
      lateBoundNs: 1e6,
      lateShare: 0,
      scheduleKept: kept,
    });

  it("holds where the schedule was kept, fails where it was not", () => {
    expect(check("result.schedule_kept", paced(true))).toMatchObject({ pass: true });
    expect(check("result.schedule_kept", paced(false))).toMatchObject({ pass: false });
    expect(
      check("result.offered_rps == 1000.0 && result.late_share == 0.0", paced(true)),
    ).toMatchObject({ pass: true });
  });

  it("is absent from an unpaced result, and has() tells", () => {
    expect(check('"!has(result.schedule_kept)"', figures(1000))).toMatchObject({ pass: true });
    const absent = check("result.schedule_kept", figures(1000));
    expect(absent).toMatchObject({ pass: false });
    expect(absent?.reason).toContain(
      "only a paced case (rate:) has schedule_kept: guard with where: has(result.schedule_kept)",
    );
  });
});
