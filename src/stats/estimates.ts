import type { Estimate } from "../model/estimate.js";
import type { Measured } from "../model/measured/measured.js";
import type { CaseEstimates } from "../model/results.js";
import { LEVEL, medianInterval, relativeHalfWidth } from "./interval.js";

/** The main figures' medians with their 95 % intervals over a case's repetitions. */
export function estimatesOf(runs: readonly Measured[]): CaseEstimates {
  const machine = runs.map((r) => r.machineCpuNsPerRequest);
  return {
    rps: medianInterval(runs.map((r) => r.rps)),
    gbps: medianInterval(runs.map((r) => r.gbps)),
    cpuNsPerRequest: medianInterval(runs.map((r) => r.cpuNsPerRequest)),
    ...(machine.every((v) => v !== undefined)
      ? { machineCpuNsPerRequest: medianInterval(machine) }
      : {}),
  };
}

/** The figures adaptive repetition waits on: rates and CPU per request (gbps follows rps). */
const WATCHED = ["rps", "cpuNsPerRequest"] as const;

/**
 * An interval is tight enough when it has the confidence asked for and its
 * relative half-width is at most `until`. medianInterval reaches 95 % only
 * from 6 values; below that it is [min, max] at a lower level, which is not
 * tight whatever its width.
 */
export function tightEnough(e: Estimate, until: number): boolean {
  return e.level >= LEVEL && relativeHalfWidth(e) <= until;
}

/** Where one case stands for the stopping rule. */
export interface RepetitionState {
  /** complete repetitions so far */
  n: number;
  /** repetitions that always run (repeat, or repeat.min) */
  min: number;
  /** adaptive: most repetitions, and the relative half-width to reach */
  adaptive?: { max: number; until: number };
  /** its estimates over the n repetitions (absent below 2) */
  estimates?: Pick<CaseEstimates, "rps" | "cpuNsPerRequest">;
}

/** Every watched figure of an adaptive case is tight. */
export function isTight(s: RepetitionState): boolean {
  const { adaptive, estimates } = s;
  if (!adaptive || !estimates) return false;
  return WATCHED.every((k) => tightEnough(estimates[k], adaptive.until));
}

/**
 * The case wants another repetition: its minimum is not reached, or it is adaptive and still loose
 * under max.
 */
export function wantsMore(s: RepetitionState): boolean {
  if (s.n < s.min) return true;
  return s.adaptive !== undefined && s.n < s.adaptive.max && !isTight(s);
}

export type StopReason = "count" | "until" | "max";

/**
 * The adaptive stopping rule over the cases still taking part: go on while
 * any wants more; else say why it stopped: no adaptive case ("count"), every
 * adaptive case tight ("until"), or some reached max still loose ("max").
 */
export function nextRound(
  cases: readonly RepetitionState[],
): { go: true } | { go: false; stoppedBy: StopReason } {
  if (cases.some(wantsMore)) return { go: true };
  const adaptive = cases.filter((s) => s.adaptive);
  if (!adaptive.length) return { go: false, stoppedBy: "count" };
  return { go: false, stoppedBy: adaptive.every(isTight) ? "until" : "max" };
}
