import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../model/errors.js";

/** Refuse, before anything runs, an output file that could not be written after it. */
export function checkOutputs(paths: readonly string[]): void {
  for (const path of paths) {
    if (path === "-") continue;
    const dir = dirname(resolve(path));
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      throw new UsageError(
        `cannot write ${path}: ${dir} is not a writable directory`,
        "create the directory first, or write somewhere else",
      );
    }
    if (existsSync(path) && statSync(path).isDirectory())
      throw new UsageError(`cannot write ${path}: it is a directory`, "name a file");
  }
}
