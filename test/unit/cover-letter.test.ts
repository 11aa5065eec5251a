import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Case } from "../../src/model/case.js";
import type { CaseResult, RunResult } from "../../src/model/results.js";
import {
  coverLetterFormat,
  renderCoverLetter,
  V6_FOOTNOTE,
} from "../../src/report/cover-letter/cover-letter.js";
import { crossover } from "../../src/report/cover-letter/crossover.js";
import { percentOver } from "../../src/report/cover-letter/table.js";
import { FORMATS } from "../../src/report/index.js";
import { readSpec } from "../../src/spec/read.js";
import { pairedRatio } from "../../src/stats/interval.js";
import { ROOT } from "../helpers/env.js";
import { caseResult, ENVIRONMENT, figures, repetition } from "../helpers/results.js";

const SPEC_DIR = `${ROOT}specs/cover-letter`;

function result(c: Case, rps: number | undefined, cpuNsPerRequest = 1000): CaseResult {
  return rps === undefined
    ? caseResult(c, { status: "skipped", reason: "not supported by this build yet: x", checks: [] })
    : caseResult(c, { measured: figures(rps, { cpuNsPerRequest }) });
}

async function dummyRun(
  rpsOf: (c: Case) => number | undefined,
  cpuOf?: (c: Case) => number,
): Promise<RunResult> {
  const spec = await readSpec(`${SPEC_DIR}/udp-dummy.yaml`);
  return {
    spec: spec.name,
    file: "udp-dummy.yaml",
    results: spec.cases.map((c) => result(c, rpsOf(c), cpuOf?.(c))),
    startedAt: "",
    elapsedMs: 0,
    environment: ENVIRONMENT,
  };
}

/**
 * The dummy table measured in 3 rounds: send at 100,000 requests/s give or
 * take the round's load, send_zc at the planted ratio of each round. Round 2
 * of send/size=600 is marked disturbed.
 */
async function repeatedDummyRun(ratios: Record<number, number[]>): Promise<RunResult> {
  const load = [1, 0.8, 1.1];
  const spec = await readSpec(`${SPEC_DIR}/udp-dummy.yaml`);
  const results = spec.cases.map((c) => {
    const rps = load.map(
      (l, i) => 100_000 * l * (c.mode === "send" ? 1 : (ratios[c.buffers.size]?.[i] ?? 1)),
    );
    // stored in the order they ran: round 3 ran before round 2 for send_zc
    const order = c.mode === "send" ? [0, 1, 2] : [0, 2, 1];
    const runs = order.map((i) =>
      figures(rps[i] as number, { cpuNsPerRequest: 1e9 / (rps[i] as number) }),
    );
    const repetitions = order.map((i) =>
      repetition(
        i + 1,
        c.name === "send/size=600" && i === 1 ? { disturbed: true, why: "steal 12 %" } : {},
      ),
    );
    const median = [...rps].sort((a, b) => a - b)[1] as number;
    return caseResult(c, { measured: figures(median), runs, repetitions });
  });
  return {
    spec: spec.name,
    file: "udp-dummy.yaml",
    results,
    startedAt: "",
    elapsedMs: 0,
    environment: ENVIRONMENT,
  };
}

/** The Markdown table row that starts with this IO size. */
function rowOf(md: string, size: number): string[] {
  const line = md.split("\n").find((l) => l.startsWith(`| ${size} |`));
  if (!line) throw new Error(`no row for ${size} in:\n${md}`);
  return line
    .split("|")
    .slice(1, -1)
    .map((s) => s.trim());
}

