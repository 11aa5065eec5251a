import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SuiteResult } from "../../src/model/results.js";
import { integrationBlocker } from "../helpers/env.js";
import { runCli, writeSpec } from "../helpers/spawn.js";

/** How a run behaves when part of it goes wrong: what is still reported, and what is not trusted. */
const blocker = integrationBlocker();

const zcspec = runCli;

function specFile(text: string): { dir: string; file: string } {
  const file = writeSpec(text);
  return { dir: dirname(file), file };
}

const read = (f: string) => JSON.parse(readFileSync(f, "utf8")) as SuiteResult;

describe("a run where something goes wrong", () => {
  it("does not measure against a peer that errored: the expectation is not evaluated", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const { dir, file } = specFile(`version: 1
name: s
defaults: { target: sink, buffers: { size: 1000 }, duration: 100ms, warmup: 0 }
cases:
  - { name: copy, mode: send, socket: { bind_device: nosuchdev0 } }
  - { name: zc, mode: send_zc }
expect:
  - where: case.mode == "send_zc"
    that: result.rps > 1.2 * peer(case, "mode", "send").rps
`);
    const out = join(dir, "r.json");
    const r = zcspec(["run", file, "--json", out]);
    expect(r.code, r.stdout + r.stderr).toBe(3); // the errored case
    const [copy, zc] = read(out).runs[0]?.results ?? [];
    expect(copy?.status).toBe("error");
    const check = zc?.checks.find((c) => c.kind === "expect");
    expect(check?.skipped).toBe(true);
    expect(check?.reason).toContain("was error");
  });

  it("reports every case and writes its files when a target cannot be set up", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const { dir, file } = specFile(`version: 1
name: s
defaults: { mode: send, buffers: { size: 1000 }, duration: 100ms, warmup: 0 }
cases:
  - { name: lo, target: loopback }
  - { name: sink1, target: sink }
  - { name: sink2, target: sink }
`);
    const out = join(dir, "r.json");
    // no `ip` on the PATH: the sink cannot be built, loopback needs none
    const r = zcspec(["run", file, "--json", out], { PATH: "/nonexistent" });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const results = read(out).runs[0]?.results ?? [];
    expect(results.map((x) => [x.case.name, x.status])).toEqual([
      ["lo", "passed"],
      ["sink1", "error"],
      ["sink2", "error"],
    ]);
    expect(results[2]?.reason).toContain("ip is not installed");
  });

  it("refuses an output file it could not write before running anything", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const r = zcspec(["run", "specs/examples/udp-sink.yaml", "--json", "/nonexistent/dir/r.json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot write /nonexistent/dir/r.json");
    expect(r.stderr).not.toContain("[1/6]");
  });

  it("--fail-fast stops as soon as an earlier case fails against a peer that ran later", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const { file } = specFile(`version: 1
name: s
defaults: { target: sink, buffers: { size: 1000 }, duration: 100ms, warmup: 0 }
matrix:
  mode: [send_zc, send, sendto]
expect:
  - where: case.mode == "send_zc"
    that: result.rps > 100.0 * peer(case, "mode", "send").rps
`);
    const r = zcspec(["run", file, "--fail-fast"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^send_zc\s.*failed$/m);
    expect(r.stdout).toMatch(/^sendto\s.*skipped$/m);
    expect(r.stdout).toContain("--fail-fast after send_zc failed");
  });
});
