import type { Mode } from "../model/case.js";
import type { Estimate } from "../model/estimate.js";
import type { RunResult, SuiteResult } from "../model/results.js";
import { compareCases } from "../stats/compare.js";
import { COPY_OF, repetitionCounts, standing } from "./claims.js";
import type { ReportFormat } from "./format.js";
import { SEARCH_CHART_WIDTH, searchChartBody } from "./search-chart.js";
import { rpsBySize, type Series } from "./series.js";
import { xmlEscape as x } from "./xml.js";

/**
 * Small multiples: a row per spec and target (or whatever else its matrix
 * varied besides mode and size), and in each row three panels over the same
 * size axis: requests/s per mode (median, error bar = its interval), then
 * each zerocopy mode over its copy twin by requests/s and by CPU per request,
 * a band for the 95 % interval of the paired ratio and a line at 1. A
 * standalone SVG (no script, no external font or stylesheet): it opens in
 * any viewer and converts with rsvg-convert or ImageMagick.
 */

/** One panel's plot area and the space around it for its title and axes. */
const PLOT = { width: 290, height: 190 };
const CELL = { left: 66, right: 22, top: 26, bottom: 46 };
const CELL_W = CELL.left + PLOT.width + CELL.right;
const CELL_H = CELL.top + PLOT.height + CELL.bottom;
const MARGIN = 18;
const ROW_TITLE = 30;
/** x labels closer than this to the last one drawn are left out (the tick stays) */
const MIN_LABEL_GAP = 34;
/** ratio ticks closer than this are thinned */
const MIN_TICK_GAP = 20;
/** DejaVu Sans at 12 px averages under this per character */
const CHAR_WIDTH = 6.8;

/** A colour per mode, the same in every panel: copies cool, zerocopy warm. */
const MODE_COLOUR: Partial<Record<Mode, string>> = {
  send: "#1f77b4",
  send_zc: "#e6550d",
  sendto: "#2ca02c",
  msg_zerocopy: "#9467bd",
  sendmsg: "#17becf",
  sendmsg_zc: "#d6616b",
};
const MODE_ORDER: Mode[] = ["send", "send_zc", "sendto", "msg_zerocopy", "sendmsg", "sendmsg_zc"];
/** for a mode the table above does not know yet */
const SPARE_COLOURS = ["#7f7f7f", "#bcbd22", "#8c564b"];

function colourOf(mode: Mode): string {
  return MODE_COLOUR[mode] ?? (SPARE_COLOURS[mode.length % SPARE_COLOURS.length] as string);
}

/** Modes in the order the legend and panels show them: known ones first, others by name. */
function modeRank(mode: Mode): number {
  const i = MODE_ORDER.indexOf(mode);
  return i >= 0 ? i : MODE_ORDER.length;
}

const f = (n: number) => n.toFixed(1);

/** A round axis maximum at or above v: 1, 2 or 5 times a power of ten. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  const steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
  return (steps.find((s) => s * p >= v * 0.9999) ?? 10) * p;
}

function short(v: number): string {
  if (v >= 1e6) return `${Number((v / 1e6).toPrecision(3))}M`;
  if (v >= 1e3) return `${Number((v / 1e3).toPrecision(3))}k`;
  return String(Math.round(v));
}

/** The zerocopy modes of a row with their copy twin, and the ratio per size. */
interface RatioSeries {
  zc: Mode;
  copy: Mode;
  points: { size: number; rps?: Estimate; cpu?: Estimate }[];
}

interface Row {
  spec: string;
  /** "sink", "target=pair family=ipv6" */
  group: string;
  series: Series[];
  ratios: RatioSeries[];
}

