import { writeFile } from "node:fs/promises";
import type { SuiteResult } from "../results.js";
import type { Reporter } from "./reporter.js";

/** A file format of a whole run: `--NAME FILE` on `run`, `--NAME` on `report`. */
export interface ReportFormat {
  /** the flag name: json, junit, csv, markdown, svg */
  name: string;
  /** one line for --help */
  description: string;
  render(suite: SuiteResult): string;
}

/** Writes a format to a file (or stdout for "-") once the suite has ended. */
export function fileReporter(
  format: ReportFormat,
  path: string,
  stdout: NodeJS.WritableStream = process.stdout,
): Reporter {
  return {
    async onSuiteEnd(suite) {
      const text = format.render(suite);
      if (path === "-") stdout.write(text);
      else await writeFile(path, text);
    },
  };
}
