import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Case } from "../../src/model/case.js";
import type { CaseResult, RunResult } from "../../src/model/results.js";
import {
  coverLetterFormat,
  crossover,
  percentOver,
  renderCoverLetter,
  V6_FOOTNOTE,
} from "../../src/report/cover-letter.js";
import { FORMATS } from "../../src/report/formats.js";
import { readSpec } from "../../src/spec/read.js";
import { ROOT } from "../helpers/env.js";
import { caseResult, ENVIRONMENT, figures } from "../helpers/results.js";

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
  it("puts the letter's figures beside the measured ones, each with +x% over copy", async () => {
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
      "| IO size | non-zc (letter) | send (measured) | zc (letter) | zc (measured) | zc + flush (letter) | send_zc (measured) | send_zc CPU/request vs send |",
    );
    expect(rowOf(md, 8000)).toEqual([
      "8000",
      "1,299,916",
      "100,000",
      "2,396,600 (+84%)",
      "n/a since Linux 6.0",
      "2,224,219 (+71%)",
      "150,000 (+50%)",
      "-10%",
    ]);
    expect(rowOf(md, 600)[7]).toBe("+10%");
    expect(rowOf(md, 600)[6]).toBe("90,000 (-10%)");
    expect(md).toContain(
      "Measured: send_zc beats send from 4000 B up (crossover between 1200 B and 4000 B).",
    );
    expect(md).toContain(
      "Measured per CPU-second: send_zc beats send from 8000 B up (crossover between 4000 B and 8000 B).",
    );
    expect(md).toContain("Letter: send_zc beat send at every size from 600 B to 8000 B");
    expect(md).toContain(V6_FOOTNOTE);
    expect(md).toContain("on Linux 6.18.0-test, Test CPU × 2 CPUs, liburing 2.3");
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

  it("finds the size from which zerocopy wins at every larger size", () => {
    const p = (size: number, zc: number) => ({ size, zc, copy: 100 });
    expect(crossover([p(8000, 150), p(600, 120), p(1200, 90), p(4000, 110)])).toEqual({
      from: 4000,
      lostAt: 1200,
      sizes: [600, 1200, 4000, 8000],
    });
    expect(crossover([p(600, 101), p(8000, 150)])).toEqual({ from: 600, sizes: [600, 8000] });
    expect(crossover([p(600, 90), p(8000, 100)])).toEqual({ lostAt: 8000, sizes: [600, 8000] });
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
