import type { Mode } from "../../model/case.js";
import type { Estimate } from "../../model/estimate.js";
import type { CaseResult } from "../../model/results.js";
import { caseEstimate, type Figure } from "../../stats/compare.js";
import { verdict } from "../../stats/interval.js";
import { integer, signedPercent } from "./numbers.js";

/**
 * What a report may say about two cases, from their intervals: a win or a
 * loss only where the whole interval is on one side of 1, "no significant
 * difference" where it straddles 1, nothing but the figure where one run
 * gave no interval. Every sentence is made from the same estimates the
 * tables print, so a report cannot claim what its own table contradicts.
 */

/** Each zerocopy mode against the mode that does the same thing with a copy. */
export const COPY_OF: Partial<Record<Mode, Mode>> = {
  send_zc: "send",
  sendmsg_zc: "sendmsg",
  msg_zerocopy: "sendto",
};

export function isZerocopy(mode: Mode): boolean {
  return mode in COPY_OF;
}

/** Where a ratio stands against 1: above, below, even (the interval holds 1), or single (no interval). */
export type Standing = "above" | "below" | "even" | "single";

export function standing(e: Estimate): Standing {
  if (e.level === 0 || e.n < 2) return "single";
  const v = verdict(e, 1, "above");
  return v === "held" ? "above" : v === "failed" ? "below" : "even";
}

/** "95 % CI": the interval's confidence as the reports write it. */
export function levelText(e: Estimate): string {
  return `${Math.round(e.level * 100)} % CI`;
}

/** A ratio to two decimals, or three where two would round a bound onto 1.00 that is not on it. */
function ratioDigits(e: Estimate): number {
  const onOne = (x: number) => x.toFixed(2) === "1.00" && x !== 1;
  return standing(e) !== "even" && (onOne(e.low) || onOne(e.high)) ? 3 : 2;
}

/** "ratio 1.31, 95 % CI 1.24–1.38", or "ratio 1.31, one run, no interval". */
export function ratioText(e: Estimate): string {
  const d = ratioDigits(e);
  if (standing(e) === "single") return `ratio ${e.value.toFixed(d)}, one run, no interval`;
  return `ratio ${e.value.toFixed(d)}, ${levelText(e)} ${e.low.toFixed(d)}–${e.high.toFixed(d)}`;
}

/** A change in per cent the way the letter writes it: whole from 10 % up, one decimal below. */
export function change(ratio: number): string {
  const p = (ratio - 1) * 100;
  // decide on the rounded figure, so that -9.99999 (float noise for -10) prints as -10%
  return signedPercent(p, Math.abs(Number(p.toFixed(1))) >= 10 ? 0 : 1);
}

/** A ratio as a table cell: "+31% [+24% to +38%]", or "+31%" with no interval. */
export function changeCell(e: Estimate | undefined): string {
  if (!e) return "";
  if (standing(e) === "single") return change(e.value);
  return `${change(e.value)} [${change(e.low)} to ${change(e.high)}]`;
}

/** A figure with its interval: "519,453 [498,102–533,870]", or "519,453" with no interval. */
export function valueCell(e: Estimate, format: (n: number) => string = integer): string {
  if (e.level === 0 || e.n < 2) return format(e.value);
  return `${format(e.value)} [${format(e.low)}–${format(e.high)}]`;
}

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
    `Figures are medians of ${range(ns)} runs per case, in brackets the median's interval at ${range(levels, " %")} confidence` +
      (short ? " (with fewer than 6 runs that is the range of the runs; 6 reach 95 %)" : "") +
      ".",
    `Changes (+x %) are the geometric mean of the ratios of runs paired ${measured.some((r) => r.repetitions) ? "by round" : "in the order they ran"}, in brackets their 95 % confidence interval (so a change can differ from the ratio of the two medians).`,
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
        `${disturbed} of ${total} repetitions ${disturbed === 1 ? "was" : "were"} marked disturbed (${detail}); they count in the figures like the others.`,
      );
    }
  }
  return parts.join(" ");
}

/** One size's comparison of two cases: their ratio, or undefined when one of them did not run. */
export interface SizeRatio {
  size: number;
  ratio: Estimate | undefined;
}