function rowsOf(run: RunResult): Row[] {
  // a break-even search's probe cases have a chart of their own (search-chart.ts)
  const cases = { ...run, results: run.results.filter((r) => !r.search) };
  const series = rpsBySize({ runs: [cases], startedAt: "", elapsedMs: 0, partial: false });
  const groups = [...new Set(series.map((s) => s.group))];
  return groups.map((group) => {
    const mine = series
      .filter((s) => s.group === group)
      .sort((a, b) => modeRank(a.mode) - modeRank(b.mode) || a.mode.localeCompare(b.mode));
    const ratios: RatioSeries[] = [];
    for (const z of mine) {
      const c = mine.find((s) => s.mode === COPY_OF[z.mode]);
      if (!c) continue;
      const points = z.points.flatMap((p) => {
        const q = c.points.find((q) => q.size === p.size);
        if (!q) return [];
        const rps = compareCases(p.result, q.result, "rps");
        const cpu = compareCases(p.result, q.result, "cpuNsPerRequest");
        return [{ size: p.size, ...(rps ? { rps } : {}), ...(cpu ? { cpu } : {}) }];
      });
      if (points.length) ratios.push({ zc: z.mode, copy: c.mode, points });
    }
    const target = mine[0]?.points[0]?.result.case.target;
    return { spec: run.spec, group: group || (target ?? ""), series: mine, ratios };
  });
}

