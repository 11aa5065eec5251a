import { coverLetterFormat } from "./cover-letter.js";
import { csvFormat } from "./csv.js";
import type { ReportFormat } from "./format.js";
import { jsonFormat } from "./json.js";
import { junitFormat } from "./junit.js";
import { markdownFormat } from "./markdown.js";
import { svgFormat } from "./svg.js";

/** Every file format, by flag name: a new format is one file and one entry here. */
export const FORMATS: readonly ReportFormat[] = [
  jsonFormat,
  junitFormat,
  csvFormat,
  markdownFormat,
  svgFormat,
  coverLetterFormat,
];
