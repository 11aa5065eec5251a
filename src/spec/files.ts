import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { UsageError } from "../model/errors.js";
import { isDefaultsFile } from "./read.js";

export interface FindOptions {
  /** keep `*.defaults.yaml` found in directories (validate checks them; run cannot run them) */
  defaults?: boolean;
}

/**
 * The spec files that command-line paths name: files as given, directories
 * searched recursively for *.yaml / *.yml in name order.
 */
export async function findSpecFiles(
  paths: readonly string[],
  options: FindOptions = {},
): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    );
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (/\.ya?ml$/.test(e.name) && (options.defaults || !isDefaultsFile(p))) out.push(p);
    }
  };
  for (const p of paths) {
    const s = await stat(p).catch(() => undefined);
    if (!s) throw new UsageError(`no such spec file or directory: ${p}`, "check the path");
    if (s.isDirectory()) {
      const before = out.length;
      await walk(p);
      if (out.length === before)
        throw new UsageError(`no *.yaml spec in ${p}`, "point at a spec file or a folder of them");
    } else if (s.isFile()) out.push(p);
    else
      throw new UsageError(
        `not a file or directory: ${p}`,
        "point at a spec file or a folder of them",
      );
  }
  return [...new Set(out)];
}
