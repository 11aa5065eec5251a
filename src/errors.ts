/**
 * Every error zcspec raises on purpose is a ZcspecError with a stable code,
 * so callers (and the CLI's exit codes) can branch on `code`, never on text.
 */
export class ZcspecError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command-line usage (exit code 2). */
export class UsageError extends ZcspecError {
  constructor(message: string, hint?: string) {
    super("ZC_USAGE", message, hint);
  }
}

/** The environment cannot run what was asked (exit code 3). */
export class EnvError extends ZcspecError {}

/** The native library is missing, or was built for another ABI (exit code 3). */
export class NativeError extends ZcspecError {}
