import type { SuiteResult } from "../../model/results.js";
import type { ReportFormat } from "../file-format.js";
import { xmlEscape as x } from "../text/xml.js";
import { cpuPanel, cpuScale, hasCpuBreakdown } from "./cpu-panel.js";
import {
  CELL_H,
  CELL_W,
  CHAR_WIDTH,
  MARGIN,
  niceMax,
  ROW_TITLE,
  ratioAxis,
  rowCell,
  rowHeading,
  sizeAxis,
} from "./geometry.js";
import { latencyScale } from "./latency-panel.js";
import {
  drawnHistograms,
  LATENCY_NOTE,
  latencyCases,
  latencyRow,
  latencyRowHeight,
  latencyRowWidth,
} from "./latency-row.js";
import { legend, legendModes, legendWidth } from "./legend.js";
import { LOAD_NOTE, loadRow, loadRows } from "./load-row.js";
import { panelNotes } from "./notes.js";
import { svgOpening, wrap } from "./parts.js";
import { ratePanel } from "./rate-panel.js";
import { noPairs, ratioPanel } from "./ratio-panel.js";
import { type PanelRow, panelRows } from "./rows.js";
import { SEARCH_CHART_WIDTH, searchChartBody } from "./search-chart.js";

/**
 * Small multiples: a row of panels per spec and target sharing one size
 * axis, so that rows compare at a glance. Standalone (no script, no
 * external font or stylesheet), so that it opens in any viewer and converts
 * with rsvg-convert. How to read it: docs/cover-letter.md ("Reading chart.svg").
 */

/** The scales a spec's panels share, so that its rows compare at a glance. */
function specScales(mine: readonly PanelRow[]) {
  const sizes = [
    ...new Set(mine.flatMap((r) => r.series.flatMap((s) => s.points.map((p) => p.size)))),
  ].sort((a, b) => a - b);
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
  return {
    axis: sizeAxis(sizes),
    ymax,
    rateRatio: ratioAxis(bounds("rps")),
    cpuRatio: ratioAxis(bounds("cpu")),
  };
}

