import type { ASTNode, Environment } from "@marcbachmann/cel-js";
import type { Case } from "../../model/case.js";
import type { SpecDiagnostic } from "../../model/errors.js";
import { celCase, celEnvironment } from "./environment.js";
import { type Expectation, pointAt, reads, type SourcePoint } from "./expectations.js";

/**
 * An expectation that reads `result.latency` on a case whose `latency.record` is off: the
 * executor times no request there, so the expectation could only fail (or, guarded, check
 * nothing). Decided before anything runs, over the resolved cases.
 */

/** The first `result.latency` an expression reads (its AST node), if any. */
function latencyRead(node: unknown): ASTNode | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = latencyRead(n);
      if (found) return found;
    }
    return undefined;
  }
  if (!node || typeof node !== "object" || !("op" in node)) return undefined;
  const n = node as ASTNode;
  if (n.op === "value") return undefined;
  const [object, field] = (Array.isArray(n.args) ? n.args : []) as [ASTNode | undefined, unknown];
  if (n.op === "." && field === "latency" && object?.op === "id" && object.args === "result")
    return n;
  return latencyRead(n.args);
}

/** The cases a `where` keeps: all of them when it reads results (decided as the run goes). */
function applies(env: Environment, e: Expectation, cases: readonly Case[]): Case[] {
  if (e.where === undefined || reads(env, e.where).has("result")) return [...cases];
  const where = env.parse(e.where);
  return cases.filter((c) => {
    try {
      return where({ case: celCase(c) }) === true;
    } catch {
      return true; // it needs results or a run's baseline: it may apply
    }
  });
}

function located(at: SourcePoint, text: string, n: ASTNode, off: readonly Case[]) {
  const range = n.range;
  const names = off.slice(0, 4).map((c) => c.name);
  return {
    code: "ZC_LATENCY_OFF" as const,
    severity: "error" as const,
    ...pointAt(at, text, range.start),
    length: Math.max(1, range.end - range.start),
    message:
      `result.latency is read, but ${off.length === 1 ? "case" : "cases"} ` +
      `${names.join(", ")}${off.length > names.length ? ", ..." : ""} ` +
      `${off.length === 1 ? "times" : "time"} no request (latency: { record: off })`,
    hint:
      "time them with latency: { record: sampled } (the default) or { record: full }, or keep " +
      'them out with where: case.latency.record != "off"',
  };
}

/** Every expectation that needs latency on a case that records none. */
export function latencyOffGates(
  expectations: readonly Expectation[],
  cases: readonly Case[],
): SpecDiagnostic[] {
  if (!cases.some((c) => c.latency.record === "off")) return [];
  const env = celEnvironment();
  const out: SpecDiagnostic[] = [];
  for (const e of expectations) {
    if (e.search) continue;
    const off = applies(env, e, cases).filter((c) => c.latency.record === "off");
    if (off.length === 0) continue;
    for (const [text, at] of [
      [e.that, e.thatAt],
      [e.where, e.whereAt],
    ] as const) {
      if (text === undefined || !at) continue;
      const n = latencyRead(env.parse(text).ast);
      if (n) {
        out.push(located(at, text, n, off));
        break;
      }
    }
  }
  return out;
}
