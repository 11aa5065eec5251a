import type { Estimate } from "../../model/estimate.js";
import { MEASURED_FIGURES } from "../../model/figures.js";
import type {
  Crossing,
  SearchPoint,
  SearchResult,
  SearchSettings,
  SearchStanding,
  SearchStop,
} from "../../model/search.js";
import type { Paint } from "./colour.js";
import { describeCheck } from "./describe.js";
import { markdownTable } from "./markdown-table.js";
import { duration } from "./numbers.js";
import { renderTable } from "./table.js";

/**
 * A break-even search in words and tables, for the console, the Markdown
 * reports and the cover letter: one source, so every report says the same.
 */

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

type Named = Pick<SearchSettings, "unit" | "parameter">;

/** "batch=" for a parameter without a unit, so that a bare number says what it counts. */
function prefix(s: Named): string {
  return s.unit ? "" : `${s.parameter.split(".").pop()}=`;
}

/** "5,350 B", "batch=32": a value of the searched parameter. */
export function paramText(v: number, s: Named): string {
  return `${prefix(s)}${grouped.format(v)}${s.unit ? ` ${s.unit}` : ""}`;
}

/** "5,100–5,600 B", "batch=8–16": a range of the parameter, the unit once. */
export function rangeText(lo: number, hi: number, s: Named): string {
  return lo === hi
    ? paramText(lo, s)
    : `${prefix(s)}${grouped.format(lo)}–${grouped.format(hi)}${s.unit ? ` ${s.unit}` : ""}`;
}

/** "512 to 64,000 B", "batch=1 to 32": the bounds. */
function span(s: SearchSettings): string {
  return (
    `${prefix(s)}${grouped.format(s.from)} to ` +
    `${grouped.format(s.to)}${s.unit ? ` ${s.unit}` : ""}`
  );
}

/** "between 5,100 and 5,600 B", "between batch=8 and 16" */
function between(lo: number, hi: number, s: SearchSettings): string {
  return (
    `between ${prefix(s)}${grouped.format(lo)} and ` +
    `${grouped.format(hi)}${s.unit ? ` ${s.unit}` : ""}`
  );
}

function digits(e: Estimate): number {
  return Math.abs(e.high - e.low) < 0.02 ? 3 : 2;
}

/** "1.02 [0.99–1.05]", or "1.02" with no interval. */
export function ratioCell(e: Estimate | undefined): string {
  if (!e) return "-";
  const d = digits(e);
  if (e.level === 0) return e.value.toFixed(d);
  return `${e.value.toFixed(d)} [${e.low.toFixed(d)}–${e.high.toFixed(d)}]`;
}

/** "ratio 0.99–1.02": an interval alone. */
function intervalOnly(e: Estimate): string {
  const d = digits(e);
  return `ratio ${e.low.toFixed(d)}–${e.high.toFixed(d)}`;
}

export function figureLabel(s: SearchSettings): string {
  return MEASURED_FIGURES[s.figure].words;
}

/**
 * What a standing means for this search, in words: "faster", "slower", "no significant difference".
 */
function standingWords(st: SearchStanding, s: SearchSettings): string {
  if (st === "even") return "no significant difference";
  const win = s.figure === "rps" ? "faster" : "cheaper";
  const lose = s.figure === "rps" ? "slower" : "costlier";
  return st === "win" ? win : lose;
}

/** "wins", "loses", "even" */
function verb(st: SearchStanding): string {
  return st === "win" ? "wins" : st === "lose" ? "loses" : "is even";
}

const STOP_TEXT: Record<SearchStop, string> = {
  resolution: "every bracket is within the resolution",
  "max-points": "max_points was reached",
  budget: "the time budget was spent",
  "time-limit": "the run's time limit was reached",
  interrupted: "the run was interrupted",
  "fail-fast": "a point's case failed (--fail-fast)",
  error: "a point could not be measured",
};

function resolutionText(s: SearchSettings): string {
  const r = s.resolution;
  return "relative" in r ? `${+(r.relative * 100).toFixed(2)} %` : paramText(r.absolute, s);
}