describe("cover-letter report", () => {
  it("puts the letter's figures beside the measured ones, the change over copy in columns of its own", async () => {
    // send_zc loses at the small sizes and wins from 4000 B: a planted crossover
    const zc: Record<number, number> = { 600: 90_000, 1200: 95_000, 4000: 120_000, 8000: 150_000 };
    // and, per CPU, costs less than send only at 8000 B
    const run = await dummyRun(
      (c) => (c.mode === "send" ? 100_000 : zc[c.buffers.size]),
      (c) => (c.mode === "send" ? 1000 : c.buffers.size < 8000 ? 1100 : 900),
    );
    const md = renderCoverLetter([run]);

    const head = md.split("\n").find((l) => l.startsWith("| IO size"));
    expect(head).toBe(
      "| IO size | non-zc (letter) | send (measured) | zc (letter) | zc (measured) | zc + flush (letter) | send_zc (measured) | send_zc vs send | send_zc sender CPU/request vs send |",
    );
    expect(rowOf(md, 8000)).toEqual([
      "8000",
      "1,299,916",
      "100,000",
      "2,396,600 (+84%)",
      "n/a since Linux 6.0",
      "2,224,219 (+71%)",
      "150,000",
      "+50%",
      "-10%",
    ]);
    expect(rowOf(md, 600).slice(6)).toEqual(["90,000", "-10%", "+10%"]);
    // one run per case: the figures, and no claim
    expect(md).toContain(
      "- Measured requests/s: one run per case, no interval, so no claim (send_zc/send 0.90 at 600 B, 0.95 at 1200 B, 1.20 at 4000 B, 1.50 at 8000 B).",
    );
    expect(md).toContain(
      "- Measured CPU per request (sender threads): one run per case, no interval, so no claim (send_zc/send 1.10 at 600 B, 1.10 at 1200 B, 1.10 at 4000 B, 0.90 at 8000 B).",
    );
    expect(md).not.toMatch(/beats|crossover between|Figures are medians/);
    expect(md).toContain("Letter: send_zc beat send at every size from 600 B to 8000 B");
    expect(md).toContain(V6_FOOTNOTE);
    expect(md).toContain("on Linux 6.18.0-test, Test CPU × 2 CPUs, liburing 2.3");
  });

  it("states wins, losses and no difference only as far as the intervals go, non-monotone as such", async () => {
    // the bug this replaces: a win at 600 B was forgotten because 4000 B lost
    const ratios = {
      600: [2.2, 2.25, 2.15],
      1200: [0.95, 1.05, 1.0],
      4000: [0.8, 0.82, 0.79],
      8000: [1.3, 1.32, 1.29],
    };
    const md = renderCoverLetter([await repeatedDummyRun(ratios)]);
    const ci = (r: number[]) => {
      const e = pairedRatio(r, [1, 1, 1]);
      return `ratio ${e.value.toFixed(2)}, 95 % CI ${e.low.toFixed(2)}–${e.high.toFixed(2)}`;
    };
    expect(md).toContain(
      `- Measured requests/s: send_zc beats send at 600 B (${ci(ratios[600])}); no significant difference between send_zc and send at 1200 B; send_zc loses to send at 4000 B (${ci(ratios[4000])}); send_zc beats send at 8000 B (${ci(ratios[8000])}): not monotone in size.`,
    );
    // CPU per request is 1/rate here, so the cost sentence mirrors the rate's
    expect(md).toMatch(
      /- Measured CPU per request \(sender threads\): send_zc is cheaper than send at 600 B \(ratio 0\.45, 95 % CI [0-9.]+–[0-9.]+\); no significant difference between send_zc and send at 1200 B; send_zc costs more than send at 4000 B .*: not monotone in size\./,
    );
    expect(md).not.toContain("did not beat");
    // the table: medians with their intervals, the paired change with its interval
    const row = rowOf(md, 600);
    expect(row[2]).toBe("100,000 [80,000–110,000]");
    expect(row[6]).toBe("220,000 [180,000–236,500]");
    const e = pairedRatio(ratios[600], [1, 1, 1]);
    expect(row[7]).toBe(
      `+${Math.round((e.value - 1) * 100)}% [+${Math.round((e.low - 1) * 100)}% to +${Math.round((e.high - 1) * 100)}%]`,
    );
    // geometric mean of 0.95, 1.05 and 1.00 is 0.9992
    expect(rowOf(md, 1200)[7]).toBe("-0.1% [-12% to +13%]");
    // what the figures rest on
    expect(md).toContain(
      "Figures are medians of 3 runs per case, in brackets the median's interval at 75 % confidence (with fewer than 6 runs that is the range of the runs; 6 reach 95 %).",
    );
    expect(md).toContain("paired by round");
    expect(md).toContain(
      "1 of 24 repetitions was marked disturbed (send/size=600 round 2: steal 12 %); they count in the figures like the others.",
    );
    expect(md).toContain("| send/size=600 | 3 (1 disturbed) | 100,000 [80,000–110,000] |");
  });

  it("names a crossover only between a significant loss and a significant win", async () => {
    const md = renderCoverLetter([
      await repeatedDummyRun({
        600: [0.8, 0.81, 0.79],
        1200: [0.97, 1.04, 1.0],
        4000: [1.2, 1.21, 1.19],
        8000: [1.5, 1.52, 1.49],
      }),
    ]);
    expect(md).toMatch(
      /- Measured requests\/s: send_zc loses to send at 600 B \(ratio 0\.80, [^)]*\); no significant difference between send_zc and send at 1200 B; send_zc beats send at 4000 B \([^)]*\) and 8000 B \([^)]*\): a crossover between 600 B and 4000 B\./,
    );
  });

  it("shows a case that did not run as its status and lists the reason", async () => {
    const run = await dummyRun((c) => (c.buffers.size === 1200 ? undefined : 100_000));
    const md = renderCoverLetter([run]);
    expect(rowOf(md, 1200)[2]).toBe("skipped");
    expect(md).toContain(
      "- skipped: not supported by this build yet: x (send/size=1200, send_zc/size=1200)",
    );
  });

  it("is the run and report commands' --cover-letter format, over every spec of a suite", async () => {
    expect(FORMATS).toContain(coverLetterFormat);
    const run = await dummyRun(() => 100_000);
    const md = coverLetterFormat.render({
      runs: [run, { ...run, spec: "again" }],
      startedAt: "",
      elapsedMs: 0,
      partial: false,
    });
    expect(md).toContain("## udp-dummy");
    expect(md).toContain("## again");
    expect(md.match(/¹ The v4 patch set/g)).toHaveLength(1);
  });

  it("formats percentages the way the letter does", () => {
    expect(percentOver(2_224_219, 1_299_916)).toBe("+71%");
    expect(percentOver(598_550, 596_292)).toBe("+0.4%");
    expect(percentOver(555_366, 596_292)).toBe("-6.9%");
    expect(percentOver(100, 100)).toBe("+0.0%");
    expect(percentOver(99.96, 100)).toBe("-0.0%");
    expect(percentOver(900, 1000)).toBe("-10%");
  });

  it("finds where the letter's zerocopy wins, and keeps a win below a loss", () => {
    const p = (size: number, zc: number) => ({ size, zc, copy: 100 });
    // the old crossover() forgot the win at 600 B because 1200 B lost
    expect(crossover([p(8000, 150), p(600, 120), p(1200, 90), p(4000, 110)])).toEqual({
      from: 4000,
      lostAt: 1200,
      sizes: [600, 1200, 4000, 8000],
      wins: [600, 4000, 8000],
      losses: [1200],
      monotone: false,
    });
    expect(crossover([p(600, 90), p(1000, 96), p(1500, 105), p(4000, 113)])).toMatchObject({
      from: 1500,
      lostAt: 1000,
      monotone: true,
    });
    expect(crossover([p(600, 101), p(8000, 150)])).toMatchObject({ from: 600, losses: [] });
    expect(crossover([p(600, 90), p(8000, 100)])).toMatchObject({ lostAt: 8000, wins: [] });
  });

  it("says so in words where the letter's figures are not monotone in size", async () => {
    const letter: Record<number, number> = { 600: 3_000_000, 1200: 2_000_000 };
    const run = await dummyRun(() => 100_000);
    for (const r of run.results) {
      const v = letter[r.case.buffers.size];
      if (r.case.mode === "send_zc" && v && r.case.reference)
        r.case.reference = { ...r.case.reference, rps: v, columns: { "zc + flush": v } };
    }
    expect(renderCoverLetter([run])).toContain(
      "Letter: send_zc beat send at 600 B, 4000 B and 8000 B but not at 1200 B (not monotone in size).",
    );
  });
});

