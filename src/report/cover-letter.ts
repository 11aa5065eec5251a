import { readFileSync } from "node:fs";
import type { Case, Mode } from "../model/case.js";
import { type CaseResult, type RunResult, ranToEnd, type SuiteResult } from "../model/results.js";
import type { ReportFormat } from "./format.js";
import { type Align, markdownTable } from "./markdown-table.js";
import { gbit, integer, percent, signedPercent } from "./numbers.js";

/**
 * The cover letter's layout in Markdown: per spec, one row per target and
 * size, the letter's columns (from each case's `reference`) each followed by
 * the measured figure that reproduces it, zerocopy figures with their +x %
 * over the copying mode, and the measured crossover size.
 *
 * Spec convention (specs/cover-letter/): a case's `reference.rps` is the
 * letter's figure for what the case measures; `reference.columns` is the
 * letter's row, keyed by the letter's headers. A letter column that no case
 * reproduces (the v4 "zc") shows the providing case's `reference.note` (e.g.
 * "n/a since Linux 6.0") where a measurement would be.
 */

/** Each zerocopy mode against the mode that does the same thing with a copy. */
const COPY_OF: Partial<Record<Mode, Mode>> = {
  send_zc: "send",
  sendmsg_zc: "sendmsg",
  msg_zerocopy: "sendto",
};

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
  const p = (value / base - 1) * 100;
  // decide on the rounded figure, so that -9.99999 (float noise for -10) prints as -10%
  return signedPercent(p, Math.abs(Number(p.toFixed(1))) >= 10 ? 0 : 1);
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

function rps(r: CaseResult | undefined): number | undefined {
  return r && ranToEnd(r) ? r.measured.rps : undefined;
}

/** The mode a zerocopy mode is compared with in this row (its own copy twin, else the first copy mode). */
function copyBase(row: Row, mode: Mode): CaseResult | undefined {
  const twin = COPY_OF[mode];
  if (twin && row.byMode.has(twin)) return row.byMode.get(twin);
  for (const [m, r] of row.byMode) if (!isZc(m)) return r;
  return undefined;
}

function isZc(mode: Mode): boolean {
  return mode in COPY_OF;
}

function measuredCell(row: Row, mode: Mode): string {
  const r = row.byMode.get(mode);
  if (!r) return "";
  const v = rps(r);
  if (v === undefined) return r.status;
  const base = isZc(mode) ? rps(copyBase(row, mode)) : undefined;
  return base ? `${integer(v)} (${percentOver(v, base)})` : integer(v);
}

