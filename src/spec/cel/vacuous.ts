import type { ASTNode, Environment } from "@marcbachmann/cel-js";
import { type Case, sameValue, valueAt } from "../../model/case.js";
import type { SpecDiagnostic } from "../../model/errors.js";
import type { SearchSpec } from "../search.js";
import { closest } from "../suggest.js";
import { celCase, celEnvironment } from "./environment.js";
import {
  callArgs,
  callName,
  calls,
  type Expectation,
  pointAt,
  reads,
  type SourcePoint,
} from "./expectations.js";

/**
 * Gates that cannot fail because they never apply: a `where` no case of the
 * spec satisfies (a typo'd mode), and a `peer()` naming a parameter value
 * no case has. Both are decided before anything runs, over the resolved cases.
 */

/** Every string a case holds, for did-you-mean on a literal no case has. */
function strings(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === "string") out.add(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === "object") for (const x of Object.values(v)) strings(x, out);
  return out;
}

function literals(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) literals(n, out);
    return out;
  }
  if (!node || typeof node !== "object" || !("op" in node)) return out;
  const n = node as ASTNode;
  if (n.op === "value") {
    if (typeof n.args === "string") out.push(n.args);
  } else literals(n.args, out);
  return out;
}

function located(
  at: SourcePoint,
  text: string,
  range: { start: number; end: number },
  d: Pick<SpecDiagnostic, "code" | "severity" | "message" | "hint">,
): SpecDiagnostic {
  const where = pointAt(at, text, range.start);
  return { ...d, ...where, length: Math.max(1, range.end - range.start) };
}

/** Helpers whose answer depends on what a run is given, not on the spec's cases. */
const RUN_TIME_HELPERS = new Set(["baseline", "has_baseline"]);

/**
 * The `where` of `e` is true for no case (undefined when it is, or cannot be decided statically).
 */
function whereMatchesNone(
  env: Environment,
  e: Expectation,
  cases: readonly Case[],
): SpecDiagnostic | undefined {
  const text = e.where;
  if (text === undefined || !e.whereAt) return undefined;
  // a where on the results (or the search) is decided as the run goes
  const ids = reads(env, text);
  if (ids.has("result") || ids.has("search")) return undefined;
  // the kernel is a dimension a --kernel run adds to every case after the spec is read
  if (/\bcase\.kernel\b/.test(text)) return undefined;
  const where = env.parse(text);
  // a baseline is known once the run is given one (--baseline): no case has it while validating
  if (calls(where.ast).some((n) => RUN_TIME_HELPERS.has(callName(n)))) return undefined;
  for (const c of cases) {
    try {
      if (where({ case: celCase(c) }) === true) return undefined;
    } catch {
      return undefined; // it calls a helper that needs results: not decidable here
    }
  }
  const known = strings(cases);
  const typo = literals(where.ast).find((s) => !known.has(s));
  const guess = typo === undefined ? undefined : closest(typo, [...known]);
  return located(
    e.whereAt,
    text,
    { start: 0, end: text.length },
    {
      code: "ZC_WHERE_MATCHES_NONE",
      severity: "warning",
      message: `where matches no case of this spec, so "${e.name}" checks nothing`,
      hint: guess
        ? `"${typo}" is no value of any case: did you mean "${guess}"?`
        : `cases: ${cases
            .slice(0, 8)
            .map((c) => c.name)
            .join(", ")}${cases.length > 8 ? ", ..." : ""}`,
    },
  );
}

/** peer() lookups whose literal parameter values no case has. */
function peersOfNoCase(
  env: Environment,
  text: string,
  at: SourcePoint,
  cases: readonly Case[],
): SpecDiagnostic[] {
  let root: ASTNode;
  try {
    root = env.parse(text).ast;
  } catch {
    return []; // compileExpectations reports it
  }
  const out: SpecDiagnostic[] = [];
  for (const call of calls(root)) {
    if (callName(call) !== "peer") continue;
    const [, first, second] = callArgs(call);
    const pairs: [ASTNode, ASTNode][] =
      first?.op === "map"
        ? (first.args as [ASTNode, ASTNode][])
        : first && second
          ? [[first, second]]
          : [];
    for (const [key, value] of pairs) {
      if (key.op !== "value" || typeof key.args !== "string" || value.op !== "value") continue;
      const path = key.args;
      // CEL ints are bigints; parameters are plain numbers
      const wanted = typeof value.args === "bigint" ? Number(value.args) : value.args;
      if (cases.some((c) => sameValue(valueAt(c, path), wanted))) continue;
      const present = cases.map((c) => valueAt(c, path)).filter((v) => v !== undefined);
      const shown = [...new Set(present.map((v) => JSON.stringify(v)))];
      const guess =
        typeof wanted === "string"
          ? closest(
              wanted,
              present.filter((v): v is string => typeof v === "string"),
            )
          : undefined;
      const params = [...new Set(cases.flatMap((c) => Object.keys(c.matrix)))];
      const pathGuess = closest(path, params);
      out.push(
        located(at, text, present.length > 0 ? value.range : key.range, {
          code: "ZC_PEER_NO_CASE",
          severity: "error",
          message:
            present.length > 0
              ? `peer(): no case of this spec has ${path} = ${JSON.stringify(wanted)}`
              : `peer(): no case of this spec has a parameter ${path}`,
          hint: guess
            ? `did you mean "${guess}"? (${path}: ${shown.join(", ")})`
            : present.length > 0
              ? `${path} in this spec: ${shown.join(", ")}`
              : pathGuess
                ? `did you mean "${pathGuess}"?`
                : `the parameters that vary: ${params.join(", ") || "none (one case)"}`,
        }),
      );
    }
  }
  return out;
}

/**
 * The vacuous gates among a spec's compiled expectations, over its resolved
 * cases (with a search, pass its sides too): a warning per `where` that
 * matches no case, an error per `peer()` value no case has.
 */
export function vacuousGates(
  expectations: readonly Expectation[],
  cases: readonly Case[],
): SpecDiagnostic[] {
  if (cases.length === 0) return [];
  const env = celEnvironment();
  const out: SpecDiagnostic[] = [];
  for (const e of expectations) {
    if (e.search) continue; // checked once on the search's outcome, with no case at hand
    const where = whereMatchesNone(env, e, cases);
    if (where) out.push(where);
    out.push(...peersOfNoCase(env, e.that, e.thatAt, cases));
    if (e.where !== undefined && e.whereAt)
      out.push(...peersOfNoCase(env, e.where, e.whereAt, cases));
  }
  return out;
}

/** The cases expectations apply to: the spec's, and a search's two sides at both bounds. */
export function gateCases(cases: readonly Case[], search?: SearchSpec): Case[] {
  if (!search) return [...cases];
  const { from, to } = search.settings;
  const sides = [search.at(from), search.at(to)].flatMap((s) => [s.compare, s.against]);
  return [...cases, ...sides];
}

/** --strict: a `where` that matches no case is an error, not a warning. */
export function strictGates(diagnostics: readonly SpecDiagnostic[]): SpecDiagnostic[] {
  return diagnostics.map((d) =>
    d.code === "ZC_WHERE_MATCHES_NONE" ? { ...d, severity: "error" } : d,
  );
}
