import type { Latency, LatencyHistogram } from "../../model/measured/latency.js";
import { LATENCY_SPANS } from "../../model/measured/latency.js";
import { MODES } from "../../model/modes.js";
import { xmlEscape as x } from "../text/xml.js";
import { CELL, CELL_H, CELL_W, CHAR_WIDTH, MARGIN, ROW_TITLE, rowCell } from "./geometry.js";
import { type LatencyScale, latencyPanel } from "./latency-panel.js";
import type { PanelRow } from "./rows.js";
import { shade } from "./shade.js";

/**
 * A row of latency panels under a row of rate panels (svg.ts): submit to
 * completion and submit to notification side by side on one time axis,
 * a line per case, and the cases' legend in the third column.
 */

/** A case of a row with latency, in its mode's colour, lighter for smaller sizes. */
interface LatencyCase {
  name: string;
  colour: string;
  latency: Latency;
}

/** The two spans drawn (pinned is their difference, in the tables), with their panels' titles. */
const DRAWN = [
  { span: "completion", title: "submit → completion" },
  { span: "notif", title: "submit → notification (buffer held)" },
] as const;

const LEGEND_LINE = 18;
/** room for the legend's swatch before a case name */
const SWATCH = 32;
const NO_NOTIF = "(no notification)";

/** The cases of a row that have latency: a mode's sizes shade from light (smallest) to dark. */
export function latencyCases(row: PanelRow): LatencyCase[] {
  return row.series.flatMap((s) =>
    s.points.flatMap((p, i) => {
      const latency = p.result.measured?.latency;
      if (!latency || !LATENCY_SPANS.some((span) => latency[span])) return [];
      const k = s.points.length;
      const amount = k === 1 ? 0 : 0.45 - (0.75 * i) / (k - 1);
      return [{ name: p.result.case.name, colour: shade(MODES[s.mode].colour, amount), latency }];
    }),
  );
}

/** Every histogram the panels of these cases draw: what their shared scale must hold. */
export function drawnHistograms(cases: readonly LatencyCase[]): LatencyHistogram[] {
  return cases.flatMap((c) => DRAWN.flatMap((d) => c.latency[d.span] ?? []));
}

/**
 * A latency row's height: the panels', or the legend's when it has more cases than fit beside them.
 */
export function latencyRowHeight(cases: readonly LatencyCase[]): number {
  return ROW_TITLE + Math.max(CELL_H, CELL.top + (cases.length + 1) * LEGEND_LINE);
}

/** How wide the chart must be for the legend's longest case name. */
export function latencyRowWidth(cases: readonly LatencyCase[]): number {
  const longest = Math.max(
    0,
    ...cases.map((c) => c.name.length + (c.latency.notif ? 0 : 1 + NO_NOTIF.length)),
  );
  return MARGIN * 2 + 2 * CELL_W + SWATCH + longest * CHAR_WIDTH;
}

function legend(cases: readonly LatencyCase[], y: number): string[] {
  const lx = MARGIN + 2 * CELL_W;
  const top = y + ROW_TITLE + CELL.top;
  const out = [
    '<g class="latency-legend">',
    `<text x="${lx}" y="${top - 10}" font-weight="bold">cases</text>`,
  ];
  cases.forEach((c, i) => {
    const ly = top + 8 + i * LEGEND_LINE;
    out.push(
      `<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${c.colour}" stroke-width="2.5"/>`,
      `<text x="${lx + SWATCH - 4}" y="${ly}" dominant-baseline="middle">${x(c.name)}${c.latency.notif ? "" : ` <tspan fill="#777777">${NO_NOTIF}</tspan>`}</text>`,
    );
  });
  out.push("</g>");
  return out;
}

/** The row's two panels and legend at height `y`, under a heading the caller draws. */
export function latencyRow(
  cases: readonly LatencyCase[],
  scale: LatencyScale,
  y: number,
): string[] {
  const out: string[] = [];
  DRAWN.forEach((d, i) => {
    const lines = cases.flatMap((c) => {
      const h = c.latency[d.span];
      return h ? [{ name: c.name, colour: c.colour, h }] : [];
    });
    const empty = d.span === "notif" ? "no notifications: copying modes" : "no completions timed";
    out.push(
      ...rowCell(
        i,
        y,
        `panel latency-${d.span}`,
        latencyPanel(d.title, d.span, lines, scale, empty),
      ),
    );
  });
  out.push(...legend(cases, y));
  return out;
}

/** The footer's note on the latency panels. */
export const LATENCY_NOTE =
  "Latency: a line per case, its percentile curve from its histogram (log-linear buckets at " +
  "most 1/16 of their time wide, read at their midpoints as the tables' percentiles are); " +
  "x: the percentile on a nines scale, at whose right edge each line rises to the case's " +
  "maximum; y: the time per request, log scale.";
