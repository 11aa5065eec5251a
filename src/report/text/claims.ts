import type { Estimate } from "../../model/estimate.js";
import { verdict } from "../../stats/interval.js";

/**
 * What a report may say about two cases, from their intervals: a win or a
 * loss only where the whole interval is on one side of 1, "no significant
 * difference" where it straddles 1, nothing but the figure where one run
 * gave no interval. Every sentence is made from the same estimates the
 * tables print, so a report cannot claim what its own table contradicts.
 */

/**
 * Where a ratio stands against 1: above, below, even (the interval holds 1), or single (no
 * interval).
 */
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
 * crossover is named only between a significant loss and a significant win
 * with every loss below every win, and a win below a loss is called not
 * monotone. With no interval anywhere the figures are given and no claim is made.
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
        `${p.size} B ` +
        `(${g.s === "single" ? `ratio ${p.ratio.value.toFixed(2)}` : ratioText(p.ratio)})`,
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
