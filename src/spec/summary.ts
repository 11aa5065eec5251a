import type { SpecCheck } from "./read.js";
import { formatDiagnostic } from "./source/frame.js";

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * The whole report of `zcspec validate`: every diagnostic of every file with
 * its code frame, a line per clean file, and a closing count. A problem in a
 * shared defaults file that several specs extend is shown (and counted) once.
 */
export function renderValidation(checks: readonly SpecCheck[]): string {
  const out: string[] = [];
  const shown = new Set<string>();
  let errors = 0;
  let warnings = 0;
  let bad = 0;
  for (const check of checks) {
    const e = check.diagnostics.filter((d) => d.severity === "error").length;
    if (e > 0) bad++;
    for (const d of check.diagnostics) {
      const key = `${d.file}:${d.line}:${d.col}:${d.code}:${d.message}`;
      if (shown.has(key)) continue;
      shown.add(key);
      if (d.severity === "error") errors++;
      else warnings++;
      out.push(`${formatDiagnostic(d, check.sources.get(d.file))}\n`);
    }
    if (e === 0) {
      const search = check.search
        ? `a search of ${check.search.settings.parameter} from ${check.search.settings.from} to ` +
          `${check.search.settings.to}`
        : undefined;
      const cases = check.cases.length ? plural(check.cases.length, "case") : undefined;
      const what =
        [cases, search].filter((t): t is string => t !== undefined).join(" and ") ||
        "shared defaults";
      out.push(`ok ${check.spec.file} (${what})`);
    } else {
      // the errors may sit in a file it extends: say which spec they make invalid
      out.push(`invalid ${check.spec.file} (${plural(e, "error")})\n`);
    }
  }
  const files = plural(checks.length, "file");
  out.push(
    `${files} checked: ${checks.length - bad} valid, ${bad} invalid; ${plural(errors, "error")}, ` +
      `${plural(warnings, "warning")}`,
  );
  return `${out.join("\n")}\n`;
}
