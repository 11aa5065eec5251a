/**
 * The report stage's one entry: results in, text out. A file format is a
 * `ReportFormat` in its own file; adding one is that file and an entry in
 * FORMATS. docs/ has the reports' layout.
 */
import { coverLetterFormat } from "./cover-letter/cover-letter.js";
import type { ReportFormat } from "./file-format.js";
import { csvFormat } from "./formats/csv.js";
import { jsonFormat } from "./formats/json.js";
import { junitFormat } from "./formats/junit.js";
import { markdownFormat } from "./formats/markdown.js";
import { svgFormat } from "./svg/svg.js";

export { type ConsoleOptions, consoleReporter } from "./console/console.js";
export { renderDryRun } from "./console/dry-run.js";
export { renderPlans } from "./console/plan-table.js";
export { renderProbe } from "./console/probe.js";
export { type CoverLetterOptions, renderCoverLetter } from "./cover-letter/cover-letter.js";
export { fileReporter, type ReportFormat } from "./file-format.js";
export { checkOutputs } from "./outputs.js";
export { renderSearchSvg } from "./svg/search-chart.js";
export { coverLetterFormat, csvFormat, jsonFormat, junitFormat, markdownFormat, svgFormat };

/** Every file format, by flag name (`run --NAME FILE`, `report --NAME`). */
export const FORMATS: readonly ReportFormat[] = [
  jsonFormat,
  junitFormat,
  csvFormat,
  markdownFormat,
  svgFormat,
  coverLetterFormat,
];
