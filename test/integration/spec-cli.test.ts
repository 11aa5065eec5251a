import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/command-table.js";
import { runCli } from "../helpers/spawn.js";

/** The commands run the built CLI, as a user does (npm test builds it first). */
const BUILT = existsSync("dist/cli/bin.js");
const WHY = "CLI not built (dist/cli/bin.js); run npm run build";

const zcspec = (...args: string[]) => runCli(args);

const NO_STACK = /\n\s+at /;

describe("zcspec validate", () => {
  it("passes the shipped specs, with no warning (a vacuous gate among them would be one)", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const r = zcspec("validate", "specs/", "--strict");
    expect(r.stdout).toMatch(/files? checked: (\d+) valid, 0 invalid; 0 errors, 0 warnings/);
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
    // valid: the three warning-only fixtures, and cpu-missing and ring-cpus-missing (plan-time checks)
    expect(r.stdout).toMatch(/\d+ files checked: 5 valid, \d+ invalid/);
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

/** What a user sees on a mistake: one error line in zcspec's words, a hint, exit 2, no stack. */
function refused(args: string[]): string {
  const r = zcspec(...args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(NO_STACK);
  expect(r.stderr).not.toContain("internal error");
  return r.stderr;
}

describe("the command line guides", () => {
  it.for<[string[], string]>([
    [
      ["run", "specs/examples/udp-sink.yaml", "--durattion", "1s"],
      "error[ZC_USAGE]: unknown option --durattion for zcspec run\n  hint: did you mean --duration? (zcspec run --help lists the options)\n",
    ],
    [
      ["run", "-udp-sink.yaml"],
      'error[ZC_USAGE]: unknown option -udp-sink.yaml for zcspec run\n  hint: a file whose name starts with "-" goes after --: zcspec run -- -udp-sink.yaml (zcspec run --help lists the options)\n',
    ],
    [
      ["run", "specs/examples/udp-sink.yaml", "--duration", "90m"],
      "error[ZC_USAGE]: --duration 90m: must be at most 1h (60m)\n",
    ],
    [
      ["run", "specs/examples/udp-sink.yaml", "--duration", "3"],
      "error[ZC_USAGE]: --duration 3: add a unit, e.g. 3s\n  hint: units: ns, us, ms, s, m, h\n",
    ],
    [
      ["validate", "specs/", "--json"],
      "error[ZC_USAGE]: --json needs a value (FILE)\n  hint: --json names the file to write: --json - prints to stdout (it is no switch)\n",
    ],
    [
      ["plan", "--json", "specs/examples"],
      "error[ZC_USAGE]: --json specs/examples: --json names the file to write, and that is a directory\n  hint: write --json - for stdout, or --json out.json\n",
    ],
    [
      ["probe", "--json"],
      "error[ZC_USAGE]: --json needs a value (FILE)\n  hint: --json names the file to write: --json - prints to stdout (it is no switch)\n",
    ],
    [
      ["report", "results.json", "--markdown"],
      "error[ZC_USAGE]: --markdown needs a value (FILE)\n  hint: --markdown names the file to write: --markdown - prints to stdout (it is no switch)\n",
    ],
    [
      ["rnu", "specs/"],
      'error[ZC_USAGE]: unknown command "rnu"\n  hint: did you mean run? (zcspec --help lists the commands)\n',
    ],
  ])("refuses zcspec %j in its own words", ([args, message], ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    expect(refused(args)).toBe(message);
  });

  it("prints a command's help with zcspec help COMMAND, and the version", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const help = zcspec("help", "run");
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: zcspec run SPEC\|DIR\.\.\. \[options\]/);
    expect(help.stdout).toBe(zcspec("run", "--help").stdout);
    const top = zcspec("--help").stdout;
    expect(top).toContain("-v, --version");
    expect(top).toMatch(/^Environment:$/m);
    expect(zcspec("--version").stdout).toBe(
      `${JSON.parse(readFileSync("package.json", "utf8")).version}\n`,
    );
  });

  it("has a runner for every command of the table, each with its help", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    for (const c of COMMANDS) {
      const r = zcspec("help", c.name);
      expect(r.code, c.name).toBe(0);
      expect(zcspec(c.name, "--help").stdout, c.name).toBe(r.stdout);
    }
  });

  it("plans a directory, filtered by --case and --grep", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const all = zcspec("plan", "specs/examples");
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain("specs/examples/udp-sink.yaml: udp-sink, 6 case(s)");
    const some = zcspec("plan", "specs/examples", "--grep", "^udp-sink/", "--case", "send_zc/*");
    const plans = JSON.parse(
      zcspec("plan", "specs/examples", "--grep", "^udp-sink/", "--case", "send_zc/*", "--json", "-")
        .stdout,
    );
    expect(some.code).toBe(0);
    expect(
      plans.map((p: { spec: string; case: { name: string } }) => `${p.spec}/${p.case.name}`),
    ).toEqual([
      "udp-sink/send_zc/size=600",
      "udp-sink/send_zc/size=4000",
      "udp-sink/send_zc/size=8000",
    ]);
    expect(refused(["plan", "specs/examples", "--case", "nope"])).toContain(
      "no case matches --case/--grep",
    );
  });

  it("warns about a where that matches no case, and refuses a peer() no case has", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const where = zcspec("validate", "test/fixtures/expect/where-typo.yaml");
    expect(where.code).toBe(0);
    expect(where.stdout).toContain(
      "where-typo.yaml:7:12 warning[ZC_WHERE_MATCHES_NONE]: where matches no case of this spec",
    );
    expect(where.stdout).toContain(
      'hint: "sendzc" is no value of any case: did you mean "send_zc"?',
    );
    const strict = zcspec("validate", "--strict", "test/fixtures/expect/where-typo.yaml");
    expect(strict.code).toBe(2);
    expect(strict.stdout).toContain("error[ZC_WHERE_MATCHES_NONE]");
    const peer = zcspec("validate", "test/fixtures/expect/peer-typo.yaml");
    expect(peer.code).toBe(2);
    expect(peer.stdout).toContain(
      'peer-typo.yaml:8:58 error[ZC_PEER_NO_CASE]: peer(): no case of this spec has mode = "sned"',
    );
    expect(peer.stdout).toContain('hint: did you mean "send"? (mode: "send", "send_zc")');
  });

  it("writes a starter spec that validates, and refuses to overwrite it", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    const dir = mkdtempSync(join(tmpdir(), "zcspec-init-"));
    try {
      for (const template of ["sink", "loopback-tcp"]) {
        const file = join(dir, `${template}.yaml`);
        const r = zcspec("init", "--template", template, file);
        expect(r.code, r.stderr).toBe(0);
        expect(zcspec("validate", file).stdout).toContain(
          "1 valid, 0 invalid; 0 errors, 0 warnings",
        );
      }
      expect(JSON.parse(readFileSync(join(dir, "zcspec.schema.json"), "utf8")).title).toBeDefined();
      const again = refused(["init", join(dir, "sink.yaml")]);
      expect(again).toContain("exists\n  hint: name another file, or pass --force to overwrite it");
      writeFileSync(join(dir, "sink.yaml"), "");
      expect(zcspec("init", "--force", join(dir, "sink.yaml")).code).toBe(0);
      expect(refused(["init", "--template", "sinc", join(dir, "x.yaml")])).toContain(
        "did you mean sink?",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("turns a file-system mistake into a located usage error", (ctx) => {
    if (!BUILT) return ctx.skip(WHY);
    expect(refused(["report", "specs", "--markdown", "-"])).toContain("specs is not JSON");
    expect(
      refused([
        "run",
        "specs/examples/udp-sink.yaml",
        "--baseline",
        "specs/examples/udp-sink.yaml",
        "--dry-run",
      ]),
    ).toContain("is not JSON");
    expect(refused(["validate", "no/such.yaml"])).toContain(
      "no such spec file or directory: no/such.yaml",
    );
  });
});
