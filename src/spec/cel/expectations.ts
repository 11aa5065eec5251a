import type { ASTNode, Environment, ParseResult } from "@marcbachmann/cel-js";
import { isScalar, type Scalar } from "yaml";
import type { CheckLocation } from "../../model/check.js";
import type { SpecDiagnostic } from "../../model/errors.js";
import { LATENCY_SPANS } from "../../model/measured/latency.js";
import type { LoadedSpec } from "../source/load.js";
import { closest } from "../suggest.js";
import type { ExpectInput } from "../types.js";
import { CEL_HELPERS, celEnvironment, VERDICT_HELPERS } from "./environment.js";
import { FIGURE_NAMES } from "./figures.js";
import { LATENCY_FIELDS } from "./latency.js";

/** One `expect` entry, checked to compile, with where each expression sits in the file. */
export interface Expectation {
  name: string;
  that: string;
  where?: string;
  thatAt: SourcePoint;
  whereAt?: SourcePoint;
  /**
   * it reads `search` (the break-even search's outcome): checked once, on the search, not per case
   */
  search?: true;
}

/** The file position of an expression's first character, and how to map offsets inside it. */
export interface SourcePoint extends CheckLocation {
  /** column offset of each line of the expression after the first (block scalars) */
  indent?: number;
  /** a block scalar's source lines, indentation removed: folding keeps offsets 1:1 with it */
  raw?: string;
}

/** File line:col of `offset` characters into an expression. */
export function pointAt(p: SourcePoint, text: string, offset: number): CheckLocation {
  const before = (p.raw ?? text).slice(0, offset);
  const newlines = before.split("\n").length - 1;
  if (newlines === 0) return { file: p.file, line: p.line, col: p.col + offset };
  const lineStart = before.lastIndexOf("\n") + 1;
  return {
    file: p.file,
    line: p.line + newlines,
    col: (p.indent ?? 0) + 1 + (offset - lineStart),
  };
}

function sourcePoint(spec: LoadedSpec, path: (string | number)[]): SourcePoint {
  const node = spec.doc.getIn(path, true) as Scalar | undefined;
  if (!isScalar(node) || !node.range) return { file: spec.file, line: 1, col: 1 };
  const start = node.range[0];
  const pos = spec.lines.linePos(start);
  if (node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED") {
    // the value starts on the line after the | or > indicator, at the block's indent
    const next = spec.text.indexOf("\n", start) + 1;
    const indent = /^ */.exec(spec.text.slice(next))?.[0].length ?? 0;
    const at = spec.lines.linePos(next);
    const raw = spec.text
      .slice(next, node.range[1])
      .split("\n")
      .map((l) => l.slice(indent))
      .join("\n");
    return { file: spec.file, line: at.line, col: indent + 1, indent, raw };
  }
  const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
  return { file: spec.file, line: pos.line, col: pos.col + (quoted ? 1 : 0) };
}

const CASE_WORDS = ["name", "mode", "target", "socket", "ring", "buffers", "batch", "matrix"];

/** What `result` has besides its figures, for suggestions. */
const RESULT_WORDS = [
  "min",
  "max",
  "stddev",
  "runs",
  "latency",
  "schedule_kept",
  ...LATENCY_SPANS,
  ...LATENCY_FIELDS,
];

function hintFor(summary: string): string {
  const key = /No such key: (\w+)/.exec(summary)?.[1];
  const guess = key ? closest(key, [...FIGURE_NAMES, ...RESULT_WORDS]) : undefined;
  if (guess) return `did you mean "${guess}"?`;
  const unknown = /Unknown variable: (\w+)/.exec(summary)?.[1];
  if (unknown) {
    const g = closest(unknown, ["case", "result", "search"]);
    return g
      ? `did you mean "${g}"?`
      : "expressions see `case` and `result` (or, about a break-even search, `search`)";
  }
  if (key) {
    return (
      `result figures: ${FIGURE_NAMES.join(", ")}, runs, min, max, stddev, schedule_kept, ` +
      `latency.{${LATENCY_SPANS.join(",")}}.{${LATENCY_FIELDS.join(",")}}; case: ` +
      `${CASE_WORDS.join(", ")}, ...`
    );
  }
  return (
    `helpers: ${CEL_HELPERS.map((h) => h.call).join(", ")}; ints and doubles mix ` +
    "(result.errors == 0)"
  );
}

