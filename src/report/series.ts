import type { CaseResult, SuiteResult } from "../results.js";

/** One mode's requests/s by payload size: what the SVG plots and the markdown pivots. */
export interface Series {
  label: string;
  points: { size: number; rps: number }[];
}

/**
 * Measured cases grouped by mode (per spec when the suite has several),
 * points sorted by size. A size measured twice keeps the first case.
 */
export function rpsBySize(suite: SuiteResult): Series[] {
  const many = suite.runs.length > 1;
  const out = new Map<string, Series>();
  for (const run of suite.runs) {
    for (const r of run.results as CaseResult[]) {
      if (!r.measured || r.status === "error") continue;
      const label = many ? `${run.spec}: ${r.case.mode}` : r.case.mode;
      const s = out.get(label) ?? { label, points: [] };
      if (!s.points.some((p) => p.size === r.case.buffers.size))
        s.points.push({ size: r.case.buffers.size, rps: r.measured.rps });
      out.set(label, s);
    }
  }
  for (const s of out.values()) s.points.sort((a, b) => a.size - b.size);
  return [...out.values()];
}
