import { dirname, resolve } from "node:path";
import type { Case } from "../model/case.js";
import type { SpecDiagnostic } from "../model/diagnostic.js";
import { SpecInvalidError } from "../model/errors.js";
import { HOST_KERNEL } from "../model/kernel.js";
import { loadExtends } from "./extends.js";
import { type LoadedSpec, type LoadOptions, loadSpecFile, parseSpecText } from "./load.js";
import { resolveSpec } from "./resolve.js";
import type { SearchSpec } from "./search.js";
import { machineProblems } from "./semantics.js";
import type { CaseOrigin, SpecInput } from "./types.js";
import { validateShape } from "./validate.js";

export interface CheckOptions extends LoadOptions {
  /**
   * The machine's online CPUs. Given at plan and run time (not by validate,
   * which may run on another box): pinning to a CPU outside it is a warning.
   */
  cpus?: ReadonlySet<number>;
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
  /** source text per file name, for code frames */
  sources: Map<string, string>;
}

/** A spec that passed every check, expanded into its cases. */
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
 * Every diagnostic of a parsed spec: YAML, ${VAR}, extends, schema, then the
 * semantic checks on the resolved cases (only once the shape is right, so a
 * broken shape is not reported twice). Never throws for a spec problem.
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
    // `expect` entries are checked for shape by the schema; compiling their CEL belongs here too
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
  return {
    spec,
    diagnostics: sortDiagnostics(diagnostics, spec.file),
    cases,
    origins,
    sources,
    ...(search ? { search } : {}),
  };
}

/** The same check with more diagnostics (from a later stage, e.g. compiled expectations). */
export function withDiagnostics(check: SpecCheck, more: readonly SpecDiagnostic[]): SpecCheck {
  if (more.length === 0) return check;
  const diagnostics = sortDiagnostics([...check.diagnostics, ...more], check.spec.file);
  return { ...check, diagnostics };
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
  const { spec, diagnostics, cases, sources, search } = check;
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
