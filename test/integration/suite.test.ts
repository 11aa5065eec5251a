import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { listZcspecNamespaces } from "../../src/env/netns.js";
import { validateResults } from "../../src/runner/results-file.js";
import { CLI, integrationBlocker, ROOT } from "../helpers/env.js";
import { runCli } from "../helpers/spawn.js";
import { tempDir } from "../helpers/temp.js";

const blocker = integrationBlocker();
const ENV = { ...process.env, NO_COLOR: "1" };

const zcspec = (args: string[]) => runCli(args);

function dir(): string {
  return tempDir("suite");
}

/** A short spec on the sink: two sizes x send/send_zc, 100 ms per case. */
function spec(at: string, expect: string, extra = "", name = "s"): string {
  const file = join(at, `${name}.yaml`);
  writeFileSync(
    file,
    `version: 1
name: ${name}
defaults:
  target: sink
  buffers: { size: 1000 }
  duration: 100ms
  warmup: 0
${extra}matrix:
  mode: [send, send_zc]
  buffers.size: [600, 4000]
expect:
${expect}`,
  );
  return file;
}

const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));

describe("zcspec run: checks and exit codes", () => {
  it("exits 0 when every check holds, and writes every format", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const d = dir();
    const file = spec(
      d,
      `  - that: result.errors == 0 && result.rps > 0.0
  - where: case.mode == "send_zc"
    that: result.notifications == result.requests && ratio(result.rps, peer(case, "mode", "send").rps) > 0.0
  - where: case.mode == "send"
    that: peer(case, "mode", "send_zc").notifications > 0.0
`,
    );
    const out = (ext: string) => join(d, `r.${ext}`);
    const r = zcspec([
      "run",
      file,
      "--json",
      out("json"),
      "--junit",
      out("xml"),
      "--csv",
      out("csv"),
      "--markdown",
      out("md"),
      "--svg",
      out("svg"),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = json(out("json"));
    expect(validateResults(doc)).toEqual([]);
    const results = doc.runs[0].results;
    expect(results).toHaveLength(4);
    // two expectations apply to each case: one for all, one per mode; the
    // send cases' peer runs after them, so theirs is checked after the last case
    const expects = (i: number) =>
      results[i].checks.filter(
        (c: { kind: string; pass: boolean }) => c.kind === "expect" && c.pass,
      );
    for (const i of [0, 1, 2, 3]) expect(expects(i)).toHaveLength(2);
    expect(XMLValidator.validate(readFileSync(out("xml"), "utf8"))).toBe(true);
    expect(readFileSync(out("csv"), "utf8").trimEnd().split("\r\n")).toHaveLength(5);
    expect(readFileSync(out("md"), "utf8")).toContain(
      "| size | send | send_zc | send_zc vs send |",
    );
    expect(XMLValidator.validate(readFileSync(out("svg"), "utf8"))).toBe(true);
  });

  it("exits 1 on a failing expectation, saying where it is, what it is and what it saw", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const file = spec(
      dir(),
      `  - name: absurd\n    where: case.buffers.size == 600\n    that: result.rps > 1e12\n`,
    );
    const r = zcspec(["run", file, "--case", "send/size=600"]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `send/size=600: failed: ${file}:14:11 expectation "absurd" failed: result\\.rps > 1e12 is false: result\\.rps = \\d+`,
      ),
    );
    expect(r.stdout).not.toContain("send_zc/size");
  });

  it("exits 2 on a CEL typo before running anything, and on bad usage", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const file = spec(dir(), "  - that: result.rsp > 0.0\n");
    const r = zcspec(["run", file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}:12:18 error[ZC_EXPECT_COMPILE]: that: No such key: rsp`);
    expect(r.stderr).toContain('did you mean "rps"?');
    expect(r.stderr).not.toContain("[1/");
    expect(zcspec(["run", file, "--tolerance", "5%"]).code).toBe(2);
    expect(zcspec(["run", "specs/examples/udp-sink.yaml", "--case", "nope"]).code).toBe(2);
    expect(zcspec(["report", "/nonexistent.json", "--markdown", "-"]).code).toBe(2);
  });

  it("exits 3 when a spec runs past its time limit, leaving the rest unrun", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const d = dir();
    const file = spec(d, "  - that: result.errors == 0\n");
    const r = zcspec(["run", file, "--time-limit", "50ms", "--json", join(d, "r.json")]);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const run = json(join(d, "r.json")).runs[0];
    expect(run).toMatchObject({ partial: true, timedOut: true });
    expect(run.stoppedBy).toContain("time limit");
    expect(run.results.at(-1)).toMatchObject({ status: "skipped" });
  });

  it("--strict fails on a check that could not be evaluated; --dry-run runs nothing", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const file = spec(dir(), "  - that: result.rps >= 0.9 * baseline(case).rps\n");
    const loose = zcspec(["run", file, "--grep", "size=600$"]);
    expect(loose.code, loose.stdout + loose.stderr).toBe(0);
    expect(loose.stdout).toContain("not evaluated: no baseline given");
    expect(zcspec(["run", file, "--grep", "^send/size=600", "--strict"]).code).toBe(1);
    const dry = zcspec(["run", file, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("s, 4 of 4 case(s), 1 expectation(s)");
    expect(dry.stderr).not.toContain("[1/");
  });

  it("--fail-fast stops after the first failing case, across specs of a directory", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const d = dir();
    const specs = join(d, "specs");
    mkdirSync(specs);
    spec(specs, '  - that: case.mode == "send_zc"\n', "", "a");
    spec(specs, "  - that: result.errors == 0\n", "", "b");
    const r = zcspec(["run", specs, "--fail-fast", "--json", join(d, "r.json")]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const doc = json(join(d, "r.json"));
    expect(doc.runs.map((x: { spec: string }) => x.spec)).toEqual(["a", "b"]);
    expect(doc.partial).toBe(true);
    expect(doc.runs[0].results[0].status).toBe("failed");
    expect(doc.runs[0].results[1]).toMatchObject({
      status: "skipped",
      reason: "not run: --fail-fast after send/size=600 failed",
    });
    expect(doc.runs[1].results.every((x: { status: string }) => x.status === "skipped")).toBe(true);
  });
});

describe("zcspec run: baselines, repetitions and report", () => {
  it("compares with a baseline within the tolerance and re-renders a saved run", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const d = dir();
    const file = spec(d, "  - that: result.errors == 0\n", "  repeat: 3\n");
    const base = join(d, "base.json");
    const first = zcspec(["run", file, "--grep", "size=600", "--save-baseline", base]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const saved = json(base);
    const r0 = saved.runs[0].results[0];
    expect(r0.runs).toHaveLength(3);
    expect(r0.stats.runs).toBe(3);
    const sorted = r0.runs.map((m: { rps: number }) => m.rps).sort((a: number, b: number) => a - b);
    expect(r0.measured.rps).toBeCloseTo(sorted[1], 3);

    // a baseline a thousand times faster than anything measured: a regression beyond 5 %,
    // judged on the interval of the ratio (3 runs against 3: every cross ratio below 0.95)
    for (const run of saved.runs)
      for (const r of run.results) {
        r.measured.rps *= 1000;
        for (const m of r.runs) m.rps *= 1000;
      }
    const fast = join(d, "fast.json");
    writeFileSync(fast, JSON.stringify(saved));
    const slow = zcspec([
      "run",
      file,
      "--grep",
      "size=600",
      "--baseline",
      fast,
      "--tolerance",
      "5%",
    ]);
    expect(slow.code, slow.stdout + slow.stderr).toBe(1);
    expect(slow.stdout).toMatch(/against baseline .*fast\.json \(tolerance 5\.0%\):/);
    expect(slow.stdout).toMatch(/send\/size=600\s+[\d,]+\s+[\d,]+\s+-\d+\.\d%\s+regressed/);
    expect(slow.stdout).toContain("requests/s regressed");
    expect(slow.stdout).toMatch(/ratio 0\.00\d+ \(90 % CI /);

    const md = zcspec(["report", base, "--markdown", "-"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain("| send/size=600 | send | 600 |");
    const xml = zcspec(["report", base, "--junit", "-"]);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
      xml.stdout,
    );
    expect(doc.testsuites.tests).toBe("2");
  });
});

describe("zcspec run: relations judged on their interval", () => {
  /** send vs send_zc on the sink at 60000 B, where zerocopy's saving is large */
  function relations(at: string, expect: string, repeat: number): string {
    const file = join(at, `rel${repeat}.yaml`);
    writeFileSync(
      file,
      `version: 1
name: rel
defaults:
  target: sink
  socket: { sndbuf: 4MiB }
  duration: 100ms
  warmup: 20ms
  repeat: ${repeat}
matrix:
  mode: [send, send_zc]
  buffers.size: [60000]
expect:
${expect}`,
    );
    return file;
  }

  // CPU per request, not requests/s: the rate moves with the CPU share a repetition got
  it("held and failed verdicts with their intervals in the console, JSON and JUnit", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const d = dir();
    const file = relations(
      d,
      `  - name: zc is cheaper
    where: case.mode == "send_zc"
    that: cheaper(result, peer(case, "mode", "send"))
  - name: copy is cheaper
    where: case.mode == "send_zc"
    that: cheaper(peer(case, "mode", "send"), result)
`,
      5,
    );
    const r = zcspec(["run", file, "--json", join(d, "r.json"), "--junit", join(d, "r.xml")]);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(
      /expectation "copy is cheaper" failed: cheaper\(peer\(case, "mode", "send"\), result\) is failed: CPU per request \(sender threads\) ratio [\d.]+ \(95 % CI [\d.]+–[\d.]+, 5 paired rounds\) is above 1/,
    );
    const doc = json(join(d, "r.json"));
    expect(validateResults(doc)).toEqual([]);
    const zc = doc.runs[0].results.find(
      (x: { case: { mode: string } }) => x.case.mode === "send_zc",
    );
    const by = (name: string) => zc.checks.find((c: { name: string }) => c.name === name);
    expect(by("zc is cheaper")).toMatchObject({
      pass: true,
      verdict: "held",
      interval: { level: 0.95, n: 5, method: "paired-t-log" },
    });
    expect(by("zc is cheaper").interval.high).toBeLessThan(1);
    expect(by("copy is cheaper")).toMatchObject({ pass: false, verdict: "failed" });
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
      readFileSync(join(d, "r.xml"), "utf8"),
    );
    expect(xml.testsuites).toMatchObject({ tests: "2", failures: "1", skipped: "0" });
  });

  it("inconclusive without repetitions: exit 0 and reported, JUnit skipped, exit 1 under --strict", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const d = dir();
    const file = relations(
      d,
      `  - where: case.mode == "send_zc"
    that: faster(result, peer(case, "mode", "send"))
`,
      1,
    );
    const r = zcspec(["run", file, "--junit", join(d, "r.xml")]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'inconclusive: faster(result, peer(case, "mode", "send")) is inconclusive: requests/s ratio',
    );
    expect(r.stdout).toContain("no verdict without repetitions");
    const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(
      readFileSync(join(d, "r.xml"), "utf8"),
    );
    expect(xml.testsuites).toMatchObject({ tests: "2", failures: "0", skipped: "1" });
    const tc = xml.testsuites.testsuite.testcase.find(
      (t: { name: string }) => t.name === "send_zc/size=60000",
    );
    expect(tc.skipped.message).toContain("inconclusive");
    expect(zcspec(["run", file, "--strict"]).code).toBe(1);
  });
});

describe("the shipped specs", () => {
  it("all validate, and the CI suite passes with JUnit on stdout", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const dry = zcspec(["run", "specs", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    const r = zcspec(["run", "specs/ci", "--duration", "100ms", "--warmup", "0", "--junit", "-"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(r.stdout);
    // sink-smoke's 8 cases and sink-speed's 2 (send_zc's CPU per request below send's, on its interval)
    expect(doc.testsuites).toMatchObject({ tests: "10", failures: "0", errors: "0" });
    // the results table moved to stderr to keep stdout XML
    expect(r.stderr).toContain("requests/s");
  });
});

describe("zcspec run: SIGINT", () => {
  it("stops after the current case, writes partial results, removes namespaces, exits 130", async (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const d = dir();
    const file = spec(d, "  - that: result.errors == 0\n", "  repeat: 1\n");
    const out = join(d, "r.json");
    const child = spawn(
      process.execPath,
      [CLI, "run", file, "--duration", "300ms", "--json", out],
      {
        cwd: ROOT,
        env: ENV,
      },
    );
    let stderr = "";
    const code = await new Promise<number | null>((resolve) => {
      child.stderr.on("data", (b: Buffer) => {
        stderr += b.toString();
        // the first case has ended: interrupt the second
        if (/\[1\/4\] send\/size=600: \w+/.test(stderr) && !child.killed) child.kill("SIGINT");
      });
      child.on("exit", resolve);
    });
    expect(code, stderr).toBe(130);
    expect(stderr).toContain("SIGINT: stopping after the current case");
    const doc = json(out);
    expect(doc).toMatchObject({ partial: true, stoppedBy: "interrupted by SIGINT" });
    const results = doc.runs[0].results;
    expect(results).toHaveLength(4);
    expect(results[0].status).toBe("passed");
    expect(results.at(-1)).toMatchObject({
      status: "skipped",
      reason: "not run: interrupted by SIGINT",
    });
    const mine = (await listZcspecNamespaces()).filter((n) => n.startsWith(`zcspec-${child.pid}-`));
    expect(mine).toEqual([]);
  });
});