export interface ClaimWords {
  /** what leads the sentence: "Measured requests/s", "Measured on pair" */
  who: string;
  /** the two modes compared, a over b */
  a: string;
  b: string;
  /** rate: a ratio above 1 is a win for a; cost: below 1 is */
  kind: "rate" | "cost";
}

function bytes(sizes: readonly number[], consecutive: boolean): string {
  if (sizes.length === 1) return `${sizes[0]} B`;
  if (consecutive) return `${sizes[0]}–${sizes[sizes.length - 1]} B`;
  return `${sizes.slice(0, -1).join(" B, ")} B and ${sizes[sizes.length - 1]} B`;
}

/**
 * The sentence a report states about a over b by size, e.g. "Measured
 * requests/s: send_zc beats send at 8000 B (ratio 1.31, 95 % CI 1.24–1.38);
 * no significant difference between send_zc and send at 600–4000 B." Sizes
 * are taken in order and neighbours that stand alike are grouped; a
 * crossover is named only between
 * a significant loss and a significant win with every loss below every win,
 * and a win below a loss is called not monotone. With no interval anywhere
 * the figures are given and no claim is made.
 */
export function claimSentence(words: ClaimWords, points: readonly SizeRatio[]): string | undefined {
  const sorted = [...points].sort((x, y) => x.size - y.size);
  const known = sorted.filter((p): p is { size: number; ratio: Estimate } => p.ratio !== undefined);
  if (known.length === 0) return undefined;
  const { who, a, b, kind } = words;
  if (known.every((p) => standing(p.ratio) === "single")) {
    const list = known.map((p) => `${p.ratio.value.toFixed(2)} at ${p.size} B`).join(", ");
    return `${who}: one run per case, no interval, so no claim (${a}/${b} ${list}).`;
  }
  const good: Standing = kind === "rate" ? "above" : "below";
  const bad: Standing = kind === "rate" ? "below" : "above";
  const verb = (s: Standing) =>
    s === good
      ? kind === "rate"
        ? `${a} beats ${b}`
        : `${a} is cheaper than ${b}`
      : kind === "rate"
        ? `${a} loses to ${b}`
        : `${a} costs more than ${b}`;
  // neighbours in size order that stand alike; a size missing in between splits a group
  const groups: { s: Standing; points: { size: number; ratio: Estimate }[] }[] = [];
  let previousKnown = false;
  for (const p of sorted) {
    if (!p.ratio) {
      previousKnown = false;
      continue;
    }
    const s = standing(p.ratio);
    const last = groups[groups.length - 1];
    if (last && last.s === s && previousKnown) last.points.push({ size: p.size, ratio: p.ratio });
    else groups.push({ s, points: [{ size: p.size, ratio: p.ratio }] });
    previousKnown = true;
  }
  const clauses = groups.map((g) => {
    const sizes = g.points.map((p) => p.size);
    if (g.s === "even")
      return `no significant difference between ${a} and ${b} at ${bytes(sizes, true)}`;
    const each = g.points.map(
      (p) =>
        `${p.size} B (${g.s === "single" ? `ratio ${p.ratio.value.toFixed(2)}` : ratioText(p.ratio)})`,
    );
    const at =
      each.length === 1 ? each[0] : `${each.slice(0, -1).join(", ")} and ${each[each.length - 1]}`;
    return g.s === "single" ? `one run, no interval at ${at}` : `${verb(g.s)} at ${at}`;
  });
  const sizesOf = (s: Standing) => known.filter((p) => standing(p.ratio) === s).map((p) => p.size);
  const wins = sizesOf(good);
  const losses = sizesOf(bad);
  let tail = "";
  if (wins.length && losses.length) {
    const maxLoss = Math.max(...losses);
    const minWin = Math.min(...wins);
    const maxWin = Math.max(...wins);
    const minLoss = Math.min(...losses);
    if (maxLoss < minWin) tail = `: a crossover between ${maxLoss} B and ${minWin} B`;
    else if (maxWin < minLoss)
      tail = `: a crossover between ${maxWin} B and ${minLoss} B, ${a} ahead below it`;
    else tail = ": not monotone in size";
  }
  return `${who}: ${clauses.join("; ")}${tail}.`;
}