/** Every function call in an expression, outermost first (vacuous.ts reads peer() calls too). */
export function calls(node: unknown, out: ASTNode[] = []): ASTNode[] {
  if (Array.isArray(node)) {
    for (const n of node) calls(n, out);
    return out;
  }
  if (!node || typeof node !== "object" || !("op" in node)) return out;
  const n = node as ASTNode;
  if (n.op === "call" || n.op === "rcall") out.push(n);
  if (n.op !== "value") calls(n.args, out);
  return out;
}

export function callName(n: ASTNode): string {
  return String((n.args as unknown[])[0]);
}

export function callArgs(n: ASTNode): ASTNode[] {
  const args = n.args as unknown[];
  return (n.op === "rcall" ? args[2] : args[1]) as ASTNode[];
}

function diagnostic(
  at: SourcePoint,
  text: string,
  range: { start: number; end: number },
  d: Pick<SpecDiagnostic, "code" | "message" | "hint">,
): SpecDiagnostic {
  const where = pointAt(at, text, Math.min(range.start, text.length));
  return {
    ...d,
    severity: "error",
    file: where.file,
    line: where.line,
    col: where.col,
    length: Math.max(1, Math.min(range.end, text.length) - range.start),
  };
}

/**
 * The uses of the helpers that CEL's types cannot explain well: a verdict
 * helper (faster, cheaper) anywhere but alone as a whole `that` (its value is
 * held, failed or inconclusive, which `!`, `&&` or a `where` cannot take),
 * and a figure ratio_interval() does not know.
 */
function helperMisuse(
  env: Environment,
  text: string,
  at: SourcePoint,
  what: "that" | "where",
): SpecDiagnostic | undefined {
  let root: ASTNode;
  try {
    root = env.parse(text).ast;
  } catch {
    return undefined; // a syntax error: env.check reports it
  }
  const verdicts = new Set<string>(VERDICT_HELPERS);
  for (const n of calls(root)) {
    const name = callName(n);
    if (verdicts.has(name) && (what === "where" || n !== root)) {
      const alone = `that: ${text.slice(n.range.start, n.range.end)}`;
      return diagnostic(at, text, n.range, {
        code: "ZC_EXPECT_TYPE",
        message:
          what === "where"
            ? `where: ${name}() gives a verdict (held, failed or inconclusive), not a boolean`
            : `that: ${name}() gives a verdict (held, failed or inconclusive), not a boolean: it ` +
              "must be the whole expression",
        hint:
          `write it alone (\`${alone}\`) and put conditions in \`where\`; ` +
          "for a plain true/false test of the interval compare its bounds: " +
          'ratio_interval(result, peer(case, "mode", "send"), "rps").low > 1.0',
      });
    }
    const figure = callArgs(n)[2];
    if (name === "ratio_interval" && figure?.op === "value" && typeof figure.args === "string") {
      if (FIGURE_NAMES.includes(figure.args)) continue;
      const guess = closest(figure.args, FIGURE_NAMES);
      return diagnostic(at, text, figure.range, {
        code: "ZC_EXPECT_COMPILE",
        message: `${what}: ratio_interval() has no figure "${figure.args}"`,
        hint: guess ? `did you mean "${guess}"?` : `figures: ${FIGURE_NAMES.join(", ")}`,
      });
    }
  }
  return undefined;
}

interface CelError {
  summary?: string;
  message: string;
  range?: { start: number; end: number };
}

function compileOne(
  env: Environment,
  text: string,
  at: SourcePoint,
  what: "that" | "where",
): SpecDiagnostic | undefined {
  const misuse = helperMisuse(env, text, at, what);
  if (misuse) return misuse;
  let error: CelError | undefined;
  let type: string | undefined;
  try {
    const checked = env.check(text);
    error = checked.error as CelError | undefined;
    type = checked.type;
  } catch (e) {
    error = e as CelError;
  }
  // a verdict helper's call alone (helperMisuse refused every other use)
  if (!error && (type === "bool" || (type === "Verdict" && what === "that"))) return undefined;
  const range = error?.range ?? { start: 0, end: text.length };
  const where = pointAt(at, text, Math.min(range.start, text.length));
  const summary = error ? (error.summary ?? error.message.split("\n")[0] ?? "") : "";
  return {
    code: error ? "ZC_EXPECT_COMPILE" : "ZC_EXPECT_TYPE",
    severity: "error",
    message: error
      ? `${what}: ${summary}`
      : `${what} must be a boolean expression; this one is ${type}`,
    hint: error ? hintFor(summary) : "compare it with something, e.g. result.rps > 100000",
    file: where.file,
    line: where.line,
    col: where.col,
    length: Math.max(1, Math.min(range.end, text.length) - range.start),
  };
}

