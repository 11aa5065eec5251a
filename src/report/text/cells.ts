import type { Estimate } from "../../model/estimate.js";
import { standing } from "./claims.js";
import { integer, signedPercent } from "./numbers.js";

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
