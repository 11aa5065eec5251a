import { isFailure } from "../model/check.js";
import { ZcspecError } from "../model/errors.js";
import type { RepetitionStart } from "../model/reporter.js";
import { loadNative } from "../native/library.js";
import { blocked } from "./blocked.js";
import { type CaseState, cap } from "./case-state.js";
import { unrun } from "./outcome.js";
import { type RepetitionPlace, runRepetition } from "./run-case.js";
import type { SpecRun } from "./spec-run.js";

/**
 * One repetition of a case. Its first turn starts it (or ends it at once:
 * skipped where this build or kernel cannot run it, an error where a limit
 * of this process stops a feature it needs); its last ends it.
 */
export async function turn(
  run: SpecRun,
  st: CaseState,
  place: RepetitionPlace,
  of: number,
): Promise<void> {
  const { c, plan } = st;
  const { environment, stop } = run.ctx;
  const reporters = run.options.reporters ?? [];
  const total = run.states.length;
  if (!st.started) {
    st.started = true;
    for (const r of reporters) r.onCaseStart?.(c, st.index, total);
    const why = blocked(run.spec.name, st, run.ctx);
    if (why) return run.end(st, why, true);
  }
  if (run.inRounds) {
    const at: RepetitionStart = {
      round: place.round,
      ...(run.order === "interleaved"
        ? { rounds: run.planned, adaptive: run.adaptive }
        : { rounds: cap(c), adaptive: c.adaptive !== undefined }),
      position: place.position,
      of,
      index: st.index,
      total,
    };
    for (const r of reporters) r.onRepetitionStart?.(c, at);
  }
  run.ctx.native ??= loadNative();
  let rep: Awaited<ReturnType<typeof runRepetition>>;
  try {
    const target = await run.ctx.targets.get(c);
    st.topology = target.topology;
    rep = await runRepetition(
      c,
      plan,
      {
        native: run.ctx.native,
        target,
        stop: stop.signal,
        why: () => (stop.signal ? stop.reason() : ""),
        onProgress: (p) => {
          for (const r of reporters) r.onCaseProgress?.(c, p);
        },
        cores: environment.cpu.count,
      },
      place,
      st.done.length + 1,
    );
  } catch (e) {
    // an environment failure ends this case, not the run: the others still report
    if (!(e instanceof ZcspecError)) throw e;
    const hint = e.hint ? ` (${e.hint})` : "";
    return run.end(
      st,
      unrun("error", run.spec.name, c, plan, `${e.message}${hint}`, environment),
      true,
    );
  }
  // cut short after whole repetitions: the case keeps those (finish() ends it), not this part
  if (rep.kind === "interrupted" && st.done.length > 0) {
    st.interrupted = true;
    return;
  }
  if (rep.kind !== "done") {
    const { reason, measured } = rep;
    return run.end(st, { ...run.base(st), status: "error", reason, measured, checks: [] }, true);
  }
  st.done.push(rep);
  const failing = run.options.failFast && rep.checks.some(isFailure);
  // adaptive cases under max end when the rounds do (SpecRun.finish)
  if (st.done.length >= cap(c) || failing) run.end(st, run.settled(st), failing);
}
