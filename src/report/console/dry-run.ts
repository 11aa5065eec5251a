import type { Case } from "../../model/case.js";
import { compileCase } from "../../plan/compile.js";
import type { ValidSpec } from "../../spec/read.js";
import { settingsLine } from "../text/search-text.js";
import { renderTable } from "../text/table.js";

const ms = (ns: number) => `${ns / 1e6}ms`;

/** What `run --dry-run` prints: per spec, the cases that would run and why any would be skipped. */
export function renderDryRun(
  specs: readonly ValidSpec[],
  select: (c: Case, spec: string) => boolean,
): string {
  const out: string[] = [];
  for (const s of specs) {
    const chosen = s.cases.filter((c) => select(c, s.name));
    out.push(
      `${s.file}: ${s.name}, ${chosen.length} of ${s.cases.length} case(s), ` +
        `${s.expectations.length} expectation(s)`,
    );
    const row = (c: Case) => {
      const unsupported = compileCase(c).unsupported;
      return [
        c.name,
        c.mode,
        String(c.buffers.size),
        ms(c.warmup_ns),
        ms(c.duration_ns),
        c.adaptive
          ? `${c.repeat}..${c.adaptive.max}@${+(c.adaptive.until * 100).toFixed(2)}%`
          : String(c.repeat),
        unsupported.length ? `skip: not supported yet: ${unsupported.join(", ")}` : "run",
      ];
    };
    const rows = chosen.map(row);
    if (s.search) {
      // a search makes its cases as it goes: its two sides at the lower bound stand for them
      const { compare, against } = s.search.at(s.search.settings.from);
      const sides = [compare, against].filter((c) => select(c, s.name));
      for (const c of sides) rows.push(row({ ...c, name: `${c.name} (search)` }));
      if (sides.length) out.push(`${settingsLine(s.search.settings)}`);
    }
    out.push(
      renderTable(["case", "mode", "size", "warmup", "duration", "repeat", "plan"], rows),
      "",
    );
  }
  return `${out.join("\n")}\n`;
}