/** The x axis of a spec's panels: log when the sizes span a factor of 4 or more. */
function sizeAxis(sizes: readonly number[]) {
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

/** Ticks a reader knows for a ratio axis, in the order they are kept when crowded. */
const RATIO_TICKS = [
  1, 2, 0.5, 1.5, 0.8, 1.2, 3, 0.25, 5, 0.1, 10, 0.9, 1.1, 0.7, 1.3, 0.6, 0.4, 4, 0.3, 20, 0.05,
];

/** A log ratio axis spanning every interval and 1. */
function ratioAxis(values: readonly number[]) {
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

type Axis = ReturnType<typeof sizeAxis>;

function xAxis(out: string[], axis: Axis) {
  const h = PLOT.height;
  out.push(`<line x1="0" y1="${h}" x2="${PLOT.width}" y2="${h}" stroke="#333333"/>`);
  let last = Number.NEGATIVE_INFINITY;
  for (const s of axis.sizes) {
    const xx = axis.px(s);
    out.push(`<line x1="${f(xx)}" y1="${h}" x2="${f(xx)}" y2="${h + 5}" stroke="#333333"/>`);
    if (xx - last < MIN_LABEL_GAP) continue;
    last = xx;
    out.push(`<text x="${f(xx)}" y="${h + 18}" text-anchor="middle">${s}</text>`);
  }
  out.push(
    `<text x="${PLOT.width / 2}" y="${h + 38}" text-anchor="middle" fill="#444444">payload size, bytes${axis.log ? " (log scale)" : ""}</text>`,
  );
}

function panelFrame(out: string[], title: string) {
  out.push(
    `<text x="0" y="-10" font-weight="bold">${x(title)}</text>`,
    `<rect width="${PLOT.width}" height="${PLOT.height}" fill="#fafafa" stroke="none"/>`,
  );
}

/** requests/s per mode: a line through the medians, an error bar for each median's interval. */
function ratePanel(row: Row, axis: Axis, ymax: number): string[] {
  const out: string[] = [];
  panelFrame(out, "requests/s (median, bar: its interval)");
  const py = (v: number) => PLOT.height - (v / ymax) * PLOT.height;
  for (let i = 0; i <= 5; i++) {
    const v = (ymax * i) / 5;
    const y = f(py(v));
    out.push(
      `<line x1="0" y1="${y}" x2="${PLOT.width}" y2="${y}" stroke="#e0e0e0"/>`,
      `<text x="-8" y="${y}" text-anchor="end" dominant-baseline="middle">${short(v)}</text>`,
    );
  }
  out.push(
    `<line x1="0" y1="0" x2="0" y2="${PLOT.height}" stroke="#333333"/>`,
    `<text transform="translate(-52 ${PLOT.height / 2}) rotate(-90)" text-anchor="middle" fill="#444444">requests/s</text>`,
  );
  xAxis(out, axis);
  // modes at one size sit a few pixels apart, so that their bars do not hide each other
  const k = row.series.length;
  row.series.forEach((s, i) => {
    const colour = colourOf(s.mode);
    const dx = (i - (k - 1) / 2) * 5;
    const at = (size: number) => axis.px(size) + dx;
    const pts = s.points.map((p) => `${f(at(p.size))},${f(py(p.rps))}`);
    out.push(
      `<g class="series" data-series="${x(s.mode)}">`,
      `<polyline points="${pts.join(" ")}" fill="none" stroke="${colour}" stroke-width="2"/>`,
    );
    for (const p of s.points) {
      const e = p.estimate;
      const cx = f(at(p.size));
      if (e.n >= 2 && e.level > 0) {
        const [y1, y2] = [f(py(e.low)), f(py(e.high))];
        out.push(
          `<path class="error-bar" d="M${cx},${y1}V${y2}M${f(at(p.size) - 4)},${y1}h8M${f(at(p.size) - 4)},${y2}h8" stroke="${colour}" stroke-width="1.5" fill="none"/>`,
        );
      }
      const { disturbed } = repetitionCounts(p.result);
      const tip =
        e.n >= 2
          ? `${s.mode} ${p.size} B: ${Math.round(e.value)} requests/s, interval ${Math.round(e.low)}–${Math.round(e.high)} (${e.n} runs${disturbed ? `, ${disturbed} disturbed` : ""})`
          : `${s.mode} ${p.size} B: ${Math.round(e.value)} requests/s (one run)`;
      out.push(
        `<circle cx="${cx}" cy="${f(py(p.rps))}" r="3.5" fill="${colour}"><title>${x(tip)}</title></circle>`,
      );
    }
    out.push("</g>");
  });
  return out;
}

/** One figure's zerocopy-over-copy ratio by size: a band for each 95 % interval, the 1.0 line. */
function ratioPanel(
  row: Row,
  axis: Axis,
  which: "rps" | "cpu",
  ratioAx: ReturnType<typeof ratioAxis>,
): string[] {
  const out: string[] = [];
  const { py, ticks } = ratioAx;
  // one pair: name it; several: each line is labelled at its right end
  const [only] = row.ratios;
  const pair = row.ratios.length === 1 && only ? `${only.zc} ÷ ${only.copy}` : "zerocopy ÷ copy";
  panelFrame(out, which === "rps" ? `requests/s, ${pair}` : `CPU per request, ${pair}`);
  for (const t of ticks) {
    const y = f(py(t));
    out.push(
      `<line x1="0" y1="${y}" x2="${PLOT.width}" y2="${y}" stroke="#e0e0e0"/>`,
      `<text x="-8" y="${y}" text-anchor="end" dominant-baseline="middle">${t}</text>`,
    );
  }
  out.push(
    `<line x1="0" y1="0" x2="0" y2="${PLOT.height}" stroke="#333333"/>`,
    `<text transform="translate(-46 ${PLOT.height / 2}) rotate(-90)" text-anchor="middle" fill="#444444">ratio (log scale)</text>`,
  );
  xAxis(out, axis);
  // which side is better, in the corners, and the line of no difference
  const [up, down] =
    which === "rps"
      ? ["zerocopy faster", "zerocopy slower"]
      : ["zerocopy costs more", "zerocopy cheaper"];
  out.push(
    `<text x="${PLOT.width - 6}" y="14" text-anchor="end" fill="#777777" font-size="11">↑ ${up}</text>`,
    `<text x="${PLOT.width - 6}" y="${PLOT.height - 8}" text-anchor="end" fill="#777777" font-size="11">↓ ${down}</text>`,
    `<line class="no-difference" x1="0" y1="${f(py(1))}" x2="${PLOT.width}" y2="${f(py(1))}" stroke="#222222" stroke-width="1.2" stroke-dasharray="6 4"/>`,
  );
  for (const r of row.ratios) {
    const colour = colourOf(r.zc);
    const pts = r.points.flatMap((p) => {
      const e = which === "rps" ? p.rps : p.cpu;
      return e ? [{ size: p.size, e }] : [];
    });
    if (!pts.length) continue;
    out.push(`<g class="ratio" data-ratio="${x(`${r.zc} / ${r.copy}`)}">`);
    const banded = pts.filter((p) => standing(p.e) !== "single");
    if (banded.length > 1) {
      const upper = banded.map((p) => `${f(axis.px(p.size))},${f(py(p.e.high))}`);
      const lower = banded.map((p) => `${f(axis.px(p.size))},${f(py(p.e.low))}`).reverse();
      out.push(
        `<polygon class="band" points="${[...upper, ...lower].join(" ")}" fill="${colour}" fill-opacity="0.18" stroke="none"/>`,
      );
    }
    for (const p of banded) {
      const xx = f(axis.px(p.size));
      out.push(
        `<line class="interval" x1="${xx}" y1="${f(py(p.e.low))}" x2="${xx}" y2="${f(py(p.e.high))}" stroke="${colour}" stroke-width="1.5" stroke-opacity="0.7"/>`,
      );
    }
    out.push(
      `<polyline points="${pts.map((p) => `${f(axis.px(p.size))},${f(py(p.e.value))}`).join(" ")}" fill="none" stroke="${colour}" stroke-width="2"/>`,
    );
    for (const p of pts) {
      // filled where the interval excludes 1 (a difference the report states), open where not
      const s = standing(p.e);
      const significant = s === "above" || s === "below";
      const tip =
        s === "single"
          ? `${r.zc}/${r.copy} ${p.size} B: ${p.e.value.toFixed(2)} (one run, no interval)`
          : `${r.zc}/${r.copy} ${p.size} B: ${p.e.value.toFixed(3)}, ${Math.round(p.e.level * 100)} % CI ${p.e.low.toFixed(3)}–${p.e.high.toFixed(3)}${significant ? "" : ", no significant difference"}`;
      out.push(
        `<circle cx="${f(axis.px(p.size))}" cy="${f(py(p.e.value))}" r="4" fill="${significant ? colour : "#ffffff"}" stroke="${colour}" stroke-width="2"><title>${x(tip)}</title></circle>`,
      );
    }
    out.push("</g>");
  }
  return out;
}

/** Words into lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

function noPairs(text: string): string[] {
  return [
    `<text x="${PLOT.width / 2}" y="${PLOT.height / 2}" text-anchor="middle" fill="#777777">${x(text)}</text>`,
  ];
}

/** requests/s and zerocopy/copy ratios by payload size, a row of panels per spec and target. */
export function renderSvg(suite: SuiteResult): string {
  const perRun = suite.runs.map((run) => ({ run, rows: rowsOf(run) }));
  const rows = perRun.flatMap((p) => p.rows);
  const withRatios = rows.some((r) => r.ratios.length > 0);
  const cols = withRatios ? 3 : 1;
  // break-even searches: a chart each, under the rows
  const searches = suite.runs.flatMap((run) =>
    run.search ? [searchChartBody(run.search, `${run.spec}: break-even search`)] : [],
  );
  const searchHeight = searches.reduce((h, c) => h + c.height + 12, 0);
  const what =
    rows.length || !searches.length
      ? `requests/s${withRatios ? " and zerocopy ÷ copy" : ""} by payload size`
      : "break-even search";
  const title = `${suite.runs.length === 1 ? (suite.runs[0]?.spec ?? "") : "zcspec"}: ${what}${suite.partial ? " (partial run)" : ""}`;
  const modes = [...new Set(rows.flatMap((r) => r.series.map((s) => s.mode)))].sort(
    (a, b) => modeRank(a) - modeRank(b) || a.localeCompare(b),
  );
  const legendY = 58;
  // no panels (a search alone): its chart right under the title
  // one search alone: its own chart's title is the title
  const alone = rows.length === 0 && searches.length === 1;
  const top = rows.length || !searches.length ? legendY + 26 : alone ? 8 : 40;
  const legendWidth =
    modes.reduce((a, m) => a + 40 + m.length * CHAR_WIDTH, 0) +
    (withRatios ? 16 + 14 + 30 * CHAR_WIDTH + 14 + 14 + 25 * CHAR_WIDTH : 0);
  const W = Math.ceil(
    Math.max(
      MARGIN * 2 + cols * CELL_W,
      MARGIN * 2 + title.length * CHAR_WIDTH * 1.25,
      MARGIN * 2 + legendWidth,
      searches.length ? MARGIN * 2 + SEARCH_CHART_WIDTH : 0,
    ),
  );
  // what the marks mean, from the estimates drawn, wrapped to the chart's width
  const levels = rows.flatMap((r) =>
    r.series.flatMap((s) => s.points.flatMap((p) => (p.estimate.n >= 2 ? [p.estimate] : []))),
  );
  const notes: string[] = [];
  if (levels.length) {
    const lv = levels.map((e) => Math.round(e.level * 100));
    const [lo, hi] = [Math.min(...lv), Math.max(...lv)];
    const ns = levels.map((e) => e.n);
    notes.push(
      `Error bars: the median's ${lo === hi ? lo : `${lo}–${hi}`} % confidence interval over ${Math.min(...ns) === Math.max(...ns) ? Math.min(...ns) : `${Math.min(...ns)}–${Math.max(...ns)}`} runs${lo < 95 ? " (under 6 runs that is the range of the runs)" : ""}.`,
    );
  } else if (rows.length) notes.push("Each case ran once: no error bars, no ratio intervals.");
  const reps = rows.flatMap((r) =>
    r.series.flatMap((s) => s.points.map((p) => repetitionCounts(p.result))),
  );
  const disturbed = reps.reduce((a, r) => a + r.disturbed, 0);
  if (disturbed > 0)
    notes.push(
      `${disturbed} of ${reps.reduce((a, r) => a + r.runs, 0)} repetitions were marked disturbed by the machine (counted like the others; a point's tooltip says how many).`,
    );
  if (withRatios) {
    const byRound = rows.some((r) =>
      r.series.some((s) => s.points.some((p) => p.result.repetitions)),
    );
    const pairs = [...new Set(rows.flatMap((r) => r.ratios.map((q) => `${q.zc} ÷ ${q.copy}`)))];
    notes.push(
      `Ratios${pairs.length > 1 ? ` (${pairs.join(", ")}, in the zerocopy mode's colour)` : ""}: geometric mean of the runs paired ${byRound ? "by round" : "in the order they ran"}, band and bar its 95 % confidence interval; dashed line: no difference.`,
    );
  }
  const lines = notes.flatMap((n) => wrap(n, Math.floor((W - 2 * MARGIN) / CHAR_WIDTH)));
  const footer = lines.length ? 26 + lines.length * 17 : 6;
  const rowsHeight =
    rows.length || !searches.length ? Math.max(1, rows.length) * (ROW_TITLE + CELL_H) : 0;
  const H = top + rowsHeight + searchHeight + footer;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="12">`,
    `<title>${x(title)}</title>`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    ...(alone
      ? []
      : [`<text x="${MARGIN}" y="30" font-size="16" font-weight="bold">${x(title)}</text>`]),
  ];
  // one legend for every panel: a mode has the same colour everywhere
  let lx = MARGIN;
  out.push('<g class="legend">');
  for (const m of modes) {
    const colour = colourOf(m);
    out.push(
      `<line x1="${lx}" y1="${legendY}" x2="${lx + 22}" y2="${legendY}" stroke="${colour}" stroke-width="2"/>`,
      `<circle cx="${lx + 11}" cy="${legendY}" r="3.5" fill="${colour}"/>`,
      `<text x="${lx + 28}" y="${legendY}" dominant-baseline="middle">${x(m)}</text>`,
    );
    lx += 40 + m.length * CHAR_WIDTH;
  }
  if (withRatios) {
    lx += 16;
    out.push(
      `<circle cx="${lx + 5}" cy="${legendY}" r="4" fill="#555555" stroke="#555555" stroke-width="2"/>`,
      `<text x="${lx + 14}" y="${legendY}" dominant-baseline="middle">ratio differs from 1 (95 % CI)</text>`,
    );
    lx += 14 + 30 * CHAR_WIDTH + 14;
    out.push(
      `<circle cx="${lx + 5}" cy="${legendY}" r="4" fill="#ffffff" stroke="#555555" stroke-width="2"/>`,
      `<text x="${lx + 14}" y="${legendY}" dominant-baseline="middle">no significant difference</text>`,
    );
  }
  out.push("</g>");
  if (rows.length === 0 && searches.length === 0) {
    out.push(
      `<text x="${W / 2}" y="${top + CELL_H / 2}" text-anchor="middle">no measured cases</text>`,
    );
  }
  let y = top;
  for (const { run, rows: mine } of perRun) {
    if (!mine.length) continue;
    // panels of one spec share their axes, so that its rows compare at a glance
    const sizes = [
      ...new Set(mine.flatMap((r) => r.series.flatMap((s) => s.points.map((p) => p.size)))),
    ].sort((a, b) => a - b);
    const axis = sizeAxis(sizes);
    const ymax = niceMax(
      Math.max(
        0,
        ...mine.flatMap((r) =>
          r.series.flatMap((s) => s.points.map((p) => Math.max(p.rps, p.estimate.high))),
        ),
      ) * 1.05,
    );
    const bounds = (which: "rps" | "cpu") =>
      mine
        .flatMap((r) =>
          r.ratios.flatMap((s) =>
            s.points.flatMap((p) => {
              const e = which === "rps" ? p.rps : p.cpu;
              return e ? [e.low, e.high, e.value] : [];
            }),
          ),
        )
        .filter((v) => v > 0 && Number.isFinite(v));
    const rateRatio = ratioAxis(bounds("rps"));
    const cpuRatio = ratioAxis(bounds("cpu"));
    for (const row of mine) {
      const label = row.group ? `${run.spec} · ${row.group}` : run.spec;
      out.push(
        `<g class="panel-row" data-spec="${x(run.spec)}" data-group="${x(row.group)}">`,
        `<text x="${MARGIN}" y="${y + 18}" font-size="14" font-weight="bold" fill="#222222">${x(label)}</text>`,
        `<line x1="${MARGIN}" y1="${y + 24}" x2="${W - MARGIN}" y2="${y + 24}" stroke="#cccccc"/>`,
      );
      const cell = (i: number, cls: string, body: string[]) => {
        const tx = MARGIN + i * CELL_W + CELL.left;
        const ty = y + ROW_TITLE + CELL.top;
        out.push(`<g class="${cls}" transform="translate(${tx} ${ty})">`, ...body, "</g>");
      };
      cell(0, "panel rate", ratePanel(row, axis, ymax));
      if (withRatios) {
        const none = noPairs("no zerocopy mode with its copy here");
        cell(
          1,
          "panel ratio-rps",
          row.ratios.length ? ratioPanel(row, axis, "rps", rateRatio) : none,
        );
        cell(
          2,
          "panel ratio-cpu",
          row.ratios.length ? ratioPanel(row, axis, "cpu", cpuRatio) : none,
        );
      }
      out.push("</g>");
      y += ROW_TITLE + CELL_H;
    }
  }
  for (const chart of searches) {
    out.push(`<g class="search" transform="translate(${MARGIN} ${y})">`, ...chart.body, "</g>");
    y += chart.height + 12;
  }
  lines.forEach((n, i) => {
    out.push(`<text x="${MARGIN}" y="${H - footer + 22 + i * 17}" fill="#444444">${x(n)}</text>`);
  });
  out.push("</svg>", "");
  return out.join("\n");
}

export const svgFormat: ReportFormat = {
  name: "svg",
  description:
    "requests/s by payload size with error bars and zerocopy/copy ratio bands, a row of panels per spec and target, and each break-even search's ratio chart (standalone SVG)",
  render: renderSvg,
};
