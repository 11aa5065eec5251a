import { repetitionCounts } from "../text/runs.js";
import type { PanelRow } from "./rows.js";

/** What the panels' marks mean, from the estimates drawn: the chart's footer, unwrapped. */
export function panelNotes(rows: readonly PanelRow[], withRatios: boolean): string[] {
  const levels = rows.flatMap((r) =>
    r.series.flatMap((s) => s.points.flatMap((p) => (p.estimate.n >= 2 ? [p.estimate] : []))),
  );
  const notes: string[] = [];
  if (levels.length) {
    const lv = levels.map((e) => Math.round(e.level * 100));
    const [lo, hi] = [Math.min(...lv), Math.max(...lv)];
    const ns = levels.map((e) => e.n);
    const [fewest, most] = [Math.min(...ns), Math.max(...ns)];
    notes.push(
      `Error bars: the median's ${lo === hi ? lo : `${lo}–${hi}`} % confidence interval over ` +
        `${fewest === most ? fewest : `${fewest}–${most}`} ` +
        `runs${lo < 95 ? " (under 6 runs that is the range of the runs)" : ""}.`,
    );
  } else if (rows.length) notes.push("Each case ran once: no error bars, no ratio intervals.");
  const reps = rows.flatMap((r) =>
    r.series.flatMap((s) => s.points.map((p) => repetitionCounts(p.result))),
  );
  const disturbed = reps.reduce((a, r) => a + r.disturbed, 0);
  if (disturbed > 0)
    notes.push(
      `${disturbed} of ${reps.reduce((a, r) => a + r.runs, 0)} repetitions were marked ` +
        "disturbed by the machine (counted like the others; a point's tooltip says how many).",
    );
  if (withRatios) {
    const byRound = rows.some((r) =>
      r.series.some((s) => s.points.some((p) => p.result.repetitions)),
    );
    const pairs = [...new Set(rows.flatMap((r) => r.ratios.map((q) => `${q.zc} ÷ ${q.copy}`)))];
    notes.push(
      `Ratios${pairs.length > 1 ? ` (${pairs.join(", ")}, in the zerocopy mode's colour)` : ""}: ` +
        `geometric mean of the runs paired ${byRound ? "by round" : "in the order they ran"}, ` +
        "band and bar its 95 % confidence interval; dashed line: no difference.",
    );
  }
  return notes;
}
