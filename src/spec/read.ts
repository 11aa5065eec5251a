import { type SpecDiagnostic, SpecInvalidError } from "./diagnostic.js";
import { type LoadedSpec, loadSpecFile, parseSpecText } from "./load.js";
import { resolveSpec } from "./resolve.js";
import type { Case, SpecInput } from "./types.js";
import { validateShape } from "./validate.js";

/** A spec that passed every check, expanded into its cases. */
export interface ValidSpec {
  file: string;
  name: string;
  description?: string;
  cases: Case[];
  /** problems that do not stop a run */
  warnings: SpecDiagnostic[];
  source: LoadedSpec;
}

/** Every diagnostic of a parsed spec, in file order; stops before resolving a broken shape. */
export function checkSpec(spec: LoadedSpec): { diagnostics: SpecDiagnostic[]; cases: Case[] } {
  const diagnostics = [...spec.diagnostics];
  let cases: Case[] = [];
  if (spec.data !== undefined) {
    const shape = validateShape(spec);
    diagnostics.push(...shape);
    if (shape.length === 0) {
      const resolved = resolveSpec(spec);
      diagnostics.push(...resolved.diagnostics);
      cases = resolved.cases;
    }
  }
  diagnostics.sort((a, b) => a.line - b.line || a.col - b.col);
  return { diagnostics, cases };
}

function finish(spec: LoadedSpec): ValidSpec {
  const { diagnostics, cases } = checkSpec(spec);
  if (diagnostics.some((d) => d.severity === "error")) {
    throw new SpecInvalidError(diagnostics, new Map([[spec.file, spec.text]]));
  }
  const input = spec.data as SpecInput;
  return {
    file: spec.file,
    name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    cases,
    warnings: diagnostics,
    source: spec,
  };
}

/** Load, validate and resolve a spec file; throws SpecInvalidError listing every problem. */
export async function readSpec(file: string): Promise<ValidSpec> {
  return finish(await loadSpecFile(file));
}

/** The same for spec text held in memory (file names the source in messages). */
export function readSpecText(file: string, text: string): ValidSpec {
  return finish(parseSpecText(file, text));
}
