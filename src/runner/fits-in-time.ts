import type { CaseState } from "./case-state.js";
import type { SpecRun } from "./spec-run.js";

/**
 * Another round (or repetition) fits in the spec's time limit, judging by
 * how long these cases' repetitions took so far. Only repetitions beyond
 * the minimum are weighed: the minimum runs whatever the limit, and the
 * limit stops it as it would any run.
 */
export function fitsInTime(run: SpecRun, next: readonly CaseState[]): boolean {
  const limit = run.options.timeLimitMs;
  if (limit === undefined || next.some((st) => st.done.length < st.c.repeat)) return true;
  const need = next.reduce(
    (sum, st) => sum + st.done.reduce((a, d) => a + d.wallMs, 0) / Math.max(1, st.done.length),
    0,
  );
  return Date.now() - run.ctx.started + need <= limit;
}