describe("cover-letter specs", () => {
  it("are all valid", async () => {
    const files = readdirSync(SPEC_DIR).filter((f) => f.endsWith(".yaml"));
    expect(files.sort()).toEqual([
      "msg-zerocopy.yaml",
      "tcp-localhost.yaml",
      "udp-dummy.yaml",
      "udp-nic.yaml",
    ]);
    for (const f of files) await expect(readSpec(`${SPEC_DIR}/${f}`)).resolves.toBeDefined();
  });

  it("carry the letter's figure each case reproduces among its row's columns", async () => {
    for (const f of ["udp-dummy.yaml", "udp-nic.yaml"]) {
      const spec = await readSpec(`${SPEC_DIR}/${f}`);
      for (const c of spec.cases) {
        const ref = c.reference;
        expect(ref?.rps, c.name).toBeGreaterThan(0);
        expect(Object.values(ref?.columns ?? {}), c.name).toContain(ref?.rps);
      }
    }
  });

  it("send to a real NIC only from cases that say target: remote", async () => {
    const spec = await readSpec(`${SPEC_DIR}/udp-nic.yaml`);
    const remote = spec.cases.filter((c) => c.target === "remote");
    expect(remote.map((c) => c.name)).toEqual(
      spec.cases.filter((c) => c.name.startsWith("remote/")).map((c) => c.name),
    );
    expect(remote.length).toBe(8);
    expect(spec.cases.filter((c) => c.target === "pair").length).toBe(8);
  });
});
