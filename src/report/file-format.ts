import { writeFile } from "node:fs/promises";
import { EnvError } from "../model/errors.js";
import type { Reporter } from "../model/reporter.js";
import type { SuiteResult } from "../model/results.js";

/** A file format of a whole run: `--NAME FILE` on `run`, `--NAME` on `report`. */
export interface ReportFormat {
  /** the flag name: `--json`, `--svg`, ... */
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
      if (path === "-") {
        stdout.write(text);
        return;
      }
      try {
        await writeFile(path, text);
      } catch (e) {
        throw new EnvError(
          "ZC_OUTPUT",
          `cannot write the ${format.name} report to ${path}: ${(e as Error).message}`,
          "the run itself finished; point the option at a writable file",
        );
      }
    },
  };
}
