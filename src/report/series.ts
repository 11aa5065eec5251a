import { type CaseResult, ranToEnd, type SuiteResult } from "../model/results.js";

/** One mode's requests/s by payload size: what the SVG plots and the markdown pivots. */
export interface Series {
  label: string;
  points: { size: number; rps: number }[];
}

/** What else a matrix varied besides mode and size ("target=pair"), so such cases get their own line. */
function otherParameters(r: CaseResult): string {
  return Object.entries(r.case.matrix)
    .filter(([k]) => k !== "mode" && k !== "buffers.size")
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
      const other = otherParameters(r);
      const mode = other ? `${r.case.mode} (${other})` : r.case.mode;
      const label = many ? `${run.spec}: ${mode}` : mode;
      const s = out.get(label) ?? { label, points: [] };
      if (!s.points.some((p) => p.size === r.case.buffers.size))
        s.points.push({ size: r.case.buffers.size, rps: r.measured.rps });
      out.set(label, s);
    }
  }
  for (const s of out.values()) s.points.sort((a, b) => a.size - b.size);
  return [...out.values()];
}
