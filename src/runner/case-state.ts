import type { Case } from "../model/case.js";
import type { Plan } from "../model/plan.js";
import type { CaseResult } from "../model/results.js";
import type { Topology } from "../model/target.js";
import { estimatesOf, type RepetitionState } from "../stats/estimates.js";
import type { DoneRepetition } from "./run-case.js";

/** One selected case on its way through the rounds. */
export interface CaseState {
  c: Case;
  /** its place among the selected cases */
  index: number;
  plan: Plan;
  topology?: Topology;
  /** its repetitions that ran to their end */
  done: DoneRepetition[];
  started: boolean;
  /** set once the case has ended */
  result?: CaseResult;
  /** it ended without its repetitions: skipped, an error, or cut short by --fail-fast */
  out: boolean;
  /** the stop cut its last repetition short (left out of its figures) */
  interrupted?: boolean;
}

/** Most repetitions a case may run: its count, or its adaptive max. */
export function cap(c: Case): number {
  return c.adaptive?.max ?? c.repeat;
}

/** What the adaptive rule weighs of a case: its repetitions so far and their estimates. */
export function repetitionState(st: CaseState): RepetitionState {
  return {
    n: st.done.length,
    min: st.c.repeat,
    ...(st.c.adaptive ? { adaptive: st.c.adaptive } : {}),
    ...(st.done.length >= 2 ? { estimates: estimatesOf(st.done.map((d) => d.measured)) } : {}),
  };
}