/** The variables an expression reads (and its comprehensions' own, which are harmless here). */
function identifiers(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) identifiers(n, out);
    return out;
  }
  if (!node || typeof node !== "object" || !("op" in node)) return out;
  const n = node as ASTNode;
  if (n.op === "id" && typeof n.args === "string") out.add(n.args);
  else if (n.op !== "value") identifiers(n.args, out);
  return out;
}

export function reads(env: Environment, text: string | undefined): Set<string> {
  if (text === undefined) return new Set();
  try {
    return identifiers(env.parse(text).ast);
  } catch {
    return new Set();
  }
}

function readsSearch(env: Environment, e: Expectation): boolean {
  return reads(env, e.that).has("search") || reads(env, e.where).has("search");
}

/**
 * `search` where it cannot be: in a spec without a search, or beside `case`
 * or `result` (an expectation about the search is checked once, on its
 * outcome, where no one case is at hand).
 */
function searchMisuse(
  env: Environment,
  e: Expectation,
  hasSearch: boolean,
): SpecDiagnostic | undefined {
  for (const [text, at, what] of [
    [e.that, e.thatAt, "that"],
    [e.where, e.whereAt, "where"],
  ] as const) {
    if (text === undefined || !at) continue;
    const ids = reads(env, text);
    if (!ids.has("search") && !readsSearch(env, e)) continue;
    const at0 = { start: 0, end: text.length };
    if (!hasSearch && ids.has("search"))
      return diagnostic(at, text, at0, {
        code: "ZC_EXPECT_COMPILE",
        message: `${what}: this spec has no search, so \`search\` has no value`,
        hint:
          "add a search: section (see specs/examples/break-even.yaml), or test the cases " +
          "with `result`",
      });
    const other = ["case", "result"].find((v) => ids.has(v));
    if (other)
      return diagnostic(at, text, at0, {
        code: "ZC_EXPECT_COMPILE",
        message:
          `${what}: an expectation about \`search\` is checked once, on the search's ` +
          `outcome: it cannot read \`${other}\``,
        hint:
          "write the search's gate on its own " +
          "(that: search.found && search.break_even.high <= 8192), " +
          "and the cases' checks in another entry",
      });
  }
  return undefined;
}

/**
 * Compile every `expect` entry of a parsed spec. Type errors (an unknown
 * figure, comparing a string with a number) are found here, before any case
 * runs, each located at its line and column.
 */
export function compileExpectations(spec: LoadedSpec): {
  expectations: Expectation[];
  diagnostics: SpecDiagnostic[];
} {
  const list = (spec.data as { expect?: unknown } | undefined)?.expect;
  const expectations: Expectation[] = [];
  const diagnostics: SpecDiagnostic[] = [];
  if (!Array.isArray(list)) return { expectations, diagnostics };
  const env = celEnvironment();
  const hasSearch = (spec.data as { search?: unknown } | undefined)?.search !== undefined;
  list.forEach((raw: Partial<ExpectInput>, i) => {
    // not a string, or empty: a shape error the schema reports (once, not again as CEL)
    if (typeof raw?.that !== "string" || raw.that === "") return;
    const thatAt = sourcePoint(spec, ["expect", i, "that"]);
    const e: Expectation = { name: raw.name ?? raw.that.trim(), that: raw.that, thatAt };
    const problems = [compileOne(env, raw.that, thatAt, "that")];
    if (typeof raw.where === "string" && raw.where !== "") {
      e.where = raw.where;
      e.whereAt = sourcePoint(spec, ["expect", i, "where"]);
      problems.push(compileOne(env, raw.where, e.whereAt, "where"));
    }
    const found = problems.filter((p): p is SpecDiagnostic => p !== undefined);
    if (found.length === 0) {
      const misuse = searchMisuse(env, e, hasSearch);
      if (misuse) found.push(misuse);
      else if (readsSearch(env, e)) e.search = true;
    }
    diagnostics.push(...found);
    if (found.length === 0) expectations.push(e);
  });
  return { expectations, diagnostics };
}

/** Parsed expressions of one spec, in one environment whose helpers see this run. */
export function parseAll(
  env: Environment,
  expectations: readonly Expectation[],
): { e: Expectation; that: ParseResult; where?: ParseResult }[] {
  return expectations.map((e) => ({
    e,
    that: env.parse(e.that),
    ...(e.where === undefined ? {} : { where: env.parse(e.where) }),
  }));
}
