import type { SuiteResult } from "../model/results.js";
import type { ReportFormat } from "./format.js";
import { rpsBySize } from "./series.js";
import { xmlEscape as x } from "./xml.js";

const PLOT = { width: 490, height: 328 };
const M = { left: 80, top: 48, bottom: 64 };
const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"];
/** past the palette, lines repeat its colours dashed */
const DASHES = ["", "7 4", "2 3"];
const LEGEND_ROW = 22;
/** x labels closer than this to the last one drawn are left out (the tick stays) */
const MIN_LABEL_GAP = 38;
/** DejaVu Sans at 12 px averages under this per character */
const CHAR_WIDTH = 6.8;

/** A round axis maximum at or above v: 1, 2 or 5 times a power of ten. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const steps = [1, 2, 5, 10];
  return (steps.find((s) => s * p >= v) ?? 10) * p;
}

function short(v: number): string {
  if (v >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (v >= 1e3) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Math.round(v));
}

/**
 * requests/s against payload size, one line per mode, as a standalone SVG
 * (no script, no external font or stylesheet): it opens in any viewer and
 * converts with rsvg-convert or ImageMagick.
 */
export const svgFormat: ReportFormat = {
  name: "svg",
  description: "requests/s against payload size, one line per mode (standalone SVG)",
  render(suite: SuiteResult) {
    const series = rpsBySize(suite);
    const longest = Math.max(0, ...series.map((s) => s.label.length));
    const right = 70 + Math.ceil(longest * CHAR_WIDTH);
    const W = M.left + PLOT.width + right;
    const H = Math.max(
      M.top + PLOT.height + M.bottom,
      M.top + 10 + series.length * LEGEND_ROW + 20,
    );
    const sizes = [...new Set(series.flatMap((s) => s.points.map((p) => p.size)))].sort(
      (a, b) => a - b,
    );
    const lo = sizes[0] ?? 1;
    const hi = sizes[sizes.length - 1] ?? 1;
    const log = lo > 0 && hi / lo >= 4;
    const pw = PLOT.width;
    const ph = PLOT.height;
    const px = (size: number) => {
      if (hi === lo) return M.left + pw / 2;
      const t = log
        ? (Math.log(size) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))
        : (size - lo) / (hi - lo);
      return M.left + t * pw;
    };
    const ymax = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.rps))) * 1.05);
    const py = (rps: number) => M.top + ph - (rps / ymax) * ph;
    const f = (n: number) => n.toFixed(1);

    const title = suite.runs.length === 1 ? (suite.runs[0]?.spec ?? "") : "zcspec";
    const out: string[] = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="12">`,
      `  <title>${x(`${title}: requests/s by payload size`)}</title>`,
      `  <rect width="${W}" height="${H}" fill="#ffffff"/>`,
      `  <text x="${M.left}" y="28" font-size="15" font-weight="bold">${x(`${title}: requests/s by payload size${suite.partial ? " (partial run)" : ""}`)}</text>`,
    ];
    const axes: string[] = [];
    for (let i = 0; i <= 5; i++) {
      const v = (ymax * i) / 5;
      const y = f(py(v));
      axes.push(
        `    <line x1="${M.left}" y1="${y}" x2="${M.left + pw}" y2="${y}" stroke="#e0e0e0"/>`,
        `    <text x="${M.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${short(v)}</text>`,
      );
    }
    let lastLabel = Number.NEGATIVE_INFINITY;
    for (const s of sizes) {
      const xx = f(px(s));
      axes.push(
        `    <line x1="${xx}" y1="${M.top + ph}" x2="${xx}" y2="${M.top + ph + 5}" stroke="#333333"/>`,
      );
      if (px(s) - lastLabel < MIN_LABEL_GAP) continue;
      lastLabel = px(s);
      axes.push(`    <text x="${xx}" y="${M.top + ph + 20}" text-anchor="middle">${s}</text>`);
    }
    axes.push(
      `    <line x1="${M.left}" y1="${M.top + ph}" x2="${M.left + pw}" y2="${M.top + ph}" stroke="#333333"/>`,
      `    <line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${M.top + ph}" stroke="#333333"/>`,
      `    <text x="${M.left + pw / 2}" y="${H - 16}" text-anchor="middle">payload size, bytes${log ? " (log scale)" : ""}</text>`,
      `    <text transform="translate(18 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">requests/s</text>`,
    );
    out.push('  <g class="axes">', ...axes, "  </g>");
    if (series.length === 0) {
      out.push(
        `  <text x="${M.left + pw / 2}" y="${M.top + ph / 2}" text-anchor="middle">no measured cases</text>`,
      );
    }
    series.forEach((s, i) => {
      const colour = COLOURS[i % COLOURS.length];
      const dash = DASHES[Math.floor(i / COLOURS.length) % DASHES.length];
      const dashed = dash ? ` stroke-dasharray="${dash}"` : "";
      const pts = s.points.map((p) => `${f(px(p.size))},${f(py(p.rps))}`);
      const ly = M.top + 10 + i * LEGEND_ROW;
      out.push(
        `  <g class="series" data-series="${x(s.label)}">`,
        `    <polyline points="${pts.join(" ")}" fill="none" stroke="${colour}" stroke-width="2"${dashed}/>`,
        ...s.points.map(
          (p) =>
            `    <circle cx="${f(px(p.size))}" cy="${f(py(p.rps))}" r="3.5" fill="${colour}"><title>${x(`${s.label} ${p.size} B: ${Math.round(p.rps)} requests/s`)}</title></circle>`,
        ),
        `    <line x1="${M.left + pw + 16}" y1="${ly}" x2="${M.left + pw + 40}" y2="${ly}" stroke="${colour}" stroke-width="2"${dashed}/>`,
        `    <text x="${M.left + pw + 46}" y="${ly}" dominant-baseline="middle">${x(s.label)}</text>`,
        "  </g>",
      );
    });
    out.push("</svg>", "");
    return out.join("\n");
  },
};
