// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is spec text, not a template
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { SpecDiagnostic } from "../../src/model/errors.js";
import { checkSpec } from "../../src/spec/read.js";
import { formatDiagnostic } from "../../src/spec/source/frame.js";
import { parseSpecText } from "../../src/spec/source/load.js";

/**
 * Validation must turn any text at all into diagnostics, never into an
 * exception: mutate the shipped specs (and a spec that extends a shared file)
 * thousands of times and check that only well-formed spec diagnostics come out.
 */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f));
}

/** each seed's text, and its data parsed once for the structural mutations */
const SEEDS = [...yamlFiles("specs"), "test/fixtures/good/extends.yaml"].map((file) => {
  const text = readFileSync(file, "utf8");
  return { file, text, data: parseSpecText(file, text, { env: {} }).data };
});

/**
 * What is wrong with a diagnostic, [] when nothing: plain checks, asserted
 * once per text, since thousands of texts times eight expect() calls spent
 * more time in the assertion library than in validation.
 */
function malformed(d: SpecDiagnostic, source: string | undefined): string[] {
  const wrong: [boolean, string][] = [
    [!/^ZC_[A-Z0-9_]+$/.test(d.code), "code"],
    [!["error", "warning"].includes(d.severity), "severity"],
    [d.message.length === 0, "message"],
    [!(d.line >= 1), "line"],
    [!(d.col >= 1), "col"],
    [!(d.length >= 1), "length"],
    // every file a diagnostic names has its text for the frame
    [source === undefined, "source"],
    [!(d.line <= (source ?? "").split("\n").length), "line past the end"],
  ];
  return wrong.filter(([bad]) => bad).map(([, what]) => what);
}

/** Check a mutated text as `zcspec validate` would; any exception fails the property. */
function validates(file: string, text: string, env: Record<string, string>): void {
  const check = checkSpec(parseSpecText(file, text, { env }), { env, cpus: new Set([0, 1]) });
  const problems = check.diagnostics.flatMap((d) => {
    formatDiagnostic(d, check.sources.get(d.file));
    const wrong = malformed(d, check.sources.get(d.file));
    return wrong.length ? [{ diagnostic: d, wrong }] : [];
  });
  expect(problems).toEqual([]);
  // a valid spec runs something: cases, or a break-even search that makes its own
  if (!check.diagnostics.some((d) => d.severity === "error"))
    expect(check.cases.length > 0 || check.search !== undefined).toBe(true);
}

const seed = fc.constantFrom(...SEEDS);
/** characters that mean something to YAML, units, ${VAR}, or nothing at all */
const piece = fc.oneof(
  fc.constantFrom(..."{}[]:,-#&*!|>'\"%@`$\n\t ".split("")),
  fc.constantFrom(
    "${",
    "${X}",
    "${X:-1}",
    "$${",
    "}",
    "0",
    "-1",
    "1e9",
    "65508",
    "MiB",
    "ms",
    "null",
    "~",
    "true",
    "*a",
    "&a ",
    "<<: ",
  ),
  fc.string({ maxLength: 6 }),
);
const env = fc.dictionary(
  fc.constantFrom("X", "ZCSPEC_TEST_SIZE", "ZCSPEC_TEST_BATCH"),
  fc.string({ maxLength: 5 }),
);

/** One textual edit: replace a span of the text with a piece (empty span: insert, empty piece: delete). */
const textEdit = fc.record({
  at: fc.nat(),
  span: fc.nat({ max: 12 }),
  piece: fc.oneof(piece, fc.constant("")),
});

function applyEdit(text: string, e: { at: number; span: number; piece: string }): string {
  const at = e.at % (text.length + 1);
  return text.slice(0, at) + e.piece + text.slice(at + e.span);
}

type Json = unknown;

/** Replace, delete or add a value somewhere in the parsed spec. */
function mutateData(data: Json, path: number[], value: Json, op: number): Json {
  if (typeof data !== "object" || data === null) return value;
  const keys = Object.keys(data);
  if (keys.length === 0 || path.length === 0) return op % 3 === 0 ? value : data;
  const key = keys[(path[0] as number) % keys.length] as string;
  const copy: Record<string, Json> = Array.isArray(data) ? ([...data] as never) : { ...data };
  if (path.length === 1 && op % 3 === 1) delete copy[key];
  else if (path.length === 1 && op % 3 === 2) copy[`${key}${op % 7}`] = value;
  else copy[key] = mutateData(copy[key], path.slice(1), value, op);
  return copy;
}

const value = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom("send_zc", "sned_zc", "4MiB", "200ms", "${X}", "70000", -1, 0, 65508, 1e308),
);

describe("spec validation under mutation", () => {
  it("turns thousands of textual mutations into spec diagnostics only", () => {
    fc.assert(
      fc.property(seed, fc.array(textEdit, { minLength: 1, maxLength: 4 }), env, (s, edits, e) => {
        validates(s.file, edits.reduce(applyEdit, s.text), e);
      }),
      { numRuns: 3000 },
    );
  });

  it("turns thousands of structural mutations into spec diagnostics only", () => {
    fc.assert(
      fc.property(
        seed,
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        value,
        fc.nat(),
        env,
        (s, path, v, op, e) => {
          validates(s.file, stringify(mutateData(s.data, path, v, op)), e);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
