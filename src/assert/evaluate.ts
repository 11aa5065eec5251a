import type { ASTNode, ParseResult } from "@marcbachmann/cel-js";
import type { Case } from "../model/case.js";
import type { Check } from "../model/check.js";
import { LookupError } from "../model/errors.js";
import type { Measured, RepetitionSample } from "../model/measured/measured.js";
import type { CaseResult, RepeatStats } from "../model/results.js";
import { CelInterval, CelResult, CelVerdict, celCase } from "../spec/cel/environment.js";
import { type Expectation, parseAll } from "../spec/cel/expectations.js";
import { absentPacedHint } from "../spec/cel/figures.js";
import { absentSpanHint } from "../spec/cel/latency.js";
import { runtimeEnvironment } from "./cel-runtime.js";
import { findPeer, PeerPending } from "./peer.js";
import { intervalText } from "./relations.js";

/** What a case measured, as the helpers hand it to expressions. */
export interface CaseFigures {
  measured: Measured;
  stats?: RepeatStats;
  /** every repetition's figures (CaseResult.runs), for the intervals of faster() and co */
  runs?: readonly Measured[];
  /** the round each of `runs` ran in (CaseResult.repetitions[i].round), to pair two cases */
  rounds?: readonly number[];
}

/** The figures of a case that ran to its end, with its repetitions and their rounds. */
export function caseFigures(r: CaseResult & { measured: Measured }): CaseFigures {
  const out: CaseFigures = { measured: r.measured };
  if (r.stats) out.stats = r.stats;
  if (r.runs && r.runs.length > 0) out.runs = r.runs;
  const rounds = r.repetitions?.map((p) => p.round);
  if (rounds && r.runs && rounds.length === r.runs.length) out.rounds = rounds;
  return out;
}

/** The repetitions behind a case's figures, as the relation helpers pair them. */
export function sampleOf(f: CaseFigures, origin: RepetitionSample["origin"]): RepetitionSample {
  const runs = f.runs && f.runs.length > 0 ? f.runs : [f.measured];
  return { runs, origin, ...(f.rounds && f.runs ? { rounds: f.rounds } : {}) };
}

function celResult(f: CaseFigures, origin: RepetitionSample["origin"]): CelResult {
  return new CelResult(f.measured, f.stats, sampleOf(f, origin));
}

/** Where the helpers find other cases' figures during a run. */
export interface EvaluationScope {
  /** every case of the spec, filtered out or not, to resolve peer() against */
  cases: readonly Case[];
  /** a case's figures; undefined while it has not run; a string says why it has none */
  result(name: string): CaseFigures | string | undefined;
  /** the baseline's figures of a case, undefined without one */
  baseline(name: string): CaseFigures | undefined;
  /** names the baseline file, or undefined when the run has none */
  baselineFile?: string;
}

function formatValue(v: unknown): string {
  if (typeof v === "number") {
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 100 ? v.toFixed(1) : String(Number(v.toPrecision(4)));
  }
  if (typeof v === "bigint") return String(v);
  if (typeof v === "string") return JSON.stringify(v);
  if (v instanceof CelResult) return "(a result)";
  if (v instanceof CelInterval) return intervalText(CelInterval.estimateOf(v));
  return String(v);
}

const COMPARISONS = new Set(["<", "<=", ">", ">=", "==", "!="]);

function text(n: ASTNode): string {
  return n.input.slice(n.range.start, n.range.end);
}

/**
 * The operands worth showing for a false expression: for `a && b` those of
 * the conjunct that is false, for a comparison both sides (literals left out),
 * otherwise the expression itself.
 */
function operands(node: ASTNode, truth: (n: ASTNode) => unknown): ASTNode[] {
  if (node.op === "&&") {
    const [a, b] = node.args;
    return truth(a) === false ? operands(a, truth) : operands(b, truth);
  }
  if (node.op === "||") return node.args.flatMap((a) => operands(a, truth));
  if (node.op === "!_") return operands(node.args, truth);
  if (COMPARISONS.has(node.op)) {
    return (node.args as [ASTNode, ASTNode]).filter((a) => a.op !== "value");
  }
  return [node];
}

