import type { CaseResult } from "../../model/results.js";
import { caseEstimate, type Figure } from "../../stats/compare.js";

/** How many repetitions a case's figures rest on, and how many of them the machine disturbed. */
export function repetitionCounts(r: CaseResult): { runs: number; disturbed: number } {
  const runs = r.runs?.length ?? (r.measured ? 1 : 0);
  const disturbed = r.repetitions?.filter((p) => p.disturbed).length ?? 0;
  return { runs, disturbed };
}

/** "3", "5 (1 disturbed)", or for a terminal's width "5 (1 dist.)". */
export function runsCell(r: CaseResult, short = false): string {
  const { runs, disturbed } = repetitionCounts(r);
  if (runs === 0) return "-";
  return disturbed ? `${runs} (${disturbed} ${short ? "dist." : "disturbed"})` : String(runs);
}

function range(values: readonly number[], unit = ""): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? `${lo}${unit}` : `${lo} to ${hi}${unit}`;
}

/**
 * What the figures of a table rest on, in a sentence or two: runs per case,
 * the confidence their median intervals have (3 runs give [min, max], which
 * holds the median with 75 %), how many repetitions were disturbed.
 */
export function basisText(results: readonly CaseResult[], figure: Figure = "rps"): string {
  const measured = results.filter((r) => r.measured);
  if (measured.length === 0) return "";
  const estimates = measured.flatMap((r) => caseEstimate(r, figure) ?? []);
  const ns = estimates.map((e) => e.n);
  // one run per case: the claims say there is no interval where it matters
  if (ns.every((n) => n < 2)) return "";
  const levels = estimates.filter((e) => e.n >= 2).map((e) => Math.round(e.level * 100));
  const short = estimates.some((e) => e.n >= 2 && e.level < 0.95);
  const parts = [
    `Figures are medians of ${range(ns)} runs per case, in brackets the median's interval at ` +
      `${range(levels, " %")} confidence` +
      (short ? " (with fewer than 6 runs that is the range of the runs; 6 reach 95 %)" : "") +
      ".",
    "Changes (+x %) are the geometric mean of the ratios of runs paired " +
      `${measured.some((r) => r.repetitions) ? "by round" : "in the order they ran"}, in ` +
      "brackets their 95 % confidence interval (so a change can differ from the ratio of the two " +
      "medians).",
  ];
  const reps = measured.map(repetitionCounts);
  const total = reps.reduce((a, r) => a + r.runs, 0);
  const disturbed = reps.reduce((a, r) => a + r.disturbed, 0);
  if (measured.some((r) => r.repetitions)) {
    if (disturbed === 0) parts.push(`No repetition of the ${total} was marked disturbed.`);
    else {
      const which = measured.flatMap((r) =>
        (r.repetitions ?? [])
          .filter((p) => p.disturbed)
          .map((p) => `${r.case.name} round ${p.round}${p.why ? `: ${p.why}` : ""}`),
      );
      // a few are named with what disturbed them; many would bury the table
      const cases = reps.filter((r) => r.disturbed > 0).length;
      const detail =
        which.length <= 3
          ? which.join("; ")
          : `in ${cases} of the ${measured.length} cases: the runs column says which`;
      parts.push(
        `${disturbed} of ${total} repetitions ${disturbed === 1 ? "was" : "were"} marked ` +
          `disturbed (${detail}); they count in the figures like the others.`,
      );
    }
  }
  return parts.join(" ");
}
