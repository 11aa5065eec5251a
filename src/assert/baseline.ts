import type { Check } from "../model/check.js";
import type { Estimate } from "../model/estimate.js";
import { type CaseResult, type RunResult, ranToEnd, type SuiteResult } from "../model/results.js";
import type { SearchResult } from "../model/search.js";
import { type CaseFigures, caseFigures, sampleOf } from "./evaluate.js";
import { intervalText, judge, MIN_LEVEL, ratioNumber, relationInterval } from "./relations.js";

/** A saved run (--save-baseline) indexed by spec and case name. */
export interface Baseline {
  file: string;
  get(spec: string, caseName: string): CaseFigures | undefined;
  /** the saved run's break-even search of a spec, when it ran one */
  search?(spec: string): SearchResult | undefined;
}

const key = (spec: string, name: string) => `${spec}\u0000${name}`;

/** A saved run (`--baseline FILE`), indexed by spec and case for the checks against it. */
export function indexBaseline(file: string, saved: SuiteResult): Baseline {
  const byName = new Map<string, CaseFigures>();
  const searches = new Map<string, SearchResult>();
  for (const run of saved.runs) {
    if (run.search) searches.set(run.spec, run.search);
    for (const r of run.results) {
      if (!ranToEnd(r)) continue;
      byName.set(key(r.spec, r.case.name), caseFigures(r));
    }
  }
  return {
    file,
    get: (spec, name) => byName.get(key(spec, name)),
    search: (spec) => searches.get(spec),
  };
}

/** Both sides repeated: compare them on an interval, not on two medians. */
function repeated(now: CaseFigures, base: CaseFigures): boolean {
  return (now.runs?.length ?? 0) > 1 && (base.runs?.length ?? 0) > 1;
}

/**
 * requests/s now over the baseline's, with its interval: the two runs are
 * not paired (they ran at different times), so stats/unpaired.ts's
 * distribution-free interval of the ratio (Hodges–Lehmann, Mann–Whitney).
 * Undefined unless both sides have repetitions with requests/s.
 */
export function baselineInterval(now: CaseFigures, base: CaseFigures): Estimate | undefined {
  if (!repeated(now, base)) return undefined;
  const positive = (f: CaseFigures) => (f.runs ?? []).every((m) => m.rps > 0);
  if (!positive(now) || !positive(base)) return undefined;
  return relationInterval(sampleOf(now, "run"), sampleOf(base, "baseline"), "rps");
}

/**
 * requests/s may fall at most `tolerance` (a fraction) below the
 * baseline's. When both runs repeated the case, that is judged on the
 * interval of their ratio: a regression only when the whole interval is
 * below 1 - tolerance (failed), none when it is wholly above (held),
 * inconclusive when it straddles that line. With a single run on either
 * side, the two figures are compared as they are.
 */
export function baselineCheck(now: CaseFigures, base: CaseFigures, tolerance: number): Check {
  const name = "baseline requests/s";
  const rps = now.measured.rps;
  const baseRps = base.measured.rps;
  if (!(baseRps > 0))
    return {
      name,
      pass: false,
      kind: "baseline",
      skipped: true,
      reason: "the baseline has no requests/s for this case",
    };
  const tol = `tolerance ${(tolerance * 100).toFixed(1)}%`;
  const interval = baselineInterval(now, base);
  if (interval) {
    const verdict = judge(interval, 1 - tolerance, "above");
    const check: Check = { name, pass: verdict === "held", kind: "baseline", verdict, interval };
    const ratio = `requests/s now over the baseline's: ratio ${intervalText(interval)}`;
    if (verdict === "failed")
      check.reason =
        `requests/s regressed ${((1 - interval.value) * 100).toFixed(1)}% against ` +
        `the baseline: ${ratio}, wholly below ${ratioNumber(1 - tolerance)} (${tol})`;
    if (verdict === "inconclusive")
      check.reason =
        `no verdict against the baseline: ${ratio} ` +
        (interval.level < MIN_LEVEL
          ? "rests on too few runs"
          : `straddles ${ratioNumber(1 - tolerance)} (${tol})`);
    return check;
  }
  const change = (rps - baseRps) / baseRps;
  if (change >= -tolerance) return { name, pass: true, kind: "baseline" };
  return {
    name,
    pass: false,
    kind: "baseline",
    reason:
      `requests/s regressed ${(-change * 100).toFixed(1)}% against the baseline ` +
      `(${Math.round(rps)} now, ${Math.round(baseRps)} before; tolerance ` +
      `${(tolerance * 100).toFixed(1)}%)`,
  };
}

export interface BaselineRow {
  spec: string;
  case: string;
  baseRps?: number;
  rps?: number;
  /** change of requests/s in per cent, + is faster (from the interval's ratio when there is one) */
  changePct?: number;
  /** the ratio now/baseline with its interval, when both runs repeated the case */
  interval?: Estimate;
  /**
   * single runs: ok | regressed | improved by the two figures; repeated:
   * regressed / improved only when the whole interval is beyond the
   * tolerance, "no change" when it is not, inconclusive when it straddles
   * 1 - tolerance
   */
  verdict: "ok" | "no change" | "regressed" | "improved" | "inconclusive" | "new" | "not run";
}

function row(r: CaseResult, base: Baseline, tolerance: number): BaselineRow {
  const figures = base.get(r.spec, r.case.name);
  const saved = figures?.measured.rps;
  const now = r.measured?.rps;
  const out: BaselineRow = { spec: r.spec, case: r.case.name, verdict: "ok" };
  if (saved !== undefined) out.baseRps = saved;
  if (now !== undefined) out.rps = now;
  if (now === undefined || !ranToEnd(r)) return { ...out, verdict: "not run" };
  if (figures === undefined || saved === undefined || !(saved > 0))
    return { ...out, verdict: "new" };
  const interval = baselineInterval(caseFigures(r), figures);
  if (interval) {
    out.interval = interval;
    out.changePct = (interval.value - 1) * 100;
    const v = judge(interval, 1 - tolerance, "above");
    out.verdict =
      v === "failed"
        ? "regressed"
        : v === "inconclusive"
          ? "inconclusive"
          : judge(interval, 1 + tolerance, "above") === "held"
            ? "improved"
            : "no change";
    return out;
  }
  const change = (now - saved) / saved;
  out.changePct = change * 100;
  if (change < -tolerance) out.verdict = "regressed";
  else if (change > tolerance) out.verdict = "improved";
  return out;
}

/**
 * One row per case of the run, against the baseline (a search's search cases are compared by their
 * bracket instead).
 */
export function baselineDiff(runs: readonly RunResult[], base: Baseline, tolerance: number) {
  return runs.flatMap((run) =>
    run.results.filter((r) => !r.search).map((r) => row(r, base, tolerance)),
  );
}
