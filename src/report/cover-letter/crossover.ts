import type { Mode } from "../../model/case.js";
import { MEASURED_FIGURES } from "../../model/figures.js";
import { isZerocopy as isZc } from "../../model/modes.js";
import type { RunResult } from "../../model/results.js";
import { compareCases } from "../../stats/compare.js";
import { claimSentence, type SizeRatio } from "../text/claims.js";
import { outcomeSentences } from "../text/search-text.js";
import { copyBase, type LetterRow } from "./rows.js";

/**
 * The lines under a letter table: where each zerocopy mode beats its copy,
 * as measured (with intervals, claims.ts), as the letter's figures say, and
 * as a break-even search of the suite found it.
 */

/**
 * Where a zerocopy mode beats its copy twin, from single figures by size (the
 * letter's, which have no interval): the sizes it wins and loses at, and
 * `from`, the smallest size from which it wins at that size and every larger
 * one, with `lostAt` the largest loss below it. `monotone` is false when it
 * wins at a size smaller than one it loses at: then there is no one crossover.
 */
export function crossover(points: readonly { size: number; zc: number; copy: number }[]): {
  from?: number;
  lostAt?: number;
  sizes: number[];
  wins: number[];
  losses: number[];
  monotone: boolean;
} {
  const sorted = [...points].sort((a, b) => a.size - b.size);
  const wins = sorted.filter((p) => p.zc > p.copy).map((p) => p.size);
  const losses = sorted.filter((p) => !(p.zc > p.copy)).map((p) => p.size);
  let from: number | undefined;
  for (const p of [...sorted].reverse()) {
    if (!(p.zc > p.copy)) break;
    from = p.size;
  }
  const lostAt = losses.filter((s) => from === undefined || s < from).pop();
  return {
    ...(from === undefined ? {} : { from }),
    ...(lostAt === undefined ? {} : { lostAt }),
    sizes: sorted.map((p) => p.size),
    wins,
    losses,
    monotone: wins.length === 0 || losses.length === 0 || Math.max(...losses) < Math.min(...wins),
  };
}

function list(sizes: readonly number[]): string {
  return sizes.length === 1
    ? `${sizes[0]} B`
    : `${sizes.slice(0, -1).join(" B, ")} B and ${sizes[sizes.length - 1]} B`;
}

/**
 * The letter's crossover in words (its figures are single numbers: no interval, no significance).
 */
function crossoverText(
  who: string,
  zc: string,
  copy: string,
  c: ReturnType<typeof crossover>,
): string {
  const lo = c.sizes[0];
  const hi = c.sizes[c.sizes.length - 1];
  if (c.wins.length === 0)
    return `${who}: ${zc} did not beat ${copy} at any size from ${lo} B to ${hi} B.`;
  if (c.losses.length === 0)
    return (
      `${who}: ${zc} beat ${copy} at every size from ${lo} B to ${hi} B ` +
      "(no crossover in range)."
    );
  if (!c.monotone)
    return (
      `${who}: ${zc} beat ${copy} at ${list(c.wins)} but not at ${list(c.losses)} (not monotone ` +
      "in size)."
    );
  return (
    `${who}: ${zc} beats ${copy} from ${c.from} B up (crossover between ${c.lostAt} B and ` +
    `${c.from} B).`
  );
}

export function crossoverLines(rows: readonly LetterRow[]): string[] {
  const out: string[] = [];
  const targets = [...new Set(rows.map((r) => r.target))];
  const modes = [...new Set(rows.flatMap((r) => [...r.byMode.keys()]))].filter(isZc);
  for (const target of targets) {
    for (const mode of modes) {
      const rate: SizeRatio[] = [];
      // CPU per request: on a shared machine the rate follows the CPU share a case
      // got, its CPU cost per request much less
      const cost: SizeRatio[] = [];
      const letter: { size: number; zc: number; copy: number }[] = [];
      let copyMode: Mode | undefined;
      for (const row of rows.filter((r) => r.target === target)) {
        const z = row.byMode.get(mode);
        const c = copyBase(row, mode);
        if (!z || !c) continue;
        copyMode = c.case.mode;
        rate.push({ size: row.size, ratio: compareCases(z, c, "rps") });
        cost.push({ size: row.size, ratio: compareCases(z, c, "cpuNsPerRequest") });
        const zr = z.case.reference?.rps;
        const cr = c.case.reference?.rps;
        if (zr !== undefined && cr !== undefined) letter.push({ size: row.size, zc: zr, copy: cr });
      }
      if (!copyMode) continue;
      const where = targets.length > 1 ? ` on ${target}` : "";
      const words = { a: mode, b: copyMode };
      const r = claimSentence(
        { ...words, who: `Measured ${MEASURED_FIGURES.rps.words}${where}`, kind: "rate" },
        rate,
      );
      if (r) out.push(r);
      const c = claimSentence(
        {
          ...words,
          who: `Measured ${MEASURED_FIGURES.cpuNsPerRequest.words}${where}`,
          kind: "cost",
        },
        cost,
      );
      if (c) out.push(c);
      if (letter.length > 1)
        out.push(crossoverText(`Letter${where}`, mode, copyMode, crossover(letter)));
    }
  }
  return out;
}

/**
 * Beside a letter table: the break-even that a search of this suite measured
 * for a zerocopy mode and its copy on a target of the table (searches along
 * buffers.size only: the letter's rows are sizes).
 */
export function breakEvenLines(
  rows: readonly LetterRow[],
  searches: readonly RunResult[],
): string[] {
  const out: string[] = [];
  for (const run of searches) {
    const r = run.search;
    const probe = run.results.find((c) => c.search?.side === "compare");
    const other = run.results.find((c) => c.search?.side === "against");
    if (!r || !probe || !other || r.settings.parameter !== "buffers.size") continue;
    const [zc, copy] = [probe.case.mode, other.case.mode];
    const here = rows.some(
      (row) => row.target === probe.case.target && row.byMode.has(zc) && row.byMode.has(copy),
    );
    if (!here) continue;
    const [first] = outcomeSentences(r);
    if (first)
      out.push(`Measured break-even (\`${run.file}\`): ${first.replace(/^Break-even: /, "")}`);
  }
  return out;
}
