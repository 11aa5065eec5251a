import type { SearchPoint, SearchResult, SearchStanding } from "../../model/search.js";
import { figureLabel, paramText, ratioCell } from "../text/search-text.js";
import { xmlEscape as x } from "../text/xml.js";
import { coord, RATIO_TICKS, svgOpening, wrap } from "./parts.js";

/**
 * A break-even search as a chart of its ratio by the searched value, so that
 * the bracket is seen with the intervals it rests on (docs/break-even.md).
 * A fragment that svg.ts stacks under its panels, or a whole document.
 */

const PLOT = { width: 640, height: 300 };
// top: the title, the subtitle, and two rows of bracket labels under them
const PAD = { left: 86, right: 30, top: 88, bottom: 58 };
const NOTE_LINE = 16;
/** the chart's width; its height depends on its notes (searchChartBody) */
export const SEARCH_CHART_WIDTH = PAD.left + PLOT.width + PAD.right;
/** DejaVu Sans at 11.5 px averages under this per character */
const CHAR_WIDTH = 6.4;

const COLOUR: Record<SearchStanding, string> = {
  win: "#2b8a3e",
  lose: "#c92a2a",
  even: "#555555",
};
const BAND = "#4263eb";
const BRACKET = "#f59f00";

/** the panels' ratio ticks, and finer ones near 1: a search's ratios often sit close to it */
const TICKS = [...RATIO_TICKS, 1.05, 0.95];

/** "512", "1k", "64k", "1.5M": a tick label. */
function short(v: number): string {
  if (v >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (v >= 1e3) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}

/** Round values along the x axis: 1, 2, 5 per decade on a log axis, even steps on a linear one. */
function xTicks(lo: number, hi: number, log: boolean): number[] {
  const out: number[] = [];
  if (log) {
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
      for (const m of [1, 2, 5]) {
        const v = m * 10 ** e;
        if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
      }
    return out;
  }
  const raw = (hi - lo) / 6;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * p >= raw) ?? 10) * p;
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(v);
  return out;
}

