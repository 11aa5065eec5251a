import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SuiteResult } from "../../src/results.js";
import { CLI, integrationBlocker, ROOT } from "../helpers/env.js";

/** How a run behaves when part of it goes wrong: what is still reported, and what is not trusted. */
const blocker = integrationBlocker();

function zcspec(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function specFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "zcspec-failures-"));
  const file = join(dir, "s.yaml");
  writeFileSync(file, text);
  return { dir, file };
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
