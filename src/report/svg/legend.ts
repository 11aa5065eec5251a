import type { Mode } from "../../model/case.js";
import { MODES, modeRank } from "../../model/modes.js";
import { xmlEscape as x } from "../text/xml.js";
import { CHAR_WIDTH, MARGIN } from "./geometry.js";

/** The modes the rows (panel rows, load rows) show, in the legend's order. */
export function legendModes(rows: readonly { series: readonly { mode: Mode }[] }[]): Mode[] {
  return [...new Set(rows.flatMap((r) => r.series.map((s) => s.mode)))].sort(
    (a, b) => modeRank(a) - modeRank(b) || a.localeCompare(b),
  );
}

/** How wide the legend is, so that the chart is at least that wide. */
export function legendWidth(modes: readonly Mode[], withRatios: boolean): number {
  return (
    modes.reduce((a, m) => a + 40 + m.length * CHAR_WIDTH, 0) +
    (withRatios ? 16 + 14 + 30 * CHAR_WIDTH + 14 + 14 + 25 * CHAR_WIDTH : 0)
  );
}

/** One legend for every panel at height `y`: a mode has the same colour everywhere. */
export function legend(modes: readonly Mode[], withRatios: boolean, y: number): string[] {
  const out: string[] = [];
  let lx = MARGIN;
  out.push('<g class="legend">');
  for (const m of modes) {
    const colour = MODES[m].colour;
    out.push(
      `<line x1="${lx}" y1="${y}" x2="${lx + 22}" y2="${y}" stroke="${colour}" stroke-width="2"/>`,
      `<circle cx="${lx + 11}" cy="${y}" r="3.5" fill="${colour}"/>`,
      `<text x="${lx + 28}" y="${y}" dominant-baseline="middle">${x(m)}</text>`,
    );
    lx += 40 + m.length * CHAR_WIDTH;
  }
  if (withRatios) {
    lx += 16;
    out.push(
      `<circle cx="${lx + 5}" cy="${y}" r="4" fill="#555555" stroke="#555555" stroke-width="2"/>`,
      `<text x="${lx + 14}" y="${y}" dominant-baseline="middle">ratio differs from 1 (95 % CI)</text>`,
    );
    lx += 14 + 30 * CHAR_WIDTH + 14;
    out.push(
      `<circle cx="${lx + 5}" cy="${y}" r="4" fill="#ffffff" stroke="#555555" stroke-width="2"/>`,
      `<text x="${lx + 14}" y="${y}" dominant-baseline="middle">no significant difference</text>`,
    );
  }
  out.push("</g>");
  return out;
}