/** The chart's body, its origin at (0, 0), SEARCH_CHART_WIDTH wide and `height` high. */
export function searchChartBody(
  r: SearchResult,
  title: string,
): { body: string[]; height: number } {
  const s = r.settings;
  const log = s.scale === "log";
  const px = (v: number) => {
    const [a, b, u] = log ? [Math.log(s.from), Math.log(s.to), Math.log(v)] : [s.from, s.to, v];
    return PAD.left + (0.04 + (0.92 * (u - a)) / (b - a)) * PLOT.width;
  };
  const measured = r.points.filter(
    (p): p is SearchPoint & Required<Pick<SearchPoint, "ratio" | "standing">> =>
      p.ratio !== undefined && p.standing !== undefined,
  );
  const ys = measured
    .flatMap((p) => [p.ratio.low, p.ratio.high, p.ratio.value])
    .filter((v) => v > 0);
  const lo = Math.min(1, ...ys) / 1.06;
  const hi = Math.max(1, ...ys) * 1.06;
  // strips at the top and bottom hold "which side is better"
  const strip = 20;
  const py = (v: number) =>
    PAD.top +
    strip +
    (1 - (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (PLOT.height - 2 * strip);
  const out: string[] = [
    `<text x="${PAD.left}" y="24" font-size="15" font-weight="bold">${x(title)}</text>`,
    `<text x="${PAD.left}" y="44" fill="#444444">${x(`${s.labels.compare} ÷ ${s.labels.against}, ${figureLabel(s)}, by ${s.parameter}`)}</text>`,
    `<rect x="${PAD.left}" y="${PAD.top}" width="${PLOT.width}" height="${PLOT.height}" fill="#fafafa"/>`,
  ];

  // where the verdict changes without a change of sign (even to win, say): a grey band
  const inCrossing = (a: number, b: number) => r.crossings.some((c) => a >= c.low && b <= c.high);
  const edges = r.zones.slice(1).flatMap((z, i) => {
    const prev = r.zones[i];
    return prev && !inCrossing(prev.to, z.from)
      ? [{ low: prev.to, high: z.from, from: prev.standing, to: z.standing }]
      : [];
  });
  for (const e of edges) {
    const [x0, x1] = [px(e.low), px(e.high)];
    out.push(
      `<rect class="edge" x="${coord(x0)}" y="${PAD.top}" width="${coord(Math.max(2, x1 - x0))}" height="${PLOT.height}" fill="#868e96" fill-opacity="0.14"/>`,
    );
  }
  // brackets under the points: where the sign changes
  for (const c of r.crossings) {
    const [x0, x1] = [px(c.low), px(c.high)];
    out.push(
      `<rect class="bracket" x="${coord(x0)}" y="${PAD.top}" width="${coord(Math.max(2, x1 - x0))}" height="${PLOT.height}" fill="${BRACKET}" fill-opacity="0.1" stroke="none"/>`,
      `<path class="bracket-ends" d="M${coord(x0)},${PAD.top}V${PAD.top + PLOT.height}M${coord(x1)},${PAD.top}V${PAD.top + PLOT.height}" stroke="${BRACKET}" stroke-width="1.5" stroke-dasharray="5 3"/>`,
    );
  }

  // ratio grid lines and labels
  const ticks: number[] = [];
  for (const t of TICKS)
    if (t >= lo && t <= hi && ticks.every((k) => Math.abs(py(k) - py(t)) >= 22)) ticks.push(t);
  for (const t of ticks.sort((a, b) => a - b)) {
    const y = coord(py(t));
    out.push(
      `<line x1="${PAD.left}" y1="${y}" x2="${PAD.left + PLOT.width}" y2="${y}" stroke="#e3e3e3"/>`,
      `<text x="${PAD.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${t}</text>`,
    );
  }
  out.push(
    `<text transform="translate(${PAD.left - 64} ${PAD.top + PLOT.height / 2}) rotate(-90)" text-anchor="middle" fill="#444444">ratio (log scale)</text>`,
  );

  // x axis
  const base = PAD.top + PLOT.height;
  out.push(
    `<line x1="${PAD.left}" y1="${base}" x2="${PAD.left + PLOT.width}" y2="${base}" stroke="#333333"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${base}" stroke="#333333"/>`,
  );
  // the bounds are always labelled; a round tick too close to one keeps only its mark
  const bounds = [s.from, s.to];
  const round = xTicks(s.from, s.to, log).filter((t) => !bounds.includes(t));
  const labelled = [...bounds];
  for (const t of round) if (labelled.every((u) => Math.abs(px(u) - px(t)) >= 34)) labelled.push(t);
  for (const t of [...bounds, ...round]) {
    const xx = px(t);
    out.push(
      `<line x1="${coord(xx)}" y1="${base}" x2="${coord(xx)}" y2="${base + 5}" stroke="#333333"/>`,
    );
    if (!labelled.includes(t)) continue;
    const bold = bounds.includes(t) ? ' font-weight="bold"' : "";
    out.push(
      `<text x="${coord(xx)}" y="${base + 19}" text-anchor="middle"${bold}>${short(t)}</text>`,
    );
  }
  out.push(
    `<text x="${PAD.left + PLOT.width / 2}" y="${base + 42}" text-anchor="middle" fill="#444444">${x(`${s.parameter}${s.unit ? `, ${s.unit === "B" ? "bytes" : s.unit}` : ""}${log ? " (log scale)" : ""}`)}</text>`,
  );

  // the line of no difference; which side is better is said beside the y axis, where no
  // bracket or point can cover it (the ratio's top is "faster" for a rate, "costs more" for CPU)
  const [up, down] = s.figure === "rps" ? ["faster", "slower"] : ["costs more", "cheaper"];
  out.push(
    `<text x="${PAD.left - 8}" y="${PAD.top + 8}" text-anchor="end" fill="#777777" font-size="11">↑ ${x(up)}</text>`,
    `<text x="${PAD.left - 8}" y="${base - 2}" text-anchor="end" fill="#777777" font-size="11">↓ ${x(down)}</text>`,
    `<line class="no-difference" x1="${PAD.left}" y1="${coord(py(1))}" x2="${PAD.left + PLOT.width}" y2="${coord(py(1))}" stroke="#222222" stroke-width="1.2" stroke-dasharray="6 4"/>`,
  );

  // the band through every interval, then the line through the ratios
  const banded = measured.filter((p) => p.ratio.level > 0);
  if (banded.length > 1) {
    const upper = banded.map((p) => `${coord(px(p.value))},${coord(py(p.ratio.high))}`);
    const lower = banded.map((p) => `${coord(px(p.value))},${coord(py(p.ratio.low))}`).reverse();
    out.push(
      `<polygon class="band" points="${[...upper, ...lower].join(" ")}" fill="${BAND}" fill-opacity="0.13" stroke="none"/>`,
    );
  }
  if (measured.length > 1)
    out.push(
      `<polyline points="${measured.map((p) => `${coord(px(p.value))},${coord(py(p.ratio.value))}`).join(" ")}" fill="none" stroke="${BAND}" stroke-width="1.6" stroke-opacity="0.8"/>`,
    );
  for (const p of measured) {
    const xx = coord(px(p.value));
    const colour = COLOUR[p.standing];
    if (p.ratio.level > 0)
      out.push(
        `<path class="interval" d="M${xx},${coord(py(p.ratio.low))}V${coord(py(p.ratio.high))}M${coord(px(p.value) - 4)},${coord(py(p.ratio.low))}h8M${coord(px(p.value) - 4)},${coord(py(p.ratio.high))}h8" stroke="${colour}" stroke-width="1.5" fill="none"/>`,
      );
    const tip =
      `point ${p.order} at ${paramText(p.value, s)}: ${ratioCell(p.ratio)}, ${p.standing}, ` +
      `${p.rounds} rounds (${p.stoppedBy})`;
    out.push(
      `<circle class="point ${p.standing}" cx="${xx}" cy="${coord(py(p.ratio.value))}" r="4.5" fill="${p.standing === "even" ? "#ffffff" : colour}" stroke="${colour}" stroke-width="2"><title>${x(tip)}</title></circle>`,
    );
  }

  // each bracket's label, above the plot so that no point hides it
  let labelEnd = Number.NEGATIVE_INFINITY;
  const labels = [
    ...r.crossings.map((c) => ({ ...c, text: "break-even", colour: "#b35c00" })),
    ...edges.map((e) => ({ ...e, text: `${e.from} → ${e.to}`, colour: "#555555" })),
  ].sort((a, b) => a.low - b.low);
  for (const c of labels) {
    const mid = (px(c.low) + px(c.high)) / 2;
    const span = c.low === c.high ? short(c.low) : `${short(c.low)}–${short(c.high)}`;
    const text = `${c.text} ${span}`;
    const width = text.length * 6.6;
    const xx = Math.min(Math.max(mid, PAD.left + width / 2), PAD.left + PLOT.width - width / 2);
    const y = xx - width / 2 < labelEnd ? PAD.top - 4 - 13 : PAD.top - 4;
    labelEnd = xx + width / 2;
    out.push(
      `<text class="bracket-label" x="${coord(xx)}" y="${y}" text-anchor="middle" fill="${c.colour}" font-size="11.5" font-weight="bold">${x(text)}</text>`,
    );
  }

  // notes: what the marks mean and what the search found
  const found = r.breakEven
    ? (r.crossings.length > 1 ? `${r.crossings.length} changes of sign (not monotone). ` : "") +
      "Orange: where the sign changes (from the last point on one side to the first on the other)."
    : r.points.length
      ? "No change of sign in the bounds."
      : "Nothing measured.";
  const grey = edges.length ? " Grey: where the verdict changes without a change of sign." : "";
  const notes = [
    `Band and bars: 95 % interval of the paired ratio at each point (${r.pointCount} points, ` +
      `${r.rounds} rounds). Filled: ${s.labels.compare} wins (green) or loses (red); open: no ` +
      "significant difference. A side is called only where the interval at the level corrected " +
      "for a point's repeated looks clears 1, so an open point's 95 % bar can stop just short of " +
      "1.",
    `${found}${grey} Stopped: ${r.stoppedBy}.`,
  ];
  const lines = notes.flatMap((n) => wrap(n, Math.floor((SEARCH_CHART_WIDTH - 28) / CHAR_WIDTH)));
  const top = base + PAD.bottom;
  lines.forEach((n, i) => {
    out.push(
      `<text x="14" y="${top + i * NOTE_LINE}" fill="#444444" font-size="11.5">${x(n)}</text>`,
    );
  });
  return { body: out, height: top + lines.length * NOTE_LINE + 6 };
}

/** The chart as a standalone SVG document. */
export function renderSearchSvg(r: SearchResult, title: string): string {
  const { body, height: H } = searchChartBody(r, title);
  return [...svgOpening(SEARCH_CHART_WIDTH, H, title), ...body, "</svg>", ""].join("\n");
}
