/**
 * Command-line options for the bench scripts: --help prints the usage, and
 * an unknown or malformed option is a usage error (exit 2), not a stack trace.
 */
import { parseArgs } from "node:util";

export function parseOptions(options, usage) {
  try {
    const { values } = parseArgs({
      options: { ...options, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    }
    return values;
  } catch (e) {
    if (!String(e?.code).startsWith("ERR_PARSE_ARGS")) throw e;
    process.stderr.write(`${e.message}\n${usage}\n`);
    process.exit(2);
  }
}

/** Option values that parsed but do not fit: a usage error (exit 2). */
export function refuseUnless(ok, usage) {
  if (ok) return;
  process.stderr.write(`bad option value\n${usage}\n`);
  process.exit(2);
}

/** A bench that builds namespaces where it may not (namespaceBlocker's reason): exit 3. */
export function refuseBlocked(blocked) {
  if (!blocked) return;
  process.stderr.write(`bench: ${blocked}\n`);
  process.exit(3);
}
