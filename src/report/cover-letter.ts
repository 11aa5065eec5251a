import { readFileSync } from "node:fs";
import type { Case, Mode } from "../model/case.js";
import type { CaseResult, RunResult, SuiteResult } from "../model/results.js";
import { caseEstimate, compareCases } from "../stats/compare.js";
import {
  basisText,
  COPY_OF,
  change,
  changeCell,
  claimSentence,
  isZerocopy as isZc,
  runsCell,
  type SizeRatio,
  valueCell,
} from "./claims.js";
import { describeCheck } from "./describe.js";
import type { ReportFormat } from "./format.js";
import { type Align, markdownTable } from "./markdown-table.js";
import { gbit, integer } from "./numbers.js";
import { outcomeSentences, searchMarkdown } from "./search-text.js";

/**
 * The cover letter's layout in Markdown: per spec, one row per target and
 * size, the letter's columns (from each case's `reference`) each followed by
 * the measured figure that reproduces it (median and interval), each
 * zerocopy mode's change over its copying mode with its interval, and what
 * the intervals support: wins, losses, no significant difference, a
 * crossover (claims.ts).
 *
 * Spec convention (specs/cover-letter/): a case's `reference.rps` is the
 * letter's figure for what the case measures; `reference.columns` is the
 * letter's row, keyed by the letter's headers. A letter column that no case
 * reproduces (the v4 "zc") shows the providing case's `reference.note` (e.g.
 * "n/a since Linux 6.0") where a measurement would be.
 */

/**
 * A paragraph of the report's prose, kept in templates/ beside this module
 * (the build copies it into dist/) so that it can be edited as text; its
 * wrapped lines are joined into one.
 */
function paragraph(file: string): string {
  const text = readFileSync(new URL(`./templates/${file}`, import.meta.url), "utf8");
  return text.trim().replace(/\s*\n\s*/g, " ");
}

const INTRODUCTION = paragraph("cover-letter-intro.md");

export const V6_FOOTNOTE = paragraph("cover-letter-v6-note.md");

/** "+84%", "+4.5%", "-6.7%": whole per cent from 10 up, one decimal below, as the letter wrote. */
export function percentOver(value: number, base: number): string {
  return change(value / base);
}

interface Row {
  target: Case["target"];
  size: number;
  byMode: Map<Mode, CaseResult>;
}

function rowsOf(results: readonly CaseResult[]): Row[] {
  const rows = new Map<string, Row>();
  for (const r of results) {
    const key = `${r.case.target}/${r.case.buffers.size}`;
    let row = rows.get(key);
    if (!row) {
      row = { target: r.case.target, size: r.case.buffers.size, byMode: new Map() };
      rows.set(key, row);
    }
    // a cell shows the first case of its mode, size and target
    if (!row.byMode.has(r.case.mode)) row.byMode.set(r.case.mode, r);
  }
  return [...rows.values()];
}

/** The mode a zerocopy mode is compared with in this row (its own copy twin, else the first copy mode). */
function copyBase(row: Row, mode: Mode): CaseResult | undefined {
  const twin = COPY_OF[mode];
  if (twin && row.byMode.has(twin)) return row.byMode.get(twin);
  for (const [m, r] of row.byMode) if (!isZc(m)) return r;
  return undefined;
}

/** requests/s measured for a mode: the median with its interval, or why there is none. */
function measuredCell(row: Row, mode: Mode): string {
  const r = row.byMode.get(mode);
  if (!r) return "";
  const e = caseEstimate(r, "rps");
  return e ? valueCell(e) : r.status;
}

/**
 * A zerocopy mode against its copy at the same size, from their paired runs:
 * requests/s ("+31% [+24% to +38%]" is faster) or CPU per request ("-26%" is cheaper).
 */
function ratio(row: Row, mode: Mode, figure: "rps" | "cpuNsPerRequest") {
  const z = row.byMode.get(mode);
  const c = copyBase(row, mode);
  return z && c ? compareCases(z, c, figure) : undefined;
}

/** A letter column: its header and, where a mode reproduces it, that mode. */
interface LetterColumn {
  name: string;
  mode?: Mode;
}

function letterColumns(rows: readonly Row[]): LetterColumn[] {
  const cols = new Map<string, LetterColumn>();
  for (const row of rows) {
    for (const [mode, r] of row.byMode) {
      const ref = r.case.reference;
      for (const [name, value] of Object.entries(ref?.columns ?? {})) {
        if (typeof value !== "number") continue;
        const col = cols.get(name) ?? { name };
        if (!col.mode && ref?.rps === value) col.mode = mode;
        cols.set(name, col);
      }
    }
  }
  return [...cols.values()];
}

