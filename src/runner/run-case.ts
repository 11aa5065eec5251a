import { invariants, receiverChecks } from "../assert/invariants.js";
import { readProcessLimits } from "../env/limits.js";
import { runtimeLimitHint } from "../env/probe.js";
import { readProcStat, stealShare } from "../env/procstat.js";
import type { Target } from "../env/target.js";
import type { Case } from "../model/case.js";
import type { Check } from "../model/check.js";
import type { Measured } from "../model/measured/measured.js";
import type { RepetitionNoise } from "../model/measured/noise.js";
import type { Plan } from "../model/plan.js";
import type { Progress } from "../model/progress.js";
import type { CaseResult } from "../model/results.js";
import type { CaseControl, NativeLibrary } from "../native/library.js";
import { toNativePlan } from "../native/marshal.js";
import { errnoName, flowsOf, measure } from "../native/result.js";
import { aggregate, noiseWarning } from "../stats/aggregate.js";
import { estimatesOf } from "../stats/estimates.js";
import { disturbedWarning, judgeNoise } from "../stats/noise.js";
import { scheduleWarning } from "../stats/schedule.js";
import { statusOf } from "./outcome.js";

/** What a case runs with, besides the case itself. */
export interface CaseRun {
  native: NativeLibrary;
  target: Target;
  stop: AbortSignal | undefined;
  /** why the stop fired, for a case it cut short */
  why: () => string;
  onProgress: (p: Progress) => void;
  /** the machine's CPUs, to judge how crowded it was */
  cores: number;
}

/** Where a repetition ran: its round (1-based) and its place in that round's order (1-based). */
export interface RepetitionPlace {
  round: number;
  position: number;
}

/** A repetition that ran to its end: its figures, invariants, what the machine did meanwhile. */
export interface DoneRepetition {
  measured: Measured;
  /** invariants and receiver checks, not yet labelled with the run */
  checks: Check[];
  noise: RepetitionNoise;
  /** wall time it took, setup included, ms (to budget more rounds within a time limit) */
  wallMs: number;
}

/**
 * How one repetition came out: done; an error that ends the case; or cut
 * short by the stop (SIGINT, the time limit), its figures covering part of it.
 */
export type Repetition =
  | ({ kind: "done" } & DoneRepetition)
  | { kind: "error" | "interrupted"; reason: string; measured: Measured };

/** The case repeats (a count over 1, or adaptive): its checks and messages name the run. */
export function repeats(c: Case): boolean {
  return c.repeat > 1 || c.adaptive !== undefined;
}

/**
 * Run one repetition of a case on its target, with /proc/stat read before,
 * after and at every progress poll (~100 ms) for the noise record.
 */
export async function runRepetition(
  c: Case,
  plan: Plan,
  { native, target, stop, why, onProgress, cores }: CaseRun,
  place: RepetitionPlace,
  ordinal: number,
): Promise<Repetition> {
  const started = Date.now();
  const session = await target.beginCase(c);
  // runnable tasks of our own while the case runs: the thread reading /proc/stat,
  // the senders, and the built-in receiver on the namespace targets
  const ours = 1 + c.threads.count + (c.target === "loopback" || c.target === "pair" ? 1 : 0);
  const others: number[] = [];
  const before = readProcStat();
  let marked = false;
  const control: CaseControl = {
    onProgress: (p) => {
      // the first poll that sees the measured window: a remote receiver's CPU window opens
      if (!marked) session.mark?.("begin");
      marked = true;
      const now = readProcStat();
      if (now) others.push(Math.max(0, now.procsRunning - ours));
      onProgress(p);
    },
    ...(stop ? { signal: stop } : {}),
  };
  const raw = await native.runCase(
    // the target picks the port: loopback's receiver takes a free one
    { ...toNativePlan(plan, target), dst_port: session.dstPort },
    control,
  );
  session.mark?.("end");
  const after = readProcStat();
  // a window too short for a progress poll: the senders have exited, only the reader is ours
  if (!others.length && after) others.push(Math.max(0, after.procsRunning - 1));
  const measured = measure(raw, await session.collect(flowsOf(raw).map((f) => f.port)), plan);
  if (raw.status !== 0) {
    // a limit the probe's small requests fit under, and this case did not
    const limit = runtimeLimitHint(errnoName(raw.status), plan, readProcessLimits(), raw.message);
    const at = repeats(c) ? ` in run ${ordinal}` : "";
    return {
      kind: "error",
      reason: `${raw.message} (${errnoName(raw.status)})${at}${limit ? `; ${limit}` : ""}`,
      measured,
    };
  }
  if (measured.interrupted) {
    return {
      kind: "interrupted",
      reason: `stopped early (${why()}); the figures cover part of the run`,
      measured,
    };
  }
  const noise = judgeNoise({
    ...place,
    measured,
    steal: before && after ? stealShare(before, after) : 0,
    otherRunnable: others,
    cores,
  });
  return {
    kind: "done",
    measured,
    checks: [...invariants(c, measured), ...receiverChecks(measured.target)],
    noise,
    wallMs: Date.now() - started,
  };
}

/**
 * A case's result from its finished repetitions: each run's checks labelled
 * with the run, the medians (aggregate) with their intervals, the noise
 * record, and warnings for a noisy or disturbed case, one that fell behind
 * its rate, and one that stopped short of its repetitions (`cutShort` says why).
 */
export function caseResult(
  base: Pick<CaseResult, "spec" | "case" | "plan" | "environment" | "topology">,
  done: readonly DoneRepetition[],
  cutShort?: string,
): CaseResult {
  const n = done.length;
  const label = (i: number, k: Check): Check =>
    n > 1 || repeats(base.case)
      ? {
          ...k,
          name: `run ${i + 1}/${n}: ${k.name}`,
          ...(k.reason ? { reason: `run ${i + 1}/${n}: ${k.reason}` } : {}),
        }
      : k;
  const checks = done.flatMap((d, i) => d.checks.map((k) => label(i, k)));
  const result: CaseResult = { ...base, status: statusOf(checks), checks };
  if (n === 0) return result;
  result.repetitions = done.map((d) => d.noise);
  const warnings: string[] = [];
  if (n === 1) {
    result.measured = (done[0] as DoneRepetition).measured;
  } else {
    const runs = done.map((d) => d.measured);
    const { measured, stats } = aggregate(runs);
    Object.assign(result, { measured, runs, stats, estimates: estimatesOf(runs) });
    const noisy = noiseWarning(stats, measured);
    if (noisy) warnings.push(noisy);
    // a single run's noise record stays in the results; the note is for figures made of several
    const disturbed = disturbedWarning(result.repetitions);
    if (disturbed) warnings.push(disturbed);
  }
  const behind = scheduleWarning(result.measured);
  if (behind) warnings.push(behind);
  if (cutShort) warnings.push(cutShort);
  if (warnings.length) result.warnings = warnings;
  return result;
}
