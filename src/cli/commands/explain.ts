import { UsageError } from "../../index.js";
import {
  celEntries,
  closest,
  errorEntries,
  type ReferenceEntry,
  renderEntry,
  specKeyEntries,
} from "../../internal.js";
import { commandLine } from "../args.js";
import { EXIT } from "../exit.js";

/** What a reader may type for an entry's name: the spec path as written in a file, a call. */
function normalize(name: string): string {
  return name
    .replace(/^(defaults|cases(\[\d*\])?)\./, "")
    .replace(/^expect(\[\d*\])?\./, "expect[].")
    .replace(/\(.*$/, "");
}

export async function explainCommand(argv: string[]): Promise<number> {
  const args = commandLine("explain", argv);
  if (!args) return EXIT.ok;
  const asked = args.positionals[0] as string;
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