/** requests/s and zerocopy/copy ratios by payload size, a row of panels per spec and target. */
export function renderSvg(suite: SuiteResult): string {
  const perRun = suite.runs.map((run) => {
    const rows = panelRows(run);
    return { run, rows, latency: rows.map(latencyCases), load: loadRows(run) };
  });
  const rows = perRun.flatMap((p) => p.rows);
  const latency = perRun.flatMap((p) => p.latency).filter((cases) => cases.length > 0);
  const loads = perRun.flatMap((p) => p.load);
  const withRatios = rows.some((r) => r.ratios.length > 0);
  const cols = withRatios || latency.length || loads.length ? 3 : 1;
  // break-even searches: a chart each, under the rows
  const searches = suite.runs.flatMap((run) =>
    run.search ? [searchChartBody(run.search, `${run.spec}: break-even search`)] : [],
  );
  const searchHeight = searches.reduce((h, c) => h + c.height + 12, 0);
  const what = [
    ...(rows.length || (!searches.length && !loads.length)
      ? [
          `requests/s${withRatios ? " and zerocopy ÷ copy" : ""} by payload ` +
            `size${latency.length ? ", latency per request" : ""}`,
        ]
      : []),
    ...(loads.length ? ["latency against offered load"] : []),
    ...(!rows.length && !loads.length && searches.length ? ["break-even search"] : []),
  ].join("; ");
  const title =
    `${suite.runs.length === 1 ? (suite.runs[0]?.spec ?? "") : "zcspec"}: ` +
    `${what}${suite.partial ? " (partial run)" : ""}`;
  const modes = legendModes([...rows, ...loads]);
  const legendY = 58;
  // no panels (a search alone): its chart right under the title
  // one search alone: its own chart's title is the title
  const alone = rows.length === 0 && loads.length === 0 && searches.length === 1;
  const top = rows.length || loads.length || !searches.length ? legendY + 26 : alone ? 8 : 40;
  const W = Math.ceil(
    Math.max(
      MARGIN * 2 + cols * CELL_W,
      MARGIN * 2 + title.length * CHAR_WIDTH * 1.25,
      MARGIN * 2 + legendWidth(modes, withRatios),
      searches.length ? MARGIN * 2 + SEARCH_CHART_WIDTH : 0,
      ...latency.map(latencyRowWidth),
    ),
  );
  // what the marks mean, from the estimates drawn, wrapped to the chart's width
  const notes = [
    ...panelNotes(rows, withRatios),
    ...(latency.length ? [LATENCY_NOTE] : []),
    ...(loads.length ? [LOAD_NOTE] : []),
  ];
  const lines = notes.flatMap((n) => wrap(n, Math.floor((W - 2 * MARGIN) / CHAR_WIDTH)));
  const footer = lines.length ? 26 + lines.length * 17 : 6;
  const rowsHeight =
    (rows.length || (!searches.length && !loads.length)
      ? (Math.max(1, rows.length) + rows.filter(hasCpuBreakdown).length) * (ROW_TITLE + CELL_H) +
        latency.reduce((h, cases) => h + latencyRowHeight(cases), 0)
      : 0) +
    loads.length * (ROW_TITLE + CELL_H);
  const H = top + rowsHeight + searchHeight + footer;
  const out: string[] = [
    ...svgOpening(W, H, title),
    ...(alone
      ? []
      : [`<text x="${MARGIN}" y="30" font-size="16" font-weight="bold">${x(title)}</text>`]),
    ...legend(modes, withRatios, legendY),
  ];
  if (rows.length === 0 && loads.length === 0 && searches.length === 0) {
    out.push(
      `<text x="${W / 2}" y="${top + CELL_H / 2}" text-anchor="middle">no measured cases</text>`,
    );
  }
  let y = top;
  for (const { run, rows: mine, latency: timed, load } of perRun) {
    for (const row of load) {
      const label = `${run.spec}${row.group ? ` · ${row.group}` : ""}: against offered load`;
      out.push(
        `<g class="load-row" data-spec="${x(run.spec)}" data-group="${x(row.group)}">`,
        ...rowHeading(label, y, W),
        ...loadRow(row, y),
        "</g>",
      );
      y += ROW_TITLE + CELL_H;
    }
    if (!mine.length) continue;
    const { axis, ymax, rateRatio, cpuRatio } = specScales(mine);
    const cpuMax = cpuScale(mine);
    const drawn = timed.flatMap(drawnHistograms);
    const times = drawn.length ? latencyScale(drawn) : undefined;
    mine.forEach((row, r) => {
      const label = row.group ? `${run.spec} · ${row.group}` : run.spec;
      const data = `data-spec="${x(run.spec)}" data-group="${x(row.group)}"`;
      out.push(`<g class="panel-row" ${data}>`, ...rowHeading(label, y, W));
      out.push(...rowCell(0, y, "panel rate", ratePanel(row, axis, ymax)));
      if (withRatios) {
        const none = noPairs("no zerocopy mode with its copy here");
        const ratio = (i: number, which: "rps" | "cpu", scale: typeof rateRatio) =>
          rowCell(
            i,
            y,
            `panel ratio-${which}`,
            row.ratios.length ? ratioPanel(row, axis, which, scale) : none,
          );
        out.push(...ratio(1, "rps", rateRatio), ...ratio(2, "cpu", cpuRatio));
      }
      out.push("</g>");
      y += ROW_TITLE + CELL_H;
      if (hasCpuBreakdown(row)) {
        out.push(
          `<g class="cpu-row" ${data}>`,
          ...rowHeading(`${label}: CPU per request, sender and machine`, y, W),
          ...rowCell(0, y, "panel cpu", cpuPanel(row, axis, cpuMax)),
          "</g>",
        );
        y += ROW_TITLE + CELL_H;
      }
      const cases = timed[r] ?? [];
      if (!times || !cases.length) return;
      out.push(
        `<g class="latency-row" ${data}>`,
        ...rowHeading(`${label}: latency per request`, y, W),
        ...latencyRow(cases, times, y),
        "</g>",
      );
      y += latencyRowHeight(cases);
    });
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

/** `--svg FILE`: the throughput, ratio and latency charts of a suite. */
export const svgFormat: ReportFormat = {
  name: "svg",
  description:
    "requests/s by payload size with error bars and zerocopy/copy ratio bands, a row of panels " +
    "per spec and target, the machine's CPU per request by state beside the sender's where " +
    "measured, latency percentile curves where measured, a sweep over rate against the offered " +
    "load (achieved requests/s, p99 from intended start and from submit), and each break-even " +
    "search's ratio chart (standalone SVG)",
  render: renderSvg,
};