/** The case of a row that states a letter column, and the letter's figure there. */
function letterFigure(row: Row, column: string): { r: CaseResult; value: number } | undefined {
  for (const r of row.byMode.values()) {
    const value = r.case.reference?.columns?.[column];
    if (typeof value === "number") return { r, value };
  }
  return undefined;
}

function letterCell(row: Row, col: LetterColumn): string {
  const fig = letterFigure(row, col.name);
  if (!fig) return "";
  const mode = fig.r.case.mode;
  const base = isZc(mode) ? copyBase(row, mode)?.case.reference?.rps : undefined;
  return base ? `${integer(fig.value)} (${percentOver(fig.value, base)})` : integer(fig.value);
}

/** Where nothing measured reproduces a letter column, the providing case's note says why. */
function unreproducedCell(row: Row, col: LetterColumn): string {
  const fig = letterFigure(row, col.name);
  return fig ? (fig.r.case.reference?.note ?? "n/a") : "";
}

/** The columns named in `text` left-aligned, the others (figures) right. */
function alignment(head: readonly string[], ...text: string[]): Align[] {
  return head.map((h) => (text.includes(h) ? "left" : "right"));
}

function comparisonTable(rows: readonly Row[]): { table: string; usesV6Note: boolean } {
  const many = new Set(rows.map((r) => r.target)).size > 1;
  const cols = letterColumns(rows);
  const shown = new Set(cols.flatMap((c) => (c.mode ? [c.mode] : [])));
  const modes = [...new Set(rows.flatMap((r) => [...r.byMode.keys()]))];
  const head = [...(many ? ["target"] : []), "IO size"];
  const cells: ((row: Row) => string)[] = [];
  for (const c of cols) {
    head.push(`${c.name} (letter)`);
    cells.push((row) => letterCell(row, c));
    head.push(c.mode ? `${c.mode} (measured)` : `${c.name} (measured)`);
    cells.push((row) => (c.mode ? measuredCell(row, c.mode as Mode) : unreproducedCell(row, c)));
  }
  for (const m of modes.filter((m) => !shown.has(m))) {
    head.push(`${m} (measured)`);
    cells.push((row) => measuredCell(row, m));
  }
  // each zerocopy mode against its copy: the rate, then the cost side, which a busy
  // machine disturbs far less than the rate
  for (const m of modes.filter(isZc)) {
    const copy = rows.map((row) => copyBase(row, m)?.case.mode).find((x) => x !== undefined);
    if (!copy) continue;
    head.push(`${m} vs ${copy}`);
    cells.push((row) => changeCell(ratio(row, m, "rps")));
    head.push(`${m} CPU/request vs ${copy}`);
    cells.push((row) => changeCell(ratio(row, m, "cpuNsPerRequest")));
  }
  const body = rows.map((row) => [
    ...(many ? [row.target] : []),
    String(row.size),
    ...cells.map((f) => f(row)),
  ]);
  return {
    table: markdownTable(head, body, alignment(head, "target")),
    usesV6Note: cols.some((c) => !c.mode) || (shown.has("send_zc") && cols.length > 0),
  };
}

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

/** The letter's crossover in words (its figures are single numbers: no interval, no significance). */
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
    return `${who}: ${zc} beat ${copy} at every size from ${lo} B to ${hi} B (no crossover in range).`;
  if (!c.monotone)
    return `${who}: ${zc} beat ${copy} at ${list(c.wins)} but not at ${list(c.losses)} (not monotone in size).`;
  return `${who}: ${zc} beats ${copy} from ${c.from} B up (crossover between ${c.lostAt} B and ${c.from} B).`;
}

function crossoverLines(rows: readonly Row[]): string[] {
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
      const r = claimSentence({ ...words, who: `Measured requests/s${where}`, kind: "rate" }, rate);
      if (r) out.push(r);
      const c = claimSentence(
        { ...words, who: `Measured CPU per request${where}`, kind: "cost" },
        cost,
      );
      if (c) out.push(c);
      if (letter.length > 1)
        out.push(crossoverText(`Letter${where}`, mode, copyMode, crossover(letter)));
    }
  }
  return out;
}

function detailsTable(results: readonly CaseResult[]): string {
  const head = [
    "case",
    "runs",
    "requests/s",
    "Gbit/s",
    "CPU ns/request",
    "completions",
    "notifications",
    "zc copied",
    "status",
  ];
  const rows = results.map((r) => {
    const m = r.measured;
    const cell = (figure: "rps" | "gbps" | "cpuNsPerRequest", f?: (n: number) => string) => {
      const e = caseEstimate(r, figure);
      return e ? valueCell(e, f) : "-";
    };
    return [
      r.case.name,
      runsCell(r),
      cell("rps"),
      cell("gbps", gbit),
      cell("cpuNsPerRequest"),
      m ? String(m.completions) : "-",
      m ? String(m.notifications) : "-",
      m ? String(m.zcCopied) : "-",
      r.status,
    ];
  });
  return markdownTable(head, rows, alignment(head, "case", "status"));
}

