import { dirname, resolve } from "node:path";
import type { Case } from "../model/case.js";
import { type SpecDiagnostic, SpecInvalidError } from "../model/errors.js";
import { HOST_KERNEL } from "../model/kernel.js";
import { compileExpectations, type Expectation } from "./cel/expectations.js";
import { latencyOffGates } from "./cel/latency-off.js";
import { gateCases, strictGates, vacuousGates } from "./cel/vacuous.js";
import { loadExtends } from "./extends.js";
import { resolveSpec } from "./resolve.js";
import type { SearchSpec } from "./search.js";
import { machineProblems } from "./semantics.js";
import { type LoadedSpec, type LoadOptions, loadSpecFile, parseSpecText } from "./source/load.js";
import type { CaseOrigin, SpecInput } from "./types.js";
import { validateShape } from "./validate.js";

export interface CheckOptions extends LoadOptions {
  /**
   * The machine's online CPUs. Given at plan and run time (not by validate,
   * which may run on another box): pinning to a CPU outside it is a warning.
   */
  cpus?: ReadonlySet<number>;
  /** --strict: an expectation whose `where` matches no case is an error, not a warning */
  strict?: boolean;
}

/** Everything validation found in one spec file and the files it extends. */
export interface SpecCheck {
  spec: LoadedSpec;
  /** errors and warnings of every file involved, in file and line order */
  diagnostics: SpecDiagnostic[];
  /** the resolved cases; [] when the shape was broken */
  cases: Case[];
  origins: CaseOrigin[];
  /** the resolved `search:`, when the spec has one and it is valid */
  search?: SearchSpec;
  /** the `expect` entries whose CEL compiled */
  expectations: Expectation[];
  /** source text per file name, for code frames */
  sources: Map<string, string>;
}

/** A spec that passed every check (its expectations compiled too), expanded into its cases. */
export interface ValidSpec {
  file: string;
  name: string;
  description?: string;
  cases: Case[];
  /** how repeated cases' repetitions are ordered (the spec's `order`; interleaved when absent) */
  order?: "interleaved" | "sequential";
  /** the spec's `kernels`: images (absolute paths) and `host`, to run on in VMs */
  kernels?: string[];
  /** a break-even search to run after the cases (the spec's `search:`) */
  search?: SearchSpec;
  /** the `expect` entries, compiled */
  expectations: Expectation[];
  /** problems that do not stop a run */
  warnings: SpecDiagnostic[];
  source: LoadedSpec;
  /** source text per file name (the spec and the files it extends), for code frames */
  sources: ReadonlyMap<string, string>;
}

function sortDiagnostics(ds: SpecDiagnostic[], first: string): SpecDiagnostic[] {
  return ds.sort(
    (a, b) =>
      Number(a.file !== first) - Number(b.file !== first) ||
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.col - b.col,
  );
}

/**
 * The spec intake every reader goes through (run, validate, plan, the
 * library): every diagnostic of a parsed spec — YAML, ${VAR}, extends,
 * schema, then the semantic checks on the resolved cases (only once the
 * shape is right, so a broken shape is not reported twice) — and its
 * `expect` entries compiled (a CEL typo is a spec error with its line and
 * column, reported beside the others). Never throws for a spec problem.
 */
