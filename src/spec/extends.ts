import { statSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { SpecDiagnostic } from "../model/errors.js";
import { type LoadedSpec, type LoadOptions, loadSpecFileSync } from "./source/load.js";
import { at } from "./source/locate.js";
import { validateShape } from "./validate.js";

export interface Chain {
  /** the files extended, nearest first, each parsed and shape-valid */
  bases: LoadedSpec[];
  /** every file read, broken ones too (their text frames their diagnostics) */
  read: LoadedSpec[];
  diagnostics: SpecDiagnostic[];
}

/** How a path reads in messages: relative to the working directory when that is shorter. */
function shown(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel.length < abs.length ? rel : abs;
}

/**
 * Follow `extends:` from a spec through shared defaults files. Each file's
 * problems carry its own name; a missing file or a cycle is reported at the
 * `extends` that names it. Files are small and few, so they are read synchronously.
 */
export function loadExtends(spec: LoadedSpec, options: LoadOptions = {}): Chain {
  const bases: LoadedSpec[] = [];
  const read: LoadedSpec[] = [];
  const diagnostics: SpecDiagnostic[] = [];
  const visited = [resolve(spec.file)];
  let current = spec;
  for (;;) {
    const target = (current.data as { extends?: unknown } | undefined)?.extends;
    if (typeof target !== "string" || target === "") break;
    const file = resolve(dirname(current.file), target);
    const here = { spec: current, path: ["extends"] };
    if (visited.includes(file)) {
      const loop = [...visited.slice(visited.indexOf(file)), file].map(shown).join(" -> ");
      diagnostics.push(
        at(here, {
          code: "ZC_EXTENDS_CYCLE",
          severity: "error",
          message: `extends "${target}" makes a cycle: ${loop}`,
          hint: "a defaults file may not extend a file that (directly or not) extends it",
        }),
      );
      break;
    }
    let base: LoadedSpec;
    try {
      // a device or a directory is not a defaults file (and /dev/zero would never end)
      if (!statSync(file).isFile()) throw new Error("not a regular file");
      base = loadSpecFileSync(shown(file), options);
    } catch (e) {
      const why =
        (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message;
      diagnostics.push(
        at(here, {
          code: "ZC_EXTENDS_MISSING",
          severity: "error",
          message: `extends "${target}": ${why} (${shown(file)})`,
          hint: `the path is relative to the directory of ${current.file}`,
        }),
      );
      break;
    }
    visited.push(file);
    read.push(base);
    const shape = base.diagnostics.concat(validateShape(base, "defaults"));
    diagnostics.push(...shape);
    if (shape.some((d) => d.severity === "error")) break;
    bases.push(base);
    current = base;
  }
  return { bases, read, diagnostics };
}
