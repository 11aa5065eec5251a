import { parseArgs } from "node:util";
import { UsageError } from "../index.js";
import {
  celEntries,
  closest,
  errorEntries,
  type ReferenceEntry,
  renderEntry,
  specKeyEntries,
} from "../internal.js";
import { EXIT } from "./exit.js";

export const EXPLAIN_HELP = `zcspec explain NAME

Print the reference entry of one name: a spec key (buffers.register,
defaults.socket.gso_size), a CEL variable, field or helper of expectations
(result.latency.notif, case.buffers.size, faster), or an error code
(ZC_GSO_MTU). The same entries make up docs/reference/.

Options:
  -h, --help  show this help`;

/** What a reader may type for an entry's name: the spec path as written in a file, a call. */
function normalize(name: string): string {
  return name
    .replace(/^(defaults|cases(\[\d*\])?)\./, "")
    .replace(/^expect(\[\d*\])?\./, "expect[].")
    .replace(/\(.*$/, "");
}

export async function explainCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${EXPLAIN_HELP}\n`);
    return EXIT.ok;
  }
  const [asked, ...extra] = positionals;
  if (!asked || extra.length > 0)
    throw new UsageError("explain takes one name", "zcspec explain buffers.register");
  const entries: ReferenceEntry[] = [...specKeyEntries(), ...celEntries(), ...errorEntries()];
  const name = normalize(asked);
  const found = entries.filter((e) => e.name === name || e.name === name.toUpperCase());
  if (found.length === 0) {
    const guess = closest(name, [...new Set(entries.map((e) => e.name))]);
    throw new UsageError(
      `"${asked}" is no spec key, CEL name or error code`,
      guess
        ? `did you mean "${guess}"? (zcspec explain ${guess})`
        : "docs/reference/ lists every name: spec-keys.md, cel.md, error-codes.md",
    );
  }
  process.stdout.write(found.map((e) => renderEntry(e)).join("\n"));
  return EXIT.ok;
}
