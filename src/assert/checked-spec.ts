import { readFile } from "node:fs/promises";
import type { SpecDiagnostic } from "../model/diagnostic.js";
import { SpecInvalidError } from "../model/errors.js";
import { parseSpecText } from "../spec/load.js";
import { type CheckOptions, readSpecText, type ValidSpec } from "../spec/read.js";
import { compileExpectations, type Expectation } from "./expectations.js";
import { gateCases, vacuousGates } from "./vacuous.js";

/** A valid spec whose `expect` entries compiled too: what `run` and `validate` work from. */
export interface CheckedSpec extends ValidSpec {
  expectations: Expectation[];
}

const byPosition = (a: SpecDiagnostic, b: SpecDiagnostic) => a.line - b.line || a.col - b.col;

/**
 * Validate spec text and compile its expectations, reporting every problem
 * of both kinds at once (a CEL typo is a spec error with its line and column).
 */
export function checkedSpecText(
  file: string,
  text: string,
  options: CheckOptions = {},
): CheckedSpec {
  let spec: ValidSpec;
  try {
    spec = readSpecText(file, text, options);
  } catch (e) {
    if (!(e instanceof SpecInvalidError)) throw e;
    const cel = compileExpectations(parseSpecText(file, text)).diagnostics;
    if (cel.length === 0) throw e;
    throw new SpecInvalidError([...e.diagnostics, ...cel].sort(byPosition), e.sources);
  }
  const compiled = compileExpectations(spec.source);
  // a gate that never applies, once the expressions compile (vacuous.ts)
  const gates = vacuousGates(compiled.expectations, gateCases(spec.cases, spec.search));
  const diagnostics = [...compiled.diagnostics, ...gates.filter((d) => d.severity === "error")];
  const warnings = [...spec.warnings, ...gates.filter((d) => d.severity === "warning")];
  if (diagnostics.length > 0) {
    throw new SpecInvalidError([...warnings, ...diagnostics].sort(byPosition), spec.sources);
  }
  return { ...spec, warnings, expectations: compiled.expectations };
}

/** Read, validate and compile a spec file; throws SpecInvalidError listing every problem. */
export async function readCheckedSpec(
  file: string,
  options: CheckOptions = {},
): Promise<CheckedSpec> {
  return checkedSpecText(file, await readFile(file, "utf8"), options);
}

/** Read every spec; throws one SpecInvalidError with every invalid one's diagnostics. */
export async function readCheckedSpecs(
  files: readonly string[],
  options: CheckOptions = {},
): Promise<CheckedSpec[]> {
  const specs: CheckedSpec[] = [];
  const invalid: SpecInvalidError[] = [];
  for (const f of files) {
    try {
      specs.push(await readCheckedSpec(f, options));
    } catch (e) {
      if (!(e instanceof SpecInvalidError)) throw e;
      invalid.push(e);
    }
  }
  if (invalid.length) {
    const sources = new Map(invalid.flatMap((e) => [...e.sources]));
    throw new SpecInvalidError(
      invalid.flatMap((e) => e.diagnostics),
      sources,
    );
  }
  return specs;
}
