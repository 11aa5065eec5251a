import type { Baseline } from "../assert/baseline.js";
import { baselineCheck } from "../assert/baseline.js";
import { ExpectationEvaluator } from "../assert/evaluate.js";
import type { Case } from "../model/case.js";
import { type CaseResult, ranToEnd } from "../model/results.js";
import type { Expectation } from "../spec/cel/expectations.js";
import { finish, measuredFigures } from "./outcome.js";

/**
 * Judges a spec's cases against its expectations and the baseline. An
 * expectation about a peer that has not run yet waits; each case that ends
 * settles the ones waiting for it, and the run's end settles the rest.
 */
export class PeerJudge {
  readonly #byName = new Map<string, CaseResult>();
  readonly #pending = new Map<CaseResult, Expectation[]>();
  readonly #evaluator: ExpectationEvaluator;

  constructor(
    private readonly spec: { name: string; cases: readonly Case[] },
    expectations: readonly Expectation[],
    selected: readonly Case[],
    private readonly baseline: { baseline?: Baseline; tolerance?: number },
  ) {
    this.#evaluator = new ExpectationEvaluator(expectations, {
      cases: spec.cases,
      result: (name) => {
        const r = this.#byName.get(name);
        if (r && ranToEnd(r)) return measuredFigures(r);
        if (r) return `was ${r.status}${r.reason ? `: ${r.reason}` : ""}`;
        return selected.some((c) => c.name === name)
          ? undefined
          : "was not selected (--case/--grep)";
      },
      baseline: (name) => baseline.baseline?.get(spec.name, name),
      ...(baseline.baseline ? { baselineFile: baseline.baseline.file } : {}),
    });
  }

  /** Check a measured case's expectations (those waiting for a later peer wait), its baseline. */
  judge(result: CaseResult): void {
    if (!result.measured || result.status === "error") return;
    const { checks, pending } = this.#evaluator.check(result.case, measuredFigures(result));
    if (pending.length) this.#pending.set(result, pending);
    const base = this.baseline.baseline?.get(this.spec.name, result.case.name);
    if (base) {
      checks.push(baselineCheck(measuredFigures(result), base, this.baseline.tolerance ?? 0.05));
    }
    finish(result, checks);
  }

  /** A case has ended: earlier cases waiting for it as their peer are decided now (returned). */
  ended(result: CaseResult): CaseResult[] {
    this.#byName.set(result.case.name, result);
    return this.#settle(false);
  }

  /** The run is over: expectations whose peer never ran are decided as such. */
  settleAll(): void {
    this.#settle(true);
  }

  #settle(final: boolean): CaseResult[] {
    const changed: CaseResult[] = [];
    for (const [result, list] of this.#pending) {
      const { checks, pending } = this.#evaluator.check(
        result.case,
        measuredFigures(result),
        list,
        final,
      );
      if (pending.length) this.#pending.set(result, pending);
      else this.#pending.delete(result);
      if (checks.length) {
        finish(result, checks);
        changed.push(result);
      }
    }
    return changed;
  }
}