export function checkSpec(spec: LoadedSpec, options: CheckOptions = {}): SpecCheck {
  const sources = new Map([[spec.file, spec.text]]);
  const diagnostics = [...spec.diagnostics];
  let cases: Case[] = [];
  let origins: CaseOrigin[] = [];
  let search: SearchSpec | undefined;
  if (spec.data !== undefined) {
    // a value whose ${VAR} did not resolve is reported once, not again as a bad value
    const unresolved = new Set(
      spec.diagnostics
        .filter((d) => d.code === "ZC_ENV_UNSET" || d.code === "ZC_INTERPOLATION")
        .map((d) => d.line),
    );
    const shape = validateShape(spec).filter((d) => !unresolved.has(d.line));
    const chain = loadExtends(spec, options);
    for (const b of chain.read) sources.set(b.file, b.text);
    diagnostics.push(...shape, ...chain.diagnostics);
    if (!diagnostics.some((d) => d.severity === "error")) {
      const resolved = resolveSpec(spec, chain.bases);
      diagnostics.push(...resolved.diagnostics);
      if (options.cpus)
        diagnostics.push(
          ...machineProblems(resolved.cases, resolved.origins, resolved.where, options.cpus),
        );
      cases = resolved.cases;
      origins = resolved.origins;
      search = resolved.search;
    }
  }
  const compiled = compileExpectations(spec);
  // a gate that never applies (a where no case matches, a peer() no case answers)
  const gates = vacuousGates(compiled.expectations, gateCases(cases, search));
  diagnostics.push(...compiled.diagnostics, ...(options.strict ? strictGates(gates) : gates));
  // latency read where the case times none
  diagnostics.push(...latencyOffGates(compiled.expectations, gateCases(cases, search)));
  return {
    spec,
    diagnostics: sortDiagnostics(diagnostics, spec.file),
    cases,
    origins,
    expectations: compiled.expectations,
    sources,
    ...(search ? { search } : {}),
  };
}

/** Shared defaults files (named by `extends`) are told apart by name: `*.defaults.yaml`. */
export function isDefaultsFile(file: string): boolean {
  return /\.defaults\.ya?ml$/.test(file);
}

/** A shared defaults file on its own: its shape and its own extends chain. */
function checkDefaults(spec: LoadedSpec, options: LoadOptions): SpecCheck {
  const sources = new Map([[spec.file, spec.text]]);
  const diagnostics = [...spec.diagnostics, ...validateShape(spec, "defaults")];
  if (!diagnostics.some((d) => d.severity === "error")) {
    const chain = loadExtends(spec, options);
    for (const b of chain.read) sources.set(b.file, b.text);
    diagnostics.push(...chain.diagnostics);
  }
  return {
    spec,
    diagnostics: sortDiagnostics(diagnostics, spec.file),
    cases: [],
    origins: [],
    expectations: [],
    sources,
  };
}

/**
 * Load and check one file: what `zcspec validate` runs per file (a spec, or a
 * `*.defaults.yaml` shared defaults file).
 */
export async function checkSpecFile(file: string, options: CheckOptions = {}): Promise<SpecCheck> {
  const spec = await loadSpecFile(file, options);
  return isDefaultsFile(file) ? checkDefaults(spec, options) : checkSpec(spec, options);
}

function finish(check: SpecCheck): ValidSpec {
  const { spec, diagnostics, cases, expectations, sources, search } = check;
  if (diagnostics.some((d) => d.severity === "error")) {
    throw new SpecInvalidError(diagnostics, sources);
  }
  const input = spec.data as SpecInput;
  return {
    file: spec.file,
    name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    cases,
    order: input.order ?? "interleaved",
    ...(input.kernels
      ? {
          kernels: input.kernels.map((k) =>
            k === HOST_KERNEL ? k : resolve(dirname(spec.file), k),
          ),
        }
      : {}),
    ...(search ? { search } : {}),
    expectations,
    warnings: diagnostics,
    source: spec,
    sources,
  };
}

/** Load, validate and resolve a spec file; throws SpecInvalidError listing every problem. */
export async function readSpec(file: string, options: CheckOptions = {}): Promise<ValidSpec> {
  return finish(await checkSpecFile(file, options));
}

/** The same for spec text held in memory (file names the source in messages). */
export function readSpecText(file: string, text: string, options: CheckOptions = {}): ValidSpec {
  return finish(checkSpec(parseSpecText(file, text, options), options));
}

/** Read every spec; throws one SpecInvalidError with every invalid one's diagnostics. */
export async function readSpecs(
  files: readonly string[],
  options: CheckOptions = {},
): Promise<ValidSpec[]> {
  const specs: ValidSpec[] = [];
  const invalid: SpecInvalidError[] = [];
  for (const f of files) {
    try {
      specs.push(await readSpec(f, options));
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
