import type { SpecDiagnostic } from "../../model/errors.js";

const CONTEXT_LINES = 2;

/** The lines around a diagnostic with a caret underline, as compilers print them. */
export function codeFrame(source: string, line: number, col: number, length: number): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - CONTEXT_LINES);
  const last = Math.min(lines.length, line);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const marker = n === line ? ">" : " ";
    out.push(`${marker} ${String(n).padStart(width)} | ${lines[n - 1] ?? ""}`);
  }
  const text = lines[line - 1] ?? "";
  const span = Math.max(1, Math.min(length, text.length - col + 1));
  out.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, col - 1))}${"^".repeat(span)}`);
  return out.join("\n");
}

/** file:line:col severity[CODE]: message, the code frame, then the hint. */
export function formatDiagnostic(d: SpecDiagnostic, source: string | undefined): string {
  const head = `${d.file}:${d.line}:${d.col} ${d.severity}[${d.code}]: ${d.message}`;
  const parts = [head];
  if (source !== undefined) parts.push(codeFrame(source, d.line, d.col, d.length));
  if (d.hint) parts.push(`  hint: ${d.hint}`);
  return parts.join("\n");
}
