import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/cli/args.js";
import { COMMANDS, commandSpec, ENVIRONMENT } from "../../src/cli/command-table.js";
import { TEMPLATES } from "../../src/cli/commands/init-templates.js";
import { commandHelp, topHelp } from "../../src/cli/help.js";
import { parseDurationFlag } from "../../src/cli/values.js";
import type { SpecInvalidError } from "../../src/model/errors.js";
import { readSpecText } from "../../src/spec/read.js";
import { parseDuration } from "../../src/spec/units.js";

const run = commandSpec("run");
const parse = (name: string, ...argv: string[]) => {
  const cmd = commandSpec(name);
  if (!cmd) throw new Error(name);
  return parseCommandLine(cmd, argv);
};
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    const { message, hint } = e as { message: string; hint?: string };
    return hint ? `${message} | ${hint}` : message;
  }
  throw new Error("accepted");
};

describe("the option tables", () => {
  it("parse long, =, short and repeated options, and -- before a file named -x", () => {
    const a = parse("run", "s.yaml", "--duration=2s", "--case", "a", "--case", "b", "--", "-x");
    expect(a.positionals).toEqual(["s.yaml", "-x"]);
    expect(a.value("duration")).toBe("2s");
    expect(a.values("case")).toEqual(["a", "b"]);
    expect(a.flag("dry-run")).toBe(false);
    expect(parse("run", "-h").flag("help")).toBe(true);
  });

  it("refuse mistakes in zcspec's words, naming the command and its help", () => {
    expect(refusal(() => parse("run", "s.yaml", "--durattion", "1s"))).toBe(
      "unknown option --durattion for zcspec run | did you mean --duration? (zcspec run --help lists the options)",
    );
    expect(refusal(() => parse("run", "-x.yaml"))).toBe(
      'unknown option -x.yaml for zcspec run | a file whose name starts with "-" goes after --: zcspec run -- -x.yaml (zcspec run --help lists the options)',
    );
    expect(refusal(() => parse("run", "s.yaml", "--duration"))).toMatch(
      /^--duration needs a value \(TIME\) \| --duration TIME: /,
    );
    expect(refusal(() => parse("run", "s.yaml", "--dry-run=yes"))).toMatch(/takes no value/);
    expect(refusal(() => parse("run", "s.yaml", "--seed", "1", "--seed", "2"))).toMatch(
      /--seed given twice/,
    );
    expect(refusal(() => parse("probe", "extra"))).toBe(
      "zcspec probe takes no arguments (got extra) | zcspec probe --help lists the options",
    );
    expect(refusal(() => parse("run"))).toMatch(/^zcspec run needs SPEC\|DIR \| zcspec run /);
    for (const text of COMMANDS.flatMap((c) => c.options.map((o) => o.description)))
      expect(text).not.toContain("<command>");
  });

  it("give --json one meaning, a FILE or - for stdout, and refuse the old switch with a hint", () => {
    for (const name of ["run", "validate", "plan", "probe", "report"]) {
      const json = commandSpec(name)?.options.find((o) => o.name === "json");
      expect(json, name).toMatchObject({ type: "string", value: "FILE", output: true });
      const positional = name === "probe" ? [] : ["x.json"];
      expect(parse(name, ...positional, "--json", "-").value("json")).toBe("-");
      expect(refusal(() => parse(name, ...positional, "--json"))).toBe(
        "--json needs a value (FILE) | --json names the file to write: --json - prints to stdout (it is no switch)",
      );
    }
    expect(refusal(() => parse("validate", "--json", "a.yaml", "b.yaml"))).toBe(
      "--json a.yaml: --json names the file to write, and that is a spec | write --json - for stdout, or --json out.json",
    );
    expect(refusal(() => parse("report", "r.json", "-o", "x.md"))).toMatch(
      /^zcspec report no longer has -o \| .*--markdown out\.md/,
    );
  });

  it("render every command's help from the table, and the top help with the environment", () => {
    const help = commandHelp(run as never);
    expect(help).toMatch(/^Usage: zcspec run SPEC\|DIR\.\.\. \[options\]/);
    for (const o of run?.options ?? []) expect(help).toContain(`--${o.name}`);
    const top = topHelp();
    for (const c of COMMANDS) expect(top).toMatch(new RegExp(`^  ${c.name} `, "m"));
    expect(top).toContain("-v, --version");
    expect(top).toContain("zcspec help COMMAND");
    expect(top).toMatch(/^Environment:\n {2}ZCSPEC_USERNS/m);
    expect(top).toContain("NO_COLOR");
  });

  it("list every ZCSPEC_ variable the sources read in the ENVIRONMENT section", () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
      );
    const used = new Set(
      walk("src")
        .filter((f) => f.endsWith(".ts"))
        .flatMap((f) => [...readFileSync(f, "utf8").matchAll(/"(ZCSPEC_[A-Z_]+)"/g)])
        .map((m) => m[1] as string),
    );
    const listed = ENVIRONMENT.map(([names]) => names).join(" ");
    expect([...used].filter((v) => !listed.includes(v))).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(4);
  });
});