/**
 * A relation judged on its interval: held passes; failed fails; inconclusive
 * neither passes nor fails the run (isFailure), but is reported, and fails
 * it under --strict.
 */
function verdictCheck(base: Check, v: CelVerdict): Check {
  const { verdict, interval, text } = v.outcome;
  return {
    ...base,
    pass: verdict === "held",
    verdict,
    interval,
    ...(verdict === "held" ? {} : { reason: `${base.expression?.trim()} is ${verdict}: ${text}` }),
  };
}

/** Evaluates the compiled `expect` entries of one spec against its cases' results. */
export class ExpectationEvaluator {
  private readonly env;
  private readonly parsed;

  constructor(expectations: readonly Expectation[], scope: EvaluationScope) {
    this.env = runtimeEnvironment({
      peer: (name, params) => {
        const self = scope.cases.find((c) => c.name === name);
        if (!self) throw new LookupError(`no case named ${name}`, false);
        const peer = findPeer(scope.cases, self, params);
        const got = scope.result(peer.name);
        if (got === undefined) throw new PeerPending(peer.name);
        if (typeof got === "string") throw new LookupError(`peer ${peer.name} ${got}`, true);
        return celResult(got, "run");
      },
      baseline: (name) => {
        const got = scope.baseline(name);
        if (got) return celResult(got, "baseline");
        throw new LookupError(
          scope.baselineFile
            ? `baseline ${scope.baselineFile} has no case ${name}`
            : "no baseline given (run with --baseline FILE, or guard with where: " +
                "has_baseline(case))",
          true,
        );
      },
      hasBaseline: (name) => scope.baseline(name) !== undefined,
    });
    this.parsed = parseAll(this.env, expectations);
  }

  /**
   * Checks for one case. An expression whose peer has not run yet is left in
   * `pending` (unless `final`), to be checked again after the last case.
   */
  check(
    c: Case,
    figures: CaseFigures,
    only?: readonly Expectation[],
    final = false,
  ): { checks: Check[]; pending: Expectation[] } {
    const ctx = { case: celCase(c), result: celResult(figures, "run") };
    const checks: Check[] = [];
    const pending: Expectation[] = [];
    for (const p of this.parsed) {
      if (only && !only.includes(p.e)) continue;
      const base: Check = {
        name: p.e.name,
        pass: false,
        kind: "expect",
        expression: p.e.that,
        location: { file: p.e.thatAt.file, line: p.e.thatAt.line, col: p.e.thatAt.col },
      };
      try {
        if (p.where && p.where(ctx) !== true) continue;
        const value = p.that(ctx);
        if (value instanceof CelVerdict) {
          checks.push(verdictCheck(base, value));
          continue;
        }
        if (value === true) {
          checks.push({ ...base, pass: true });
          continue;
        }
        const values = this.explain(p.that, ctx);
        const shown = Object.entries(values).map(([k, v]) => `${k} = ${v}`);
        checks.push({
          ...base,
          values,
          reason: `${p.e.that.trim()} is false${shown.length ? `: ${shown.join(", ")}` : ""}`,
        });
      } catch (e) {
        if (e instanceof PeerPending && !final) {
          pending.push(p.e);
        } else if (e instanceof PeerPending) {
          checks.push({ ...base, skipped: true, reason: `peer ${e.message} did not run` });
        } else if (e instanceof LookupError && e.missing) {
          checks.push({ ...base, skipped: true, reason: e.message });
        } else {
          const summary = (e as { summary?: string }).summary ?? (e as Error).message;
          const hint = absentSpanHint(summary) ?? absentPacedHint(summary);
          checks.push({
            ...base,
            reason: `cannot evaluate ${p.e.that.trim()}: ${summary}${hint ? ` (${hint})` : ""}`,
          });
        }
      }
    }
    return { checks, pending };
  }

  /** The values of the operands that made an expression false, by source text. */
  private explain(parsed: ParseResult, ctx: object): Record<string, string> {
    const value = (n: ASTNode): unknown => {
      try {
        return this.env.parse(text(n))(ctx);
      } catch {
        return undefined;
      }
    };
    const out: Record<string, string> = {};
    for (const n of operands(parsed.ast, value)) {
      const v = value(n);
      if (v !== undefined) out[text(n)] = formatValue(v);
    }
    return out;
  }
}
