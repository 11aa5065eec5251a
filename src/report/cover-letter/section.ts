import type { RunResult } from "../../model/results.js";
import { latencyMarkdown } from "../text/latency-text.js";
import { basisText } from "../text/runs.js";
import { searchMarkdown } from "../text/search-text.js";
import { breakEvenLines, crossoverLines } from "./crossover.js";
import { detailsTable, problemLines } from "./details.js";
import { letterRows } from "./rows.js";
import { comparisonTable } from "./table.js";

/**
 * A break-even search's section: what it found and every probe point (its cases in the details).
 */
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

/**
 * A spec's section: its letter table and what it shows, or a search's section when that is all it
 * ran.
 */
export function section(
  run: RunResult,
  title: string | undefined,
  searches: readonly RunResult[] = [],
): { text: string; usesV6Note: boolean } {
  if (run.search && run.results.every((r) => r.search))
    return { text: searchSection(run, title), usesV6Note: false };
  const rows = letterRows(run.results.filter((r) => !r.search));
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
  const latency = latencyMarkdown(run.results);
  if (latency)
    parts.push(
      "",
      "<details><summary>Latency per request</summary>",
      "",
      latency,
      "",
      "</details>",
    );
  return { text: parts.join("\n"), usesV6Note };
}
