import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parseCpuList } from "../../src/env/cpus.js";
import { checkSpecFile } from "../../src/spec/read.js";

/**
 * Every file in test/fixtures/bad has one problem (a few have several), each
 * stated by a trailing comment: `# expect: <severity> <CODE> [file:]<line>:<col> <hint fragment>`.
 * A file path there is relative to the fixture (for problems in an extended file).
 * `# cpus: 0-1` gives the machine's CPUs, as plan does.
 */
const DIR = "test/fixtures/bad";
const EXPECT = /^# expect: (error|warning) (ZC_[A-Z_]+) (?:(\S+):)?(\d+):(\d+) (.+)$/;

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

describe("malformed spec fixtures", () => {
  it("has at least 40 of them, a few with several problems", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    const several = fixtures.filter(
      (f) => readFileSync(join(DIR, f), "utf8").match(/^# expect:/gm)?.length !== 1,
    );
    expect(several.length).toBeGreaterThanOrEqual(3);
  });

  it.each(fixtures)("%s", async (name) => {
    const file = join(DIR, name);
    const text = readFileSync(file, "utf8");
    const expected = text
      .split("\n")
      .filter((l) => l.startsWith("# expect:"))
      .map((l) => {
        const m = EXPECT.exec(l);
        if (!m) throw new Error(`bad expect line in ${name}: ${l}`);
        const [, severity, code, other, line, col, hint] = m;
        return {
          severity,
          code,
          file: other ? join(dirname(file), other) : file,
          line: Number(line),
          col: Number(col),
          hint: hint as string,
        };
      });
    expect(expected.length).toBeGreaterThan(0);
    const cpus = /^# cpus: (\S+)$/m.exec(text)?.[1];
    const check = await checkSpecFile(file, {
      env: {},
      ...(cpus ? { cpus: parseCpuList(cpus) } : {}),
    });
    const got = check.diagnostics.map((d) => ({
      severity: d.severity,
      code: d.code,
      file: relative(".", d.file),
      line: d.line,
      col: d.col,
      hint: d.hint ?? "",
    }));
    expect(got.map(({ hint: _, ...rest }) => rest)).toEqual(
      expected.map(({ hint: _, ...rest }) => rest),
    );
    got.forEach((d, i) => {
      expect(d.hint).toContain(expected[i]?.hint);
    });
  });
});
