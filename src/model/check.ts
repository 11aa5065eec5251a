import type { Estimate, Verdict } from "./estimate.js";

/** Where in a spec file a check was written (1-based). */
export interface CheckLocation {
  file: string;
  line: number;
  col: number;
}

/** The outcome of one assertion: pure data, so reporters can show why. */
export interface Check {
  name: string;
  pass: boolean;
  /** what was seen, in words, when the check failed or could not be evaluated */
  reason?: string;
  /** invariant: always checked; expect: the spec's expression; baseline: --baseline */
  kind?: "invariant" | "expect" | "baseline";
  /**
   * could not be evaluated (a peer or baseline case did not run): counts as a failure only with
   * --strict
   */
  skipped?: boolean;
  /** the CEL expression, for expectations */
  expression?: string;
  location?: CheckLocation;
  /**
   * for a relation judged on its interval (faster(), ratio(), a baseline):
   * held, failed or inconclusive; `pass` is true only for held
   */
  verdict?: Verdict;
  /** the interval it was judged on */
  interval?: Estimate;
  /** the values the expression's operands had, by their source text */
  values?: Record<string, string>;
}

/**
 * A check that failed decides the case. One that was skipped, or whose
 * interval was inconclusive, did not fail: it is reported, and fails the
 * run only under --strict (isUndecided).
 */
export function isFailure(c: Check): boolean {
  return !c.pass && !c.skipped && c.verdict !== "inconclusive";
}

/**
 * Neither passed nor failed: skipped (could not be evaluated) or inconclusive (its interval
 * straddles the line).
 */
export function isUndecided(c: Check): boolean {
  return !c.pass && (c.skipped === true || c.verdict === "inconclusive");
}
