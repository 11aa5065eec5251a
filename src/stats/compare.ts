import type { Estimate } from "../model/estimate.js";
import type { Measured } from "../model/measured/measured.js";
import { type CaseEstimates, type CaseResult, ranToEnd } from "../model/results.js";
import { LEVEL, medianInterval, pairedRatio } from "./interval.js";
import { pairByRound } from "./pairing.js";

/** A figure that comparisons are made on: the keys of CaseResult.estimates. */
export type Figure = keyof CaseEstimates;

/**
 * Every repetition's figures of a case that ran to its end (the one measurement when it ran once).
 */
function repetitionsOf(r: CaseResult & { measured: Measured }): readonly Measured[] {
  return r.runs && r.runs.length > 0 ? r.runs : [r.measured];
}

/**
 * One figure of a case with its interval: the runner's estimate when it made
 * one, else the median of the repetitions with its order-statistics interval
 * (results written before estimates existed), else the single measurement
 * (n 1, level 0: no interval). Undefined for a case that did not run to its
 * end, or has no such figure.
 */
export function caseEstimate(r: CaseResult, figure: Figure): Estimate | undefined {
  if (!ranToEnd(r)) return undefined;
  const given = r.estimates?.[figure];
  if (given) return given;
  // the machine's CPU is absent where /proc/stat was not read
  const values = repetitionsOf(r).flatMap((m) => m[figure] ?? []);
  return values.length > 0 ? medianInterval(values) : undefined;
}

/**
 * The pairs of one figure that compare case `a` with case `b`, paired as
 * pairByRound pairs them; a pair with a figure that is not positive is left out.
 */
export function pairedFigures(
  a: CaseResult,
  b: CaseResult,
  figure: Figure,
): { a: number[]; b: number[]; rounds?: number[] } {
  const out: { a: number[]; b: number[]; rounds?: number[] } = { a: [], b: [] };
  if (!ranToEnd(a) || !ranToEnd(b)) return out;
  const side = (r: CaseResult & { measured: Measured }) => {
    const runs = repetitionsOf(r);
    return r.repetitions ? { runs, rounds: r.repetitions.map((p) => p.round) } : { runs };
  };
  const { pairs, rounds } = pairByRound(side(a), side(b));
  const usable = (x: number | undefined): x is number =>
    x !== undefined && Number.isFinite(x) && x > 0;
  pairs.forEach(([x, y], i) => {
    if (!usable(x[figure]) || !usable(y[figure])) return;
    out.a.push(x[figure]);
    out.b.push(y[figure]);
    if (!rounds) return;
    out.rounds ??= [];
    out.rounds.push(rounds[i] as number);
  });
  return out;
}

/**
 * The ratio a/b of one figure of two cases, from their paired repetitions
 * (see pairedFigures) with stats/interval.ts pairedRatio: its value is the
 * geometric mean of the paired ratios, its interval 95 % (level 0, no
 * interval, when only one pair exists). Undefined when either case did not
 * run to its end or no pair is left.
 *
 * For a rate (rps, gbps) a ratio above 1 means a is faster; for
 * cpuNsPerRequest below 1 means a is cheaper. compareCases(b, a,
 * "cpuNsPerRequest") is a's advantage in requests per CPU-second.
 */
export function compareCases(
  a: CaseResult,
  b: CaseResult,
  figure: Figure,
  level = LEVEL,
): Estimate | undefined {
  const p = pairedFigures(a, b, figure);
  return p.a.length === 0 ? undefined : pairedRatio(p.a, p.b, level);
}