describe("durations", () => {
  it("take h and compounds, in specs and flags alike", () => {
    expect(parseDuration("2h")).toBe(2 * 3600e9);
    expect(parseDuration("1m30s")).toBe(90e9);
    expect(parseDuration("1h30m")).toBe(5400e9);
    expect(() => parseDuration("1x")).toThrow(RangeError);
    expect(parseDurationFlag("time-limit", "2h", { max: 24 * 3600e9 })).toBe(2 * 3600e9);
    expect(parseDurationFlag("duration", "1m30s")).toBe(90e9);
    expect(parseDurationFlag("warmup", "0", { min: 0 })).toBe(0);
  });

  it("in a spec: the schema takes h and compounds, and the 1h limit still holds", () => {
    const spec = (duration: string) =>
      readSpecText("t.yaml", `version: 1\nname: t\ndefaults:\n  duration: ${duration}\n`);
    expect(spec("1m30s").cases[0]?.duration_ns).toBe(90e9);
    expect(spec("1h").cases[0]?.duration_ns).toBe(3600e9);
    const codes = (duration: string) => {
      try {
        spec(duration);
      } catch (e) {
        return (e as SpecInvalidError).diagnostics.map((d) => d.code);
      }
      return [];
    };
    expect(codes("2h")).toEqual(["ZC_DURATION"]);
    expect(codes("1m30")).toEqual(["ZC_FORMAT"]);
  });

  it("say a limit in the unit the user wrote, and refuse a bare number with a hint", () => {
    expect(refusal(() => parseDurationFlag("duration", "90m"))).toBe(
      "--duration 90m: must be at most 1h (60m)",
    );
    expect(refusal(() => parseDurationFlag("duration", "2h"))).toBe(
      "--duration 2h: must be at most 1h",
    );
    expect(refusal(() => parseDurationFlag("duration", "3"))).toBe(
      "--duration 3: add a unit, e.g. 3s | units: ns, us, ms, s, m, h",
    );
    expect(refusal(() => parseDurationFlag("duration", "0"))).toBe(
      "--duration 0: must be more than 0",
    );
    expect(refusal(() => parseDurationFlag("duration", "fast"))).toMatch(/is not a duration/);
  });
});

describe("zcspec init's templates", () => {
  it.for(Object.keys(TEMPLATES))("%s: comment every key, say why", (name) => {
    const lines = (TEMPLATES[name]?.("t.yaml") ?? "").split("\n");
    expect(lines[0]).toBe("# yaml-language-server: $schema=zcspec.schema.json");
    const bare = lines.filter(
      (l, i) => /^\s*(- )?[a-z_.]+:/.test(l) && !(lines[i - 1] ?? "").trim().startsWith("#"),
    );
    expect(bare).toEqual([]);
  });
});
