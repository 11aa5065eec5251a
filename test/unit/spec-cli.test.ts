import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/spawn.js";

/** The commands run the built CLI, as a user does (npm test builds it first). */
const BUILT = existsSync("dist/cli/bin.js");
const WHY = "CLI not built (dist/cli/bin.js); run npm run build";

const zcspec = (...args: string[]) => runCli(args);

const NO_STACK = /\n\s+at /;

describe("zcspec validate", () => {
  it("passes the shipped specs", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("validate", "specs/");
    expect(r.stdout).toMatch(/files? checked: (\d+) valid, 0 invalid; 0 errors/);
    expect(r.code).toBe(0);
  });

  // whole reports, byte for byte: every problem of every file, frames, hints, counts
  it.for<[string, string[]]>([
    [
      "validate-several.txt",
      ["test/fixtures/bad/several-shape.yaml", "test/fixtures/bad/several-semantic.yaml"],
    ],
    [
      "validate-extends.txt",
      [
        "test/fixtures/bad/extends-bad-key.yaml",
        "test/fixtures/bad/extends-semantic.yaml",
        "test/fixtures/bad/fixed-buffers-send.yaml",
        "test/fixtures/good/extends.yaml",
      ],
    ],
  ])("prints the golden report %s and exits 2", ([golden, files], ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("validate", ...files);
    expect(r.stdout).toBe(readFileSync(`test/fixtures/golden/${golden}`, "utf8"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(2);
  });

  it("reports every bad fixture in one run, without a stack trace", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("validate", "test/fixtures/bad");
    expect(r.code).toBe(2);
    // valid: the three warning-only fixtures, and cpu-missing (a plan-time check)
    expect(r.stdout).toMatch(/\d+ files checked: 4 valid, \d+ invalid/);
    expect(r.stdout + r.stderr).not.toMatch(NO_STACK);
    expect(r.stdout).not.toContain("internal error");
  });

  it("reports a CEL typo in expect, located, like any spec problem", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("validate", "test/fixtures/expect/cel-typo.yaml");
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("cel-typo.yaml:5:18 error[ZC_EXPECT_COMPILE]");
    expect(r.stdout).toContain('hint: did you mean "rps"?');
  });

  it("prints JSON with --json", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("validate", "--json", "-", "test/fixtures/bad/enum-mode-typo.yaml");
    expect(r.code).toBe(2);
    const [file] = JSON.parse(r.stdout);
    expect(file).toMatchObject({ valid: false, cases: 0 });
    expect(file.diagnostics[0]).toMatchObject({ code: "ZC_BAD_VALUE", line: 4, col: 9 });
  });

  it("exits 2 on usage errors", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    expect(zcspec("validate").code).toBe(2);
    const r = zcspec("validate", "no/such/dir");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no such spec file or directory: no/such/dir");
  });
});

describe("zcspec plan", () => {
  it("shows every resolved parameter, the plan fields and what cannot run yet", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("plan", "test/fixtures/good/extends.yaml");
    expect(r.code).toBe(0);
    for (const row of ["buffers.slot", "ring.sqpoll_idle_ns", "plan.fixedBuf", "plan.unsupported"])
      expect(r.stdout).toMatch(new RegExp(`^${row.replace(".", "\\.")} `, "m"));
    expect(r.stdout).toMatch(/^repeat\s+3\s+3$/m);
    expect(r.stdout).toMatch(/^plan\.unsupported\s+none\s+none$/m);
  });

  it("lists per case what this build cannot run", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("plan", "--json", "-", "test/fixtures/good/plan-unsupported.yaml");
    expect(r.code).toBe(0);
    const plans = JSON.parse(r.stdout) as { plan: { unsupported: string[] } }[];
    expect(plans.map((p) => p.plan.unsupported)).toEqual([[], ["ring.cqe_skip_success=true"]]);
  });

  it("prints cases and plans as JSON", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("plan", "--json", "-", "specs/examples/udp-sink.yaml");
    expect(r.code).toBe(0);
    const plans = JSON.parse(r.stdout);
    expect(plans).toHaveLength(6);
    expect(plans[3]).toMatchObject({
      case: { name: "send_zc/size=600", buffers: { size: 600 } },
      plan: { mode: "send_zc", fixedBuf: true, bufSize: 600, unsupported: [] },
    });
  });

  it("warns at plan time about CPUs this machine lacks", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("plan", "test/fixtures/bad/cpu-missing.yaml");
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("warning[ZC_CPU_MISSING]: threads.cpus names CPU 64");
    // validate does not: the spec may run on a bigger machine
    expect(zcspec("validate", "test/fixtures/bad/cpu-missing.yaml").code).toBe(0);
  });

  it("exits 2 on an invalid spec, without a stack trace", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("plan", "test/fixtures/bad/cqe-skip-send-zc.yaml");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error[ZC_CQE_SKIP_ZC]");
    expect(r.stderr).not.toMatch(NO_STACK);
  });
});

describe("zcspec schema", () => {
  it("prints the spec schema and the shared defaults schema", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const spec = JSON.parse(zcspec("schema").stdout);
    expect(spec.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(spec).toEqual(JSON.parse(readFileSync("schema/zcspec.schema.json", "utf8")));
    expect(JSON.parse(zcspec("schema", "--defaults").stdout).title).toBe("zcspec shared defaults");
  });
});