/** The search as a spec asks for it, on one line. */
export function settingsLine(s: SearchSettings): string {
  return (
    `search ${s.parameter} from ${span(s).replace(/^[a-z_]+=/, "")} (${s.scale} scale): ` +
    `${s.labels.compare} against ${s.labels.against} by ${figureLabel(s)}, resolution ` +
    `${resolutionText(s)}, budget ${duration(s.budgetMs * 1e6)}, grid ${s.grid}, at most ` +
    `${s.maxPoints} points`
  );
}

/** "5,350 B: send_zc/send 1.02 [0.99–1.05], no significant difference (6 rounds, until)" */
export function pointLine(p: SearchPoint, s: SearchSettings): string {
  if (!p.ratio || !p.standing)
    return `${paramText(p.value, s)}: not measured (${p.error ?? p.stoppedBy})`;
  return (
    `${paramText(p.value, s)}: ${s.labels.compare}/${s.labels.against} ${figureLabel(s)} ` +
    `${ratioCell(p.ratio)}, ${p.standing} — ${standingWords(p.standing, s)} ` +
    `(${p.rounds} rounds, ${p.stoppedBy})`
  );
}

/** One sentence per change of sign: where, the bracket's ends, and the ratio inside it. */
function crossingSentence(c: Crossing, s: SearchSettings, lead: string): string {
  const { compare: a, against: b } = s.labels;
  const becomes =
    c.to === "win" ? `becomes ${standingWords("win", s)}` : `becomes ${standingWords("lose", s)}`;
  const inner = c.at
    ? `, ${intervalOnly(c.at.ratio)} at ${paramText(c.at.value, s)}`
    : `, the ratios crossing 1 near ${paramText(Number(c.estimate.toPrecision(3)), s)}`;
  const even = c.even
    ? `; no significant difference at ${rangeText(c.even.from, c.even.to, s)}`
    : "";
  return (
    `${lead}${a} ${becomes} than ${b} (${figureLabel(s)}) ${between(c.low, c.high, s)}${inner}: ` +
    `${verb(c.from)} at ${paramText(c.low, s)} (${ratioCell(c.ends.low)}), ${verb(c.to)} at ` +
    `${paramText(c.high, s)} (${ratioCell(c.ends.high)})${even}.`
  );
}

/**
 * The zones in order:
 * "wins at 512–1,000 B, loses at 1,700–4,000 B, wins again from 8,000 B".
 */
function zonesText(r: SearchResult): string {
  const s = r.settings;
  const seen = new Set<SearchStanding>();
  return r.zones
    .map((z, i) => {
      const again = seen.has(z.standing) && z.standing !== "even" ? " again" : "";
      seen.add(z.standing);
      const last = i === r.zones.length - 1 && z.to === s.to && z.from !== z.to;
      const where = last ? `from ${paramText(z.from, s)}` : `at ${rangeText(z.from, z.to, s)}`;
      return `${verb(z.standing)}${again} ${where}`;
    })
    .join(", ");
}

/**
 * What the search found, in sentences: the break-even as a bracket with the
 * ratio inside it; every change of sign when there are several (not
 * monotone, said so); "never changes sign" with the interval at each end;
 * then how it ended.
 */
