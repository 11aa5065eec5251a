import type { Mode } from "../../model/case.js";
import type { Estimate } from "../../model/estimate.js";
import { MODES, modeRank } from "../../model/modes.js";
import type { RunResult } from "../../model/results.js";
import { compareCases } from "../../stats/compare.js";
import { rpsBySize, type Series } from "../series.js";
import { sweptOverRate } from "./load-row.js";

/** The zerocopy modes of a row with their copy twin, and the ratio per size. */
export interface RatioSeries {
  zc: Mode;
  copy: Mode;
  points: { size: number; rps?: Estimate; cpu?: Estimate }[];
}

/**
 * A row of panels: one spec and target (or whatever else its matrix varied besides mode and size).
 */
export interface PanelRow {
  spec: string;
  /** "sink", "target=pair family=ipv6" */
  group: string;
  series: Series[];
  ratios: RatioSeries[];
}

/** A run's rows: its series by group, and each zerocopy mode's ratios over its copy twin. */
export function panelRows(run: RunResult): PanelRow[] {
  // a break-even search's probe cases have a chart of their own (search-chart.ts), and so
  // have the cases of a sweep over rate (load-row.ts)
  const cases = { ...run, results: run.results.filter((r) => !r.search && !sweptOverRate(r)) };
  const series = rpsBySize({ runs: [cases], startedAt: "", elapsedMs: 0, partial: false });
  const groups = [...new Set(series.map((s) => s.group))];
  return groups.map((group) => {
    const mine = series
      .filter((s) => s.group === group)
      .sort((a, b) => modeRank(a.mode) - modeRank(b.mode) || a.mode.localeCompare(b.mode));
    const ratios: RatioSeries[] = [];
    for (const z of mine) {
      const c = mine.find((s) => s.mode === MODES[z.mode].copyOf);
      if (!c) continue;
      const points = z.points.flatMap((p) => {
        const q = c.points.find((q) => q.size === p.size);
        if (!q) return [];
        const rps = compareCases(p.result, q.result, "rps");
        const cpu = compareCases(p.result, q.result, "cpuNsPerRequest");
        return [{ size: p.size, ...(rps ? { rps } : {}), ...(cpu ? { cpu } : {}) }];
      });
      if (points.length) ratios.push({ zc: z.mode, copy: c.mode, points });
    }
    const target = mine[0]?.points[0]?.result.case.target;
    return { spec: run.spec, group: group || (target ?? ""), series: mine, ratios };
  });
}
