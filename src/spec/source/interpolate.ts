import { type Document, type LineCounter, type Scalar, visit } from "yaml";
import type { ErrorCode, SpecDiagnostic } from "../../model/errors.js";

/** `${NAME}`, `${NAME:-default}`, or `$${` (a literal `${`). */
const REF = /\$\$\{|\$\{([^}]*)\}?/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface Problem {
  /** index of the reference in the scalar's value */
  at: number;
  match: string;
  code: ErrorCode;
  message: string;
  hint: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** What a substituted scalar reads as: a number or boolean where it looks like one. */
function retype(text: string): string | number | boolean {
  if (/^-?[0-9]+(\.[0-9]+)?$/.test(text)) return Number(text);
  if (text === "true" || text === "false") return text === "true";
  return text;
}

/**
 * Replace environment references in every scalar value of a parsed document,
 * in place, so positions still point at the `${...}` the user wrote. A
 * variable that is unset and has no default is a located error.
 */
export function interpolate(
  doc: Document.Parsed,
  text: string,
  lines: LineCounter,
  file: string,
  env: Env,
): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  visit(doc, {
    Scalar(key, node: Scalar) {
      if (key === "key" || typeof node.value !== "string" || !node.value.includes("$")) return;
      const problems: Problem[] = [];
      const value = node.value.replace(
        REF,
        (match: string, body: string | undefined, at: number) => {
          if (match === "$${") return "${";
          const [name = "", fallback] = (body ?? "").split(/:-(.*)/s, 2);
          if (!match.endsWith("}") || !NAME.test(name)) {
            problems.push({
              at,
              match,
              code: "ZC_INTERPOLATION",
              message: `"${match}" is not a variable reference`,
              // the syntax the user writes, escaped: \${ is a literal ${
              hint:
                `write \${NAME} or \${NAME:-default} (NAME: letters, digits, _), or $\${ for a ` +
                `literal \${`,
            });
            return match;
          }
          const set = env[name];
          if (fallback !== undefined && (set === undefined || set === "")) return fallback;
          if (set === undefined) {
            problems.push({
              at,
              match,
              code: "ZC_ENV_UNSET",
              message: `environment variable ${name} is not set`,
              hint: `export ${name}=... before running, or give a default: \${${name}:-value}`,
            });
            return match;
          }
          return set;
        },
      );
      for (const p of problems) {
        // point at the reference itself where the source spells the value as is
        // (plain or simply quoted); at the whole scalar otherwise (escapes, block scalars)
        const [start = 0, end = 0] = node.range ?? [];
        const quote = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? 1 : 0;
        const offset = start + quote + p.at;
        const exact = text.slice(offset, offset + p.match.length) === p.match;
        const pos = lines.linePos(exact ? offset : start);
        out.push({
          code: p.code,
          severity: "error",
          message: p.message,
          hint: p.hint,
          file,
          line: pos.line,
          col: pos.col,
          length: exact ? p.match.length : Math.max(1, end - start),
        });
      }
      if (problems.length === 0 && value !== node.value) {
        // a value that is one whole reference takes the type of what it became, so
        // `port: "${PORT}"` (quoted, as flow mappings need) is a number; text around it keeps a
        // string
        const whole = /^\$\{[^}]*\}$/.test(node.value);
        node.value = whole || node.type === "PLAIN" ? retype(value) : value;
      }
    },
  });
  return out;
}

/** The variables a spec's text references (`${NAME}`, `${NAME:-default}`), each once. */
export function referencedVariables(text: string): string[] {
  const names = [...text.matchAll(REF)].map((m) => (m[1] ?? "").split(":-")[0] ?? "");
  return [...new Set(names.filter((n) => NAME.test(n)))];
}