export function outcomeSentences(r: SearchResult): string[] {
  const s = r.settings;
  const { compare: a, against: b } = s.labels;
  const out: string[] = [];
  if (r.points.length === 0) {
    out.push(`The search measured no point (${STOP_TEXT[r.stoppedBy]}).`);
    return out;
  }
  if (r.found && r.monotone && r.breakEven) {
    out.push(crossingSentence(r.breakEven, s, "Break-even: "));
    // more than the change of sign: an even stretch at an end, or a dip on one side
    const told = 2 + (r.breakEven.even ? 1 : 0);
    if (r.zones.length > told) out.push(`Along the way ${a} ${zonesText(r)}.`);
  } else if (r.found) {
    out.push(
      `Not monotone: ${a} ${zonesText(r)} against ${b} (${figureLabel(s)}), ` +
        `${r.crossings.length} changes of sign.`,
    );
    r.crossings.forEach((c, i) => {
      out.push(crossingSentence(c, s, `Change ${i + 1}: `));
    });
  } else {
    const ends = [r.points[0], r.points[r.points.length - 1]].filter(
      (p, i, all): p is SearchPoint => p !== undefined && all.indexOf(p) === i,
    );
    const at = ends
      .map((p) =>
        p.ratio && p.standing
          ? `at ${paramText(p.value, s)} ratio ${ratioCell(p.ratio)} ` +
            `(${standingWords(p.standing, s)})`
          : `at ${paramText(p.value, s)} not measured`,
      )
      .join(", ");
    out.push(`${a} never changes sign against ${b} (${figureLabel(s)}) from ${span(s)}: ${at}.`);
    if (r.zones.length > 1) out.push(`Along the way ${a} ${zonesText(r)}.`);
  }
  if (r.winsFrom !== undefined && r.found)
    out.push(
      `${a} is ${standingWords("win", s)} at every point from ` +
        `${rangeText(r.winsFrom, s.to, s).replace("–", " to ")}.`,
    );
  const error = r.points.find((p) => p.error);
  out.push(
    `The search stopped because ${STOP_TEXT[r.stoppedBy]}${error ? ` (${error.error})` : ""}: ` +
      `${r.pointCount} point${r.pointCount === 1 ? "" : "s"}, ${r.rounds} paired rounds, ` +
      `${duration(r.elapsedMs * 1e6)}.`,
  );
  if (r.baseline) out.push(`Against the baseline: ${r.baseline.text}.`);
  return out;
}

const HEAD = ["value", "ratio [95 % CI]", "standing", "rounds", "stopped by", "order"];

function rows(r: SearchResult): string[][] {
  const s = r.settings;
  return r.points.map((p) => [
    paramText(p.value, s),
    ratioCell(p.ratio),
    p.standing ?? "error",
    String(p.rounds),
    p.stoppedBy,
    `#${p.order} ${p.phase}`,
  ]);
}

/** Every measured point as a terminal table. */
export function pointsTable(r: SearchResult): string {
  return renderTable(HEAD, rows(r));
}

/** Every measured point as a Markdown table. */
export function pointsMarkdown(r: SearchResult): string {
  const s = r.settings;
  const head = [...HEAD];
  head[0] = s.parameter;
  head[1] = `${s.labels.compare}/${s.labels.against} ${figureLabel(s)} [95 % CI]`;
  return markdownTable(head, rows(r), ["right", "right", "left", "right", "left", "left"]);
}

/** The search's checks that did not pass (its expectations, the baseline), in words. */
export function searchProblems(r: SearchResult): string[] {
  return r.checks.filter((c) => !c.pass).map(describeCheck);
}

/**
 * What the console prints after a search: the points, what they say, and any check that did not
 * pass.
 */
export function searchSummary(r: SearchResult, paint: Paint = (_s, t = _s) => t): string {
  const s = r.settings;
  const held = r.checks.filter((c) => c.pass).length;
  const problems = searchProblems(r).map((t) => `search: ${paint("failed", "check")}: ${t}`);
  return [
    `${settingsLine(s)}:`,
    pointsTable(r),
    "",
    ...outcomeSentences(r),
    ...(r.checks.length ? [`search checks: ${held} of ${r.checks.length} held`] : []),
    ...problems,
  ].join("\n");
}

/** A search as a Markdown section: what it asked, what it found, every point, its checks. */
export function searchMarkdown(r: SearchResult, heading = "###"): string {
  const s = r.settings;
  const parts = [
    `${heading} Break-even search: ${s.labels.compare} against ${s.labels.against} along ` +
      `${s.parameter}`,
    "",
    `${settingsLine(s).replace(/^search /, "Searched ")}.`,
    "",
    ...outcomeSentences(r).map((t) => `- ${t}`),
    "",
    pointsMarkdown(r),
  ];
  const problems = searchProblems(r);
  if (problems.length) parts.push("", ...problems.map((t) => `- ${t}`));
  return parts.join("\n");
}
