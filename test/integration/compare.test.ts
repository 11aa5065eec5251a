import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ResultsDocument } from "../../src/model/results.js";
import { integrationBlocker } from "../helpers/env.js";
import { runCli } from "../helpers/spawn.js";

const blocker = integrationBlocker();
const dir = mkdtempSync(join(tmpdir(), "zcspec-compare-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPEC = `version: 1
name: cmp
defaults: { target: loopback, buffers: { size: 4000 }, duration: 50ms, warmup: 0s, repeat: 3 }
cases:
  - { name: send, mode: send }
  - { name: send_zc, mode: send_zc }
`;

describe("zcspec compare", () => {
  it("pairs two saved runs, and exits 1 on a regression beyond --tolerance", (ctx) => {
    if (blocker) return ctx.skip(blocker);
    const spec = join(dir, "cmp.yaml");
    writeFileSync(spec, SPEC);
    const before = join(dir, "before.json");
    expect(runCli(["run", spec, "--json", before]).code).toBe(0);
    // the after run: the same run with send's every repetition at half its rate
    const doc = JSON.parse(readFileSync(before, "utf8")) as ResultsDocument;
    const send = doc.runs[0]?.results.find((r) => r.case.name === "send");
    for (const m of send?.runs ?? []) m.rps /= 2;
    if (send?.measured) send.measured.rps /= 2;
    const after = join(dir, "after.json");
    writeFileSync(after, JSON.stringify(doc));

    const same = runCli(["compare", before, before]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(
      /^\| send \| host \| requests\/s \| .* \| \+0\.0% \| .* \| no change detected \|$/m,
    );

    const json = join(dir, "change.json");
    const worse = runCli(["compare", before, after, "--json", json, "--markdown", "-"]);
    expect(worse.code).toBe(1);
    expect(worse.stdout).toMatch(
      /^\| send \| host \| requests\/s \| .* \| -50\.0% \| .* \| \*\*regressed\*\* \|$/m,
    );
    const change = JSON.parse(readFileSync(json, "utf8"));
    expect(change.pairs.map((p: { name: string }) => p.name)).toEqual(["send", "send_zc"]);
    // within a tolerance wider than the drop, the same comparison passes
    expect(runCli(["compare", before, after, "--tolerance", "60%"]).code).toBe(0);
  });
});
