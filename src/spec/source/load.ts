import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { type Document, LineCounter, parseDocument } from "yaml";
import type { SpecDiagnostic } from "../../model/errors.js";
import { type Env, interpolate } from "./interpolate.js";

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

export interface LoadOptions {
  /** where ${VAR} references are looked up; process.env when absent */
  env?: Env;
}

/**
 * Parse YAML text and substitute ${VAR} references; syntax errors and unset
 * variables become diagnostics, never exceptions.
 */
export function parseSpecText(file: string, text: string, options: LoadOptions = {}): LoadedSpec {
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
  if (doc.errors.length > 0) return { file, text, doc, lines, data: undefined, diagnostics };
  diagnostics.push(...interpolate(doc, text, lines, file, options.env ?? process.env));
  try {
    return { file, text, doc, lines, data: doc.toJS(), diagnostics };
  } catch (e) {
    // yaml refuses to expand an alias bomb (too many aliases): a spec problem, not a crash
    const pos = lines.linePos(0);
    diagnostics.push({
      code: "ZC_YAML",
      severity: "error",
      message: e instanceof Error ? e.message : String(e),
      hint: "write the values out instead of expanding anchors (&name / *name) this often",
      file,
      line: pos.line,
      col: pos.col,
      length: 1,
    });
    return { file, text, doc, lines, data: undefined, diagnostics };
  }
}

export async function loadSpecFile(file: string, options: LoadOptions = {}): Promise<LoadedSpec> {
  return parseSpecText(file, await readFile(file, "utf8"), options);
}

export function loadSpecFileSync(file: string, options: LoadOptions = {}): LoadedSpec {
  return parseSpecText(file, readFileSync(file, "utf8"), options);
}
