import { nextRound, wantsMore } from "../stats/estimates.js";
import { type CaseState, cap, repetitionState } from "./case-state.js";
import { fitsInTime } from "./fits-in-time.js";
import { roundOrder } from "./rounds.js";
import type { SpecRun } from "./spec-run.js";
import { turn } from "./turn.js";

/** Round after round until no case wants another repetition (stats/estimates.ts nextRound). */
export async function interleaved(run: SpecRun): Promise<void> {
  for (let round = 1; ; round++) {
    const cases = roundCases(run, round);
    if (!cases.length) return;
    run.rounds = round;
    for (const [i, st] of cases.entries()) {
      if (run.stopped()) return;
      await turn(run, st, { round, position: i + 1 }, cases.length);
    }
    if (run.stopped()) return;
    const live = run.states.filter((st) => !st.out);
    if (run.goOn) {
      if (!run.goOn(live.map((st) => st.done))) return;
    } else {
      const decision = nextRound(live.map(repetitionState));
      if (!decision.go) {
        run.roundsStop = decision.stoppedBy;
        return;
      }
    }
    if (!fitsInTime(run, roundCases(run, round + 1))) {
      run.roundsStop = "time-limit";
      return;
    }
  }
}

/** The cases of a round in its shuffled order: those still running and under their cap. */
function roundCases(run: SpecRun, round: number): CaseState[] {
  return roundOrder(run.ctx.seed, round, run.states.length)
    .map((i) => run.states[i] as CaseState)
    .filter((st) => !st.result && st.done.length < cap(st.c));
}

/** Each case's repetitions back to back, in the spec's order. */
export async function sequential(run: SpecRun): Promise<void> {
  for (const st of run.states) {
    while (!st.result) {
      if (run.stopped()) return;
      if (!wantsMore(repetitionState(st))) {
        run.end(st, run.settled(st));
        break;
      }
      if (!fitsInTime(run, [st])) {
        run.roundsStop = "time-limit";
        run.end(st, run.settled(st));
        break;
      }
      const round = st.done.length + 1;
      run.rounds = Math.max(run.rounds, round);
      await turn(run, st, { round, position: st.index + 1 }, run.states.length);
    }
  }
  if (run.roundsStop !== "time-limit") {
    const decision = nextRound(run.states.filter((st) => !st.out).map(repetitionState));
    if (!decision.go) run.roundsStop = decision.stoppedBy;
  }
}
