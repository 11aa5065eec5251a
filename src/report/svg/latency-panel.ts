import type { LatencyHistogram } from "../../model/measured/latency.js";
import { duration, integer } from "../text/numbers.js";
import { xmlEscape as x } from "../text/xml.js";
import { logScale, PLOT, panelFrame, yAxis } from "./geometry.js";
import { nines, PERCENTILE_TICKS, percentileSteps } from "./latency-curve.js";
import { coord } from "./parts.js";

/** The SVG's latency panels: percentile curves on a nines axis against a log time axis. */

/** The most nines the x axis reaches (99.999 %): past it a curve's steps stack at the edge. */
const MOST_NINES = 5;

/** One case's histogram of the span a panel shows. */
interface LatencyLine {
  name: string;
  colour: string;
  h: LatencyHistogram;
}

/** The axes a spec's latency panels share, so that its rows and spans compare at a glance. */
export function latencyScale(hists: readonly LatencyHistogram[]) {
  // a percentile finer than 1/count is the maximum again: the axis ends near it
  const most = Math.max(1, ...hists.map((h) => h.count));
  const xmax = Math.min(MOST_NINES, Math.max(2, Math.ceil(Math.log10(most))));
  const lo = Math.max(1, Math.min(...hists.map((h) => h.min))) / 1.25;
  const hi = Math.max(lo * 4, ...hists.map((h) => h.max * 1.25));
  const { at, ticks } = logScale(lo, hi, PLOT.height);
  const py = (ns: number) => PLOT.height - at(ns);
  const px = (q: number) => (Math.min(nines(q), xmax) / xmax) * PLOT.width;
  return { xmax, px, py, ticks };
}

export type LatencyScale = ReturnType<typeof latencyScale>;

function axes(out: string[], scale: LatencyScale) {
  const h = PLOT.height;
  yAxis(
    out,
    scale.ticks.map((t) => ({ y: scale.py(t), label: duration(t) })),
    "time (log scale)",
    56,
  );
  out.push(`<line x1="0" y1="${h}" x2="${PLOT.width}" y2="${h}" stroke="#333333"/>`);
  for (const t of PERCENTILE_TICKS) {
    if (nines(t.q) > scale.xmax + 1e-9) continue;
    const px = coord(scale.px(t.q));
    out.push(
      `<line x1="${px}" y1="0" x2="${px}" y2="${h + 5}" stroke="#e0e0e0"/>`,
      `<text x="${px}" y="${h + 18}" text-anchor="middle">${t.label}</text>`,
    );
  }
  out.push(
    `<text x="${PLOT.width / 2}" y="${h + 38}" text-anchor="middle" fill="#444444">percentile, % (nines scale)</text>`,
  );
}

/**
 * The polyline of a case's percentile curve: a flat step per bucket, rising at the right edge to
 * the max.
 */
function curve(line: LatencyLine, span: string, scale: LatencyScale): string[] {
  const points: string[] = [];
  for (const s of percentileSteps(line.h)) {
    const y = coord(scale.py(s.ns));
    for (const p of [`${coord(scale.px(s.from))},${y}`, `${coord(scale.px(s.to))},${y}`])
      if (points[points.length - 1] !== p) points.push(p);
  }
  const h = line.h;
  const tip =
    `${line.name} ${span}: p50 ${duration(h.p50)}, p90 ${duration(h.p90)}, p99 ` +
    `${duration(h.p99)}, p99.9 ${duration(h.p999)}, max ${duration(h.max)} (${integer(h.count)} ` +
    "requests)";
  return [
    `<g class="latency-line" data-case="${x(line.name)}" data-span="${x(span)}">`,
    `<polyline points="${points.join(" ")}" fill="none" stroke="${line.colour}" stroke-width="1.75" stroke-linejoin="round"><title>${x(tip)}</title></polyline>`,
    "</g>",
  ];
}

/** A panel of one span's percentile curves, or `empty` in its middle when no case has that span. */
export function latencyPanel(
  title: string,
  span: string,
  lines: readonly LatencyLine[],
  scale: LatencyScale,
  empty: string,
): string[] {
  const out: string[] = [];
  panelFrame(out, title);
  axes(out, scale);
  if (lines.length === 0)
    out.push(
      `<text x="${PLOT.width / 2}" y="${PLOT.height / 2}" text-anchor="middle" fill="#666666">${x(empty)}</text>`,
    );
  for (const line of lines) out.push(...curve(line, span, scale));
  return out;
}