/** CPU per request of a zerocopy mode against its copy at the same size: "-26%" is cheaper. */
function cpuCell(row: Row, mode: Mode): string {
  const z = row.byMode.get(mode);
  const zn = rps(z) === undefined ? undefined : z?.measured?.cpuNsPerRequest;
  const c = copyBase(row, mode);
  const cn = rps(c) === undefined ? undefined : c?.measured?.cpuNsPerRequest;
  return zn && cn ? percentOver(zn, cn) : "";
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
  // the cost side, which a busy machine disturbs far less than the rate
  for (const m of modes.filter(isZc)) {
    const copy = rows.map((row) => copyBase(row, m)?.case.mode).find((x) => x !== undefined);
    if (!copy) continue;
    head.push(`${m} CPU/request vs ${copy}`);
    cells.push((row) => cpuCell(row, m));
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
 * Where a zerocopy mode starts to beat its copy twin, from figures by size:
 * the smallest size from which it wins at that size and every larger one.
 */
export function crossover(points: readonly { size: number; zc: number; copy: number }[]): {
  from?: number;
  lostAt?: number;
  sizes: number[];
} {
  const sorted = [...points].sort((a, b) => a.size - b.size);
  let from: number | undefined;
  let lostAt: number | undefined;
  for (const p of sorted) {
    if (p.zc > p.copy) from ??= p.size;
    else {
      from = undefined;
      lostAt = p.size;
    }
  }
  return {
    ...(from === undefined ? {} : { from }),
    ...(lostAt === undefined ? {} : { lostAt }),
    sizes: sorted.map((p) => p.size),
  };
}

function crossoverText(
  who: string,
  zc: string,
  copy: string,
  c: ReturnType<typeof crossover>,
): string {
  const lo = c.sizes[0];
  const hi = c.sizes[c.sizes.length - 1];
  if (c.from === undefined)
    return `${who}: ${zc} did not beat ${copy} at any size from ${lo} B to ${hi} B.`;
  if (c.lostAt === undefined)
    return `${who}: ${zc} beat ${copy} at every size from ${lo} B to ${hi} B (no crossover in range).`;
  return `${who}: ${zc} beats ${copy} from ${c.from} B up (crossover between ${c.lostAt} B and ${c.from} B).`;
}

function crossoverLines(rows: readonly Row[]): string[] {
  const out: string[] = [];
  const targets = [...new Set(rows.map((r) => r.target))];
  const modes = [...new Set(rows.flatMap((r) => [...r.byMode.keys()]))].filter(isZc);
  for (const target of targets) {
    for (const mode of modes) {
      const measured: { size: number; zc: number; copy: number }[] = [];
      // requests per CPU-second: on a shared machine the rate follows the CPU share a case
      // got, its CPU cost per request much less
      const perCpu: { size: number; zc: number; copy: number }[] = [];
      const letter: { size: number; zc: number; copy: number }[] = [];
      let copyMode: Mode | undefined;
      for (const row of rows.filter((r) => r.target === target)) {
        const z = row.byMode.get(mode);
        const c = copyBase(row, mode);
        if (!z || !c) continue;
        copyMode = c.case.mode;
        const zv = rps(z);
        const cv = rps(c);
        if (zv !== undefined && cv !== undefined)
          measured.push({ size: row.size, zc: zv, copy: cv });
        const zn = zv === undefined ? undefined : z.measured?.cpuNsPerRequest;
        const cn = cv === undefined ? undefined : c.measured?.cpuNsPerRequest;
        if (zn && cn) perCpu.push({ size: row.size, zc: 1 / zn, copy: 1 / cn });
        const zr = z.case.reference?.rps;
        const cr = c.case.reference?.rps;
        if (zr !== undefined && cr !== undefined) letter.push({ size: row.size, zc: zr, copy: cr });
      }
      if (!copyMode) continue;
      const where = targets.length > 1 ? ` on ${target}` : "";
      if (measured.length > 1)
        out.push(crossoverText(`Measured${where}`, mode, copyMode, crossover(measured)));
      if (perCpu.length > 1)
        out.push(
          crossoverText(`Measured per CPU-second${where}`, mode, copyMode, crossover(perCpu)),
        );
      if (letter.length > 1)
        out.push(crossoverText(`Letter${where}`, mode, copyMode, crossover(letter)));
    }
  }
  return out;
}

/** " ±2.1%": the standard deviation of requests/s across repetitions, relative to the median. */
function spread(r: CaseResult): string {
  const sd = r.stats?.stddev.rps;
  const rps = r.measured?.rps;
  return sd !== undefined && rps ? ` ±${percent((sd / rps) * 100, 1)}` : "";
}

function detailsTable(results: readonly CaseResult[]): string {
  const head = [
    "case",
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
    return [
      r.case.name,
      m ? `${integer(m.rps)}${spread(r)}` : "-",
      m ? gbit(m.gbps) : "-",
      m ? integer(m.cpuNsPerRequest) : "-",
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
      ...r.checks.filter((c) => !c.pass).map((c) => `failed: ${c.reason}`),
    ];
    for (const reason of reasons)
      byReason.set(reason, [...(byReason.get(reason) ?? []), r.case.name]);
  }
  return [...byReason].map(([reason, names]) => `- ${reason} (${names.join(", ")})`);
}

function section(run: RunResult, title: string | undefined): { text: string; usesV6Note: boolean } {
  const rows = rowsOf(run.results);
  const { table, usesV6Note } = comparisonTable(rows);
  const parts = [`## ${title ?? run.spec}`, "", `\`${run.file}\`, requests / second.`, "", table];
  if (usesV6Note) parts[parts.length - 1] += "\n\nSee note ¹ for the zc columns.";
  const cross = crossoverLines(rows);
  if (cross.length) parts.push("", ...cross.map((l) => `- ${l}`));
  const problems = problemLines(run.results);
  if (problems.length) parts.push("", "Not measured or not held:", "", ...problems);
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
  const sections = runs.map((run) => section(run, options.titles?.[run.spec]));
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
