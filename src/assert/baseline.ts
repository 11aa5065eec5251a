import type { Check } from "../model/check.js";
import { type CaseResult, type RunResult, ranToEnd, type SuiteResult } from "../model/results.js";
import type { CaseFigures } from "./evaluate.js";

/** A saved run (--save-baseline) indexed by spec and case name. */
export interface Baseline {
  file: string;
  get(spec: string, caseName: string): CaseFigures | undefined;
}

const key = (spec: string, name: string) => `${spec}\u0000${name}`;

export function indexBaseline(file: string, saved: SuiteResult): Baseline {
  const byName = new Map<string, CaseFigures>();
  for (const run of saved.runs) {
    for (const r of run.results) {
      if (!ranToEnd(r)) continue;
      byName.set(key(r.spec, r.case.name), {
        measured: r.measured,
        ...(r.stats ? { stats: r.stats } : {}),
      });
    }
  }
  return { file, get: (spec, name) => byName.get(key(spec, name)) };
}

/** requests/s may fall at most `tolerance` (a fraction) below the baseline's. */
export function baselineCheck(rps: number, baseRps: number, tolerance: number): Check {
  const name = "baseline requests/s";
  if (!(baseRps > 0))
    return {
      name,
      pass: false,
      kind: "baseline",
      skipped: true,
      reason: "the baseline has no requests/s for this case",
    };
  const change = (rps - baseRps) / baseRps;
  if (change >= -tolerance) return { name, pass: true, kind: "baseline" };
  return {
    name,
    pass: false,
    kind: "baseline",
    reason:
      `requests/s regressed ${(-change * 100).toFixed(1)}% against the baseline ` +
      `(${Math.round(rps)} now, ${Math.round(baseRps)} before; tolerance ${(tolerance * 100).toFixed(1)}%)`,
  };
}

export interface BaselineRow {
  spec: string;
  case: string;
  baseRps?: number;
  rps?: number;
  /** change of requests/s in per cent, + is faster */
  changePct?: number;
  verdict: "ok" | "regressed" | "improved" | "new" | "not run";
}

function row(r: CaseResult, base: Baseline, tolerance: number): BaselineRow {
  const saved = base.get(r.spec, r.case.name)?.measured.rps;
  const now = r.measured?.rps;
  const out: BaselineRow = { spec: r.spec, case: r.case.name, verdict: "ok" };
  if (saved !== undefined) out.baseRps = saved;
  if (now !== undefined) out.rps = now;
  if (now === undefined) return { ...out, verdict: "not run" };
  if (saved === undefined || !(saved > 0)) return { ...out, verdict: "new" };
  const change = (now - saved) / saved;
  out.changePct = change * 100;
  if (change < -tolerance) out.verdict = "regressed";
  else if (change > tolerance) out.verdict = "improved";
  return out;
}

/** One row per case of the run, against the baseline. */
export function baselineDiff(runs: readonly RunResult[], base: Baseline, tolerance: number) {
  return runs.flatMap((run) => run.results.map((r) => row(r, base, tolerance)));
}
