import { xmlEscape as x } from "../text/xml.js";
import { coord, RATIO_TICKS } from "./parts.js";

/** The small multiples' layout (svg.ts): each panel's plot area, its scales and axes. */

/** One panel's plot area and the space around it for its title and axes. */
export const PLOT = { width: 290, height: 190 };
export const CELL = { left: 66, right: 22, top: 26, bottom: 46 };
export const CELL_W = CELL.left + PLOT.width + CELL.right;
export const CELL_H = CELL.top + PLOT.height + CELL.bottom;
export const MARGIN = 18;
export const ROW_TITLE = 30;
/** x labels closer than this to the last one drawn are left out (the tick stays) */
const MIN_LABEL_GAP = 34;
/** log-axis ticks (ratios, latencies) closer than this are thinned */
export const MIN_TICK_GAP = 20;
/** DejaVu Sans at 12 px averages under this per character */
export const CHAR_WIDTH = 6.8;

/** A round axis maximum at or above v: 1, 2 or 5 times a power of ten. */
export function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
  return (steps.find((s) => s * p >= v * 0.9999) ?? 10) * p;
}

/** "950", "12.5k", "1.2M": a requests/s tick label. */
export function short(v: number): string {
  if (v >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (v >= 1e3) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Math.round(v));
}

/** The x axis of a spec's panels: log when the sizes span a factor of 4 or more. */
export function sizeAxis(sizes: readonly number[]) {
  const lo = sizes[0] ?? 1;
  const hi = sizes[sizes.length - 1] ?? 1;
  const log = lo > 0 && hi / lo >= 4;
  // half a step of room either side, so error bars at the ends are not cut
  const pad = 0.06;
  const t = (size: number) => {
    if (hi === lo) return 0.5;
    const u = log
      ? (Math.log(size) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))
      : (size - lo) / (hi - lo);
    return pad + u * (1 - 2 * pad);
  };
  return { sizes, log, px: (size: number) => t(size) * PLOT.width };
}

/**
 * A log scale from lo to hi over `length` px (`at`: a value's distance from
 * lo's end), with ticks at decades, then 5 and 2 times them where they do
 * not crowd.
 */
export function logScale(lo: number, hi: number, length: number) {
  const at = (v: number) => ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * length;
  const ticks: number[] = [];
  for (const m of [1, 5, 2])
    for (let d = 10 ** Math.floor(Math.log10(lo)); d <= hi; d *= 10) {
      const t = m * d;
      if (t < lo || t > hi) continue;
      if (ticks.every((k) => Math.abs(at(k) - at(t)) >= MIN_TICK_GAP)) ticks.push(t);
    }
  return { at, ticks: ticks.sort((a, b) => a - b) };
}

/** A log ratio axis spanning every interval and 1. */
export function ratioAxis(values: readonly number[]) {
  const lo = Math.min(1, ...values) / 1.08;
  const hi = Math.max(1, ...values) * 1.08;
  // the top and bottom strips hold the "which side is better" labels, so no data goes there
  const strip = 18;
  const py = (v: number) =>
    PLOT.height -
    strip -
    ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (PLOT.height - 2 * strip);
  const ticks: number[] = [];
  for (const t of RATIO_TICKS) {
    if (t < lo || t > hi) continue;
    if (ticks.every((k) => Math.abs(py(k) - py(t)) >= MIN_TICK_GAP)) ticks.push(t);
  }
  return { py, ticks: ticks.sort((a, b) => a - b) };
}

export type Axis = ReturnType<typeof sizeAxis>;
export type RatioAxis = ReturnType<typeof ratioAxis>;

/** The payload size axis under a panel: a tick per size, labels where they fit. */
export function xAxis(out: string[], axis: Axis) {
  const h = PLOT.height;
  out.push(`<line x1="0" y1="${h}" x2="${PLOT.width}" y2="${h}" stroke="#333333"/>`);
  let last = Number.NEGATIVE_INFINITY;
  for (const s of axis.sizes) {
    const xx = axis.px(s);
    out.push(
      `<line x1="${coord(xx)}" y1="${h}" x2="${coord(xx)}" y2="${h + 5}" stroke="#333333"/>`,
    );
    if (xx - last < MIN_LABEL_GAP) continue;
    last = xx;
    out.push(`<text x="${coord(xx)}" y="${h + 18}" text-anchor="middle">${s}</text>`);
  }
  out.push(
    `<text x="${PLOT.width / 2}" y="${h + 38}" text-anchor="middle" fill="#444444">payload size, bytes${axis.log ? " (log scale)" : ""}</text>`,
  );
}

/** A panel's title and its plot area's background. */
export function panelFrame(out: string[], title: string) {
  out.push(
    `<text x="0" y="-10" font-weight="bold">${x(title)}</text>`,
    `<rect width="${PLOT.width}" height="${PLOT.height}" fill="#fafafa" stroke="none"/>`,
  );
}

/** A row's heading (its label over a rule across the chart), `width` wide, at height `y`. */
export function rowHeading(label: string, y: number, width: number): string[] {
  return [
    `<text x="${MARGIN}" y="${y + 18}" font-size="14" font-weight="bold" fill="#222222">${x(label)}</text>`,
    `<line x1="${MARGIN}" y1="${y + 24}" x2="${width - MARGIN}" y2="${y + 24}" stroke="#cccccc"/>`,
  ];
}

/** The `i`-th panel of the row at height `y`: `body` drawn in its plot area's coordinates. */
export function rowCell(i: number, y: number, cls: string, body: readonly string[]): string[] {
  const tx = MARGIN + i * CELL_W + CELL.left;
  const ty = y + ROW_TITLE + CELL.top;
  return [`<g class="${cls}" transform="translate(${tx} ${ty})">`, ...body, "</g>"];
}

/**
 * A panel's y axis: a grid line and a label per tick (`y` in the plot's
 * coordinates), the axis line, and its title turned up `offset` px left of it.
 */
export function yAxis(
  out: string[],
  ticks: readonly { y: number; label: string }[],
  title: string,
  offset: number,
) {
  for (const t of ticks) {
    const y = coord(t.y);
    out.push(
      `<line x1="0" y1="${y}" x2="${PLOT.width}" y2="${y}" stroke="#e0e0e0"/>`,
      `<text x="-8" y="${y}" text-anchor="end" dominant-baseline="middle">${x(t.label)}</text>`,
    );
  }
  out.push(
    `<line x1="0" y1="0" x2="0" y2="${PLOT.height}" stroke="#333333"/>`,
    `<text transform="translate(-${offset} ${PLOT.height / 2}) rotate(-90)" text-anchor="middle" fill="#444444">${x(title)}</text>`,
  );
}
