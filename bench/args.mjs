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
