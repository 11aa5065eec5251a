import { readFile } from "node:fs/promises";
import { type Document, LineCounter, parseDocument } from "yaml";
import type { SpecDiagnostic } from "./diagnostic.js";

/** A spec file parsed with its positions kept, so every later stage can point into it. */
export interface LoadedSpec {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The plain data, or undefined when the YAML itself is broken. */
  data: unknown;
  diagnostics: SpecDiagnostic[];
}

/** Parse YAML text; syntax errors become diagnostics, never exceptions. */
export function parseSpecText(file: string, text: string): LoadedSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const diagnostics: SpecDiagnostic[] = [];
  for (const [severity, list] of [
    ["error", doc.errors],
    ["warning", doc.warnings],
  ] as const) {
    for (const e of list) {
      const pos = lines.linePos(e.pos[0]);
      diagnostics.push({
        code: e.code === "DUPLICATE_KEY" ? "ZC_DUPLICATE_KEY" : "ZC_YAML",
        severity,
        message: e.message.split("\n")[0] ?? e.message,
        hint:
          e.code === "DUPLICATE_KEY"
            ? "each key may appear once in a mapping; remove or merge the repeated one"
            : "fix the YAML syntax at this position (indentation, quotes, brackets)",
        file,
        line: pos.line,
        col: pos.col,
        length: Math.max(1, e.pos[1] - e.pos[0]),
      });
    }
  }
  const broken = doc.errors.length > 0;
  return { file, text, doc, lines, data: broken ? undefined : doc.toJS(), diagnostics };
}

export async function loadSpecFile(file: string): Promise<LoadedSpec> {
  return parseSpecText(file, await readFile(file, "utf8"));
}
