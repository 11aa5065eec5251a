import { formatDiagnostic, UsageError, type ValidSpec } from "../index.js";

/** What plan and run say of the specs they read before they act: warnings, and an empty choice. */

/** Every spec's warnings on stderr, located and framed as validate prints them. */
export function printWarnings(specs: readonly ValidSpec[]): void {
  for (const s of specs)
    for (const w of s.warnings)
      process.stderr.write(`${formatDiagnostic(w, s.sources.get(w.file))}\n\n`);
}

/** --case/--grep chose nothing: the error names the cases there are. */
export function noCaseMatches(specs: readonly ValidSpec[]): UsageError {
  const names = specs.flatMap((s) => s.cases.map((c) => c.name));
  return new UsageError("no case matches --case/--grep", `cases: ${names.slice(0, 12).join(", ")}`);
}
