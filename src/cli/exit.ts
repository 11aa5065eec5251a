import { formatDiagnostic, SpecInvalidError, UsageError, ZcspecError } from "../index.js";

export const EXIT = { ok: 0, failed: 1, invalid: 2, runtime: 3, interrupted: 130 } as const;

/** Print an error the way a user can act on it and return the exit code it means. */
export function reportError(e: unknown, err: NodeJS.WritableStream = process.stderr): number {
  if (e instanceof SpecInvalidError) {
    for (const d of e.diagnostics) err.write(`${formatDiagnostic(d, e.sources.get(d.file))}\n\n`);
    const n = e.diagnostics.filter((d) => d.severity === "error").length;
    err.write(`${n} error${n === 1 ? "" : "s"}\n`);
    return EXIT.invalid;
  }
  if (e instanceof ZcspecError) {
    err.write(`error[${e.code}]: ${e.message}\n`);
    if (e.hint) err.write(`  hint: ${e.hint}\n`);
    // usage is the caller's to fix (2); anything else is the environment's (3)
    return e instanceof UsageError ? EXIT.invalid : EXIT.runtime;
  }
  // a bug of ours: keep the stack, it is what a bug report needs
  err.write(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT.runtime;
}
