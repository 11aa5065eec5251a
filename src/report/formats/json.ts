import {
  RESULTS_FORMAT,
  RESULTS_VERSION,
  type ResultsDocument,
  type SuiteResult,
} from "../../model/results.js";
import { toolVersion } from "../../version.js";
import type { ReportFormat } from "../file-format.js";
import { jsonText } from "./json-text.js";

export function toDocument(suite: SuiteResult): ResultsDocument {
  return { format: RESULTS_FORMAT, version: RESULTS_VERSION, zcspec: toolVersion(), ...suite };
}

export const jsonFormat: ReportFormat = {
  name: "json",
  description: "the whole run, every figure and check (schema/results.schema.json)",
  render: (suite) => `${jsonText(toDocument(suite))}\n`,
};
