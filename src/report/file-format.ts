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

/**
 * Writes a format to a file as each spec ends (the suite so far, rewritten:
 * a run that fails or is killed later keeps what finished) and, complete,
 * once the suite has ended; to stdout ("-") only the complete one.
 */
export function fileReporter(
  format: ReportFormat,
  path: string,
  stdout: NodeJS.WritableStream = process.stdout,
): Reporter {
  const write = async (suite: SuiteResult) => {
    try {
      await writeFile(path, format.render(suite));
    } catch (e) {
      throw new EnvError(
        "ZC_OUTPUT",
        `cannot write the ${format.name} report to ${path}: ${(e as Error).message}`,
        "the run itself finished; point the option at a writable file",
      );
    }
  };
  return {
    async onSuiteUpdate(suite) {
      if (path !== "-") await write(suite);
    },
    async onSuiteEnd(suite) {
      if (path === "-") stdout.write(format.render(suite));
      else await write(suite);
    },
  };
}