/** Why cases did not run or did not hold, one line per distinct reason. */
function problemLines(results: readonly CaseResult[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const r of results) {
    const reasons = [
      ...(r.reason ? [`${r.status}: ${r.reason}`] : []),
      ...r.checks.filter((c) => !c.pass).map(describeCheck),
    ];
    for (const reason of reasons)
      byReason.set(reason, [...(byReason.get(reason) ?? []), r.case.name]);
  }
  return [...byReason].map(([reason, names]) => `- ${reason} (${names.join(", ")})`);
}

/**
 * Beside a letter table: the break-even that a search of this suite measured
 * for a zerocopy mode and its copy on a target of the table (searches along
 * buffers.size only: the letter's rows are sizes).
 */
function breakEvenLines(rows: readonly Row[], searches: readonly RunResult[]): string[] {
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

/** A break-even search's section: what it found and every probe point (its cases in the details). */
function searchSection(run: RunResult, title: string | undefined): string {
  const r = run.search as NonNullable<RunResult["search"]>;
  return [
    `## ${title ?? run.spec}`,
    "",
    `\`${run.file}\`: a break-even search (\`search:\` in the spec).`,
    "",
    searchMarkdown(r, "###"),
    "",
    "<details><summary>Every probe case</summary>",
    "",
    detailsTable(run.results),
    "",
    "</details>",
  ].join("\n");
}

function section(
  run: RunResult,
  title: string | undefined,
  searches: readonly RunResult[] = [],
): { text: string; usesV6Note: boolean } {
  if (run.search && run.results.every((r) => r.search))
    return { text: searchSection(run, title), usesV6Note: false };
  const rows = rowsOf(run.results.filter((r) => !r.search));
  const { table, usesV6Note } = comparisonTable(rows);
  const parts = [`## ${title ?? run.spec}`, "", `\`${run.file}\`, requests / second.`, "", table];
  if (usesV6Note) parts[parts.length - 1] += "\n\nSee note ¹ for the zc columns.";
  const basis = basisText(run.results);
  if (basis) parts.push("", basis);
  const cross = [...crossoverLines(rows), ...breakEvenLines(rows, searches)];
  if (cross.length) parts.push("", ...cross.map((l) => `- ${l}`));
  const problems = problemLines(run.results);
  if (problems.length) parts.push("", "Not measured or not held:", "", ...problems);
  if (run.search) parts.push("", searchMarkdown(run.search, "###"));
  parts.push(
    "",
    "<details><summary>Every case</summary>",
    "",
    detailsTable(run.results),
    "",
    "</details>",
  );
  return { text: parts.join("\n"), usesV6Note };
}

export interface CoverLetterOptions {
  /** when the run started (ISO 8601), shown with where it ran */
  startedAt?: string;
  /** section titles by spec name (a spec's report.title) */
  titles?: Record<string, string>;
}

/** Where and when the runs were measured, from their environment record. */
function measuredOn(runs: readonly RunResult[], startedAt: string | undefined): string | undefined {
  const env = runs[0]?.environment;
  if (!env) return undefined;
  const when = startedAt ? ` ${startedAt.slice(0, 16).replace("T", " ")} UTC` : "";
  const memlock = env.memlock.soft === null ? "unlimited" : `${env.memlock.soft} B`;
  return `Measured${when} on Linux ${env.kernel}, ${env.cpu.model} × ${env.cpu.count} CPUs, liburing ${env.liburing}, zcspec ${env.zcspec}, RLIMIT_MEMLOCK ${memlock}.`;
}

/** The whole Markdown report for the runs of one or more specs. */
export function renderCoverLetter(
  runs: readonly RunResult[],
  options: CoverLetterOptions = {},
): string {
  const searches = runs.filter((run) => run.search);
  const sections = runs.map((run) => section(run, options.titles?.[run.spec], searches));
  const where = measuredOn(runs, options.startedAt ?? runs[0]?.startedAt);
  const parts = [
    "# io_uring zerocopy send: the v4 cover letter, reproduced",
    "",
    ...(where ? [where, ""] : []),
    INTRODUCTION,
    "",
    ...sections.map((s) => `${s.text}\n`),
  ];
  if (sections.some((s) => s.usesV6Note)) parts.push(`¹ ${V6_FOOTNOTE}`, "");
  return parts.join("\n");
}

/** `--cover-letter FILE`: the letter's layout, for specs that carry its figures (specs/cover-letter/). */
export const coverLetterFormat: ReportFormat = {
  name: "cover-letter",
  description: "Markdown in the cover letter's layout: letter vs measured, +x% over copy",
  render: (suite: SuiteResult) => renderCoverLetter(suite.runs, { startedAt: suite.startedAt }),
};
