import type { Mode } from "../model/case.js";
import type { Estimate } from "../model/estimate.js";
import { type CaseResult, ranToEnd, type SuiteResult } from "../model/results.js";
import { caseEstimate } from "../stats/compare.js";

/** One measured size of a series: the case, and its requests/s with their interval. */
export interface SeriesPoint {
  size: number;
  /** the median requests/s (the estimate's value) */
  rps: number;
  estimate: Estimate;
  result: CaseResult;
}

/** One mode's requests/s by payload size: what the SVG plots and the markdown pivots. */
export interface Series {
  label: string;
  spec: string;
  mode: Mode;
  /** what else the matrix varied besides mode and size ("target=pair"), "" when nothing */
  group: string;
  points: SeriesPoint[];
}

/**
 * What else a matrix varied besides mode and the chart's own axis (`axis`, a dotted path:
 * "buffers.size"), "target=pair", so such cases get their own line.
 */
export function otherParameters(r: CaseResult, axis: string): string {
  return Object.entries(r.case.matrix)
    .filter(([k]) => k !== "mode" && k !== axis)
    .map(([k, v]) => `${k.split(".").pop()}=${String(v)}`)
    .join(" ");
}

/**
 * Measured cases grouped by mode and whatever else their matrix varied (per
 * spec when the suite has several), points sorted by size. A size measured
 * twice in one group keeps the first case.
 */
export function rpsBySize(suite: SuiteResult): Series[] {
  const many = suite.runs.length > 1;
  const out = new Map<string, Series>();
  for (const run of suite.runs) {
    for (const r of run.results as CaseResult[]) {
      if (!ranToEnd(r)) continue;
      const estimate = caseEstimate(r, "rps");
      if (!estimate) continue;
      const group = otherParameters(r, "buffers.size");
      const mode = group ? `${r.case.mode} (${group})` : r.case.mode;
      const label = many ? `${run.spec}: ${mode}` : mode;
      const s = out.get(label) ?? { label, spec: run.spec, mode: r.case.mode, group, points: [] };
      if (!s.points.some((p) => p.size === r.case.buffers.size))
        s.points.push({ size: r.case.buffers.size, rps: estimate.value, estimate, result: r });
      out.set(label, s);
    }
  }
  for (const s of out.values()) s.points.sort((a, b) => a.size - b.size);
  return [...out.values()];
}
