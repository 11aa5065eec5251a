import { readFileSync } from "node:fs";
import type { RunResult, SuiteResult } from "../../model/results.js";
import type { ReportFormat } from "../file-format.js";
import { section } from "./section.js";

/**
 * The cover letter's layout in Markdown, each letter figure beside the
 * measurement that reproduces it, so that a reader checks the letter
 * against this machine row by row. The specs' `reference` convention and
 * how to read the result: docs/cover-letter.md.
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
  return (
    `Measured${when} on Linux ${env.kernel}, ${env.cpu.model} × ${env.cpu.count} CPUs, liburing ` +
    `${env.liburing}, zcspec ${env.zcspec}, RLIMIT_MEMLOCK ${memlock}.`
  );
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

/**
 * `--cover-letter FILE`: the letter's layout, for specs that carry its figures
 * (specs/cover-letter/).
 */
export const coverLetterFormat: ReportFormat = {
  name: "cover-letter",
  description: "Markdown in the cover letter's layout: letter vs measured, +x% over copy",
  render: (suite: SuiteResult) => renderCoverLetter(suite.runs, { startedAt: suite.startedAt }),
};
