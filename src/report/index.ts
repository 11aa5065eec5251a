import { coverLetterFormat } from "./cover-letter/cover-letter.js";
import type { ReportFormat } from "./file-format.js";
import { csvFormat } from "./formats/csv.js";
import { jsonFormat } from "./formats/json.js";
import { junitFormat } from "./formats/junit.js";
import { markdownFormat } from "./formats/markdown.js";
import { svgFormat } from "./svg/svg.js";

/** Every file format, by flag name: a new format is one file and one entry here. */
export const FORMATS: readonly ReportFormat[] = [
  jsonFormat,
  junitFormat,
  csvFormat,
  markdownFormat,
  svgFormat,
  coverLetterFormat,
];
