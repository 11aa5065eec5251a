import { writeFile } from "node:fs/promises";
import { ZcspecError } from "../index.js";
import { checkOutputs } from "../internal.js";

/** Write `text` where an output option says: a file, or stdout for "-". */
export async function writeOutput(path: string, text: string): Promise<void> {
  if (path === "-") {
    process.stdout.write(text);
    return;
  }
  checkOutputs([path]);
  await writeFile(path, text).catch((e: Error) => {
    throw new ZcspecError(
      "ZC_OUTPUT",
      `cannot write ${path}: ${e.message}`,
      "write somewhere else",
    );
  });
}
