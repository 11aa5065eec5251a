import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SuiteResult } from "../../src/model/results.js";
import { NATIVE_LIB } from "../helpers/env.js";
import { runCli, startCli } from "../helpers/spawn.js";

/** loopback needs only the built library (no namespaces, no privilege) */
const loopbackBlocker = existsSync(NATIVE_LIB)
  ? undefined
  : `native library not built (${NATIVE_LIB}); run npm run build:native`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A directory of specs, named so that they run in this order. */
function suite(specs: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), "zcspec-refusals-"));
  dirs.push(d);
  mkdirSync(join(d, "specs"));
  for (const [name, body] of Object.entries(specs))
    writeFileSync(join(d, "specs", `${name}.yaml`), `version: 1\nname: ${name}\n${body}`);
  return d;
}

const NEAR = "defaults: { target: loopback, mode: send, duration: 100ms, warmup: 0ms }\n";
const FAR =
  "defaults: { target: remote, remote: { address: 192.0.2.1, port: 9 }, mode: send, duration: 100ms, warmup: 0ms }\n";

describe("zcspec run: refusals before anything runs", () => {
  it("refuses a remote case of a later spec before the first spec starts, and writes nothing", async (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const d = suite({ a: NEAR, b: FAR });
    const out = join(d, "r.json");
    const r = await startCli(["run", join(d, "specs"), "--json", out]).exited;
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain("error[ZC_REMOTE_REFUSED]");
    expect(r.stderr).toContain(`${join(d, "specs", "b.yaml")}: case b sends to the remote host`);
    expect(r.stderr).toContain("--allow-remote");
    // spec a did not start: no header, no case, no results
    expect(r.stderr).not.toContain(": a, 1 case(s)");
    expect(r.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });
});

describe("zcspec run: partial results always", () => {
  it("keeps every format of the specs that finished when the process dies in a later one", async (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const d = suite({ a: NEAR, b: NEAR.replace("duration: 100ms", "duration: 20s") });
    const file = (ext: string) => join(d, `r.${ext}`);
    const { child, exited } = startCli([
      "run",
      join(d, "specs"),
      "--json",
      file("json"),
      "--junit",
      file("xml"),
      "--markdown",
      file("md"),
      "--csv",
      file("csv"),
    ]);
    // spec b has started, so spec a's results were written: kill it as an OOM killer would
    child.stderr?.on("data", (b: Buffer) => {
      if (String(b).includes(": b, 1 case(s)")) child.kill("SIGKILL");
    });
    const r = await exited;
    expect(r.signal, r.stderr).toBe("SIGKILL");
    const doc = JSON.parse(readFileSync(file("json"), "utf8")) as SuiteResult;
    expect(doc.partial).toBe(true);
    expect(doc.runs.map((x) => x.spec)).toEqual(["a"]);
    expect(doc.runs[0]?.results[0]?.status).toBe("passed");
    expect(readFileSync(file("xml"), "utf8")).toContain('<testsuite name="a" tests="1"');
    for (const ext of ["md", "csv"]) expect(readFileSync(file(ext), "utf8")).toContain("send");
  });
});

describe("zcspec run --dry-run", () => {
  it("shows per case run, skip or refused with the reason, and the estimated wall time", (ctx) => {
    if (loopbackBlocker) return ctx.skip(loopbackBlocker);
    const d = suite({
      mixed: `defaults: { mode: send, duration: 100ms, warmup: 0ms, repeat: 2 }
cases:
  - { name: near, target: loopback }
  - { name: sunk, target: sink }
  - { name: far, target: remote, remote: { address: 192.0.2.1, port: 9 } }
`,
    });
    // no capabilities and no user namespace: the sink case is skipped for privilege
    const r = runCli(["run", join(d, "specs"), "--dry-run"], { ZCSPEC_USERNS: "off" }, [
      "setpriv",
      "--bounding-set=-all",
      "--inh-caps=-all",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^near\s.*\srun$/m);
    expect(r.stdout).toMatch(
      /^sunk\s.*\sskip \(privilege\): the sink target needs CAP_NET_ADMIN and CAP_SYS_ADMIN/m,
    );
    expect(r.stdout).toMatch(
      /^far\s.*\srefused: case far sends to the remote host 192\.0\.2\.1:9/m,
    );
    expect(r.stdout).toContain("1 to run, 1 to skip, 0 stopped by a limit, 1 refused");
    expect(r.stdout).toContain("the run would refuse to start");
    // near alone: 2 repetitions of 100 ms
    expect(r.stdout).toContain("estimated wall time: 200 ms of warmup and measuring,");
  });
});
