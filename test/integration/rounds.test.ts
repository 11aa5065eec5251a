import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RepetitionNoise } from "../../src/model/measured/noise.js";
import type { CaseResult, RunResult } from "../../src/model/results.js";
import { validateResults } from "../../src/runner/results-file.js";
import { roundOrder } from "../../src/runner/rounds.js";
import { CLI, integrationBlocker, ROOT } from "../helpers/env.js";
import { runCli } from "../helpers/spawn.js";
import { tempDir } from "../helpers/temp.js";

const blocker = integrationBlocker();

/** A spec on the sink: send and send_zc at one size, 100 ms per repetition. */
function spec(repeat: string, modes = "[send, send_zc]"): { dir: string; file: string } {
  const dir = tempDir("rounds");
  const file = join(dir, "r.yaml");
  writeFileSync(
    file,
    `version: 1
name: r
defaults:
  target: sink
  buffers: { size: 1000 }
  duration: 100ms
  warmup: 0
  repeat: ${repeat}
matrix:
  mode: ${modes}
expect:
  - that: result.errors == 0
`,
  );
  return { dir, file };
}

function run(args: string[], out: string): RunResult {
  const r = runCli([...args, "--json", out]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const doc = JSON.parse(readFileSync(out, "utf8"));
  expect(validateResults(doc)).toEqual([]);
  return doc.runs[0];
}

/** Each round's cases in the order they ran, from the repetitions the results record. */
function recordedOrder(results: readonly CaseResult[]): number[][] {
  const rounds: number[][] = [];
  results.forEach((r, i) => {
    for (const rep of r.repetitions as RepetitionNoise[]) {
      const round = rounds[rep.round - 1] ?? [];
      round[rep.position - 1] = i;
      rounds[rep.round - 1] = round;
    }
  });
  return rounds;
}

describe("zcspec run: repetitions in rounds", () => {
  it("interleaves the cases in an order from the seed, which --seed repeats", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const { dir, file } = spec("3");
    const first = run(["run", file, "--seed", "5"], join(dir, "a.json"));
    expect(first.rounds).toEqual({ order: "interleaved", seed: 5, rounds: 3, stoppedBy: "count" });
    const order = recordedOrder(first.results);
    expect(order).toEqual([1, 2, 3].map((round) => roundOrder(5, round, 2)));
    const again = run(["run", file, "--seed", "5"], join(dir, "b.json"));
    expect(recordedOrder(again.results)).toEqual(order);

    for (const r of first.results) {
      expect(r.status).toBe("passed");
      expect(r.runs).toHaveLength(3);
      expect(r.repetitions).toHaveLength(3);
      for (const rep of r.repetitions ?? []) {
        expect(rep.cpuShare).toBeGreaterThan(0);
        expect(rep.steal).toBeGreaterThanOrEqual(0);
        expect(typeof rep.disturbed).toBe("boolean");
      }
      const e = r.estimates;
      expect(e?.rps).toMatchObject({ n: 3, method: "order-statistics", value: r.measured?.rps });
      expect(e?.rps.low).toBeLessThanOrEqual(e?.rps.high as number);
      expect(e?.cpuNsPerRequest.n).toBe(3);
      expect(e?.gbps.n).toBe(3);
    }
  });

  it("runs each case's repetitions back to back with order: sequential", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const { dir, file } = spec("2");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace("name: r\n", "name: r\norder: sequential\n"),
    );
    const r = run(["run", file], join(dir, "r.json"));
    expect(r.rounds).toMatchObject({ order: "sequential", rounds: 2, stoppedBy: "count" });
    const at = (i: number) => r.results[i]?.repetitions?.map((x) => [x.round, x.position]);
    expect(at(0)).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(at(1)).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it("adds rounds up to max when the interval goal cannot be met", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const { dir, file } = spec("1");
    // a median's 95 % interval needs 6 runs: 3 can never be tight enough
    const r = run(["run", file, "--repeat", "2..3@50%"], join(dir, "r.json"));
    expect(r.rounds).toMatchObject({ stoppedBy: "max", rounds: 3, until: 0.5 });
    for (const c of r.results) expect(c.runs).toHaveLength(3);
  });

  it("stops adding rounds once the intervals are as tight as asked", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const { dir, file } = spec("{ min: 6, max: 12, until: 80% }", "[send_zc]");
    const r = run(["run", file], join(dir, "r.json"));
    expect(r.rounds).toMatchObject({ stoppedBy: "until", rounds: 6, until: 0.8 });
    expect(r.results[0]?.runs).toHaveLength(6);
    expect(r.results[0]?.estimates?.rps.level).toBeGreaterThanOrEqual(0.95);
  });

  it("writes what whole repetitions measured when SIGINT comes mid-round", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const { dir, file } = spec("3");
    const out = join(dir, "r.json");
    const child = spawn(
      process.execPath,
      [CLI, "run", file, "--duration", "300ms", "--json", out],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    let stderr = "";
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on("data", (b: Buffer) => {
        stderr += b.toString();
        if (/round 2\/3 /.test(stderr) && !child.killed) child.kill("SIGINT");
      });
      child.on("exit", resolve);
    });
    expect(code, stderr).toBe(130);
    const doc = JSON.parse(readFileSync(out, "utf8"));
    expect(validateResults(doc)).toEqual([]);
    const runResult: RunResult = doc.runs[0];
    expect(runResult).toMatchObject({ partial: true, stoppedBy: "interrupted by SIGINT" });
    expect(runResult.rounds).toMatchObject({ rounds: 2, stoppedBy: "interrupted" });
    // round 1 ran whole for both cases: each keeps it, and says it stopped short
    for (const r of runResult.results) {
      expect(r.status).toBe("passed");
      expect(r.measured?.requests).toBeGreaterThan(0);
      expect(r.repetitions?.[0]?.round).toBe(1);
      expect(r.warnings?.join("\n")).toMatch(/stopped after 1 of 3 runs: interrupted by SIGINT/);
    }
  });
});
