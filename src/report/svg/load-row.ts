import type { Mode } from "../../model/case.js";
import type { LatencySpan } from "../../model/measured/latency.js";
import { MODES, modeRank } from "../../model/modes.js";
import { type CaseResult, type RunResult, ranToEnd } from "../../model/results.js";
import { otherParameters } from "../series.js";
import { duration } from "../text/numbers.js";
import { xmlEscape as x } from "../text/xml.js";
import { logScale, PLOT, panelFrame, rowCell, short, yAxis } from "./geometry.js";
import { coord } from "./parts.js";

/**
 * A sweep over `rate:` drawn against the offered load (svg.ts): achieved
 * against offered requests/s, then the p99 latency to completion and to
 * notification, each from the intended start (solid) and from submit
 * (dashed). Below the knee the two agree; past it the intended-start
 * line climbs with the queue the sender could not send, the submit-based
 * one does not.
 */

/** A case whose matrix varies rate: drawn here, against the offered load, not by payload size. */
export function sweptOverRate(r: CaseResult): boolean {
  return "rate" in r.case.matrix;
}

interface LoadPoint {
  offered: number;
  result: CaseResult & { measured: NonNullable<CaseResult["measured"]> };
}

interface LoadSeries {
  mode: Mode;
  points: LoadPoint[];
}

/** One spec and whatever else its matrix varied besides mode and rate. */
export interface LoadRow {
  group: string;
  series: LoadSeries[];
}

/** A run's rate sweeps: a row per group, a series per mode, points by offered load. */
export function loadRows(run: RunResult): LoadRow[] {
  const rows = new Map<string, Map<Mode, LoadPoint[]>>();
  for (const r of run.results) {
    if (!sweptOverRate(r) || !ranToEnd(r) || r.measured.offeredRps === undefined) continue;
    const group = otherParameters(r, "rate");
    const modes = rows.get(group) ?? new Map<Mode, LoadPoint[]>();
    modes.set(r.case.mode, [
      ...(modes.get(r.case.mode) ?? []),
      { offered: r.measured.offeredRps, result: r },
    ]);
    rows.set(group, modes);
  }
  return [...rows].map(([group, modes]) => ({
    group,
    series: [...modes]
      .sort(([a], [b]) => modeRank(a) - modeRank(b) || a.localeCompare(b))
      .map(([mode, points]) => ({ mode, points: points.sort((a, b) => a.offered - b.offered) })),
  }));
}

/** The two spans of each latency panel: from the intended start, and from submit. */
const PANELS = [
  { title: "p99 latency to completion", intended: "intended_completion", submit: "completion" },
  { title: "p99 latency to notification", intended: "intended_notif", submit: "notif" },
] as const satisfies readonly { title: string; intended: LatencySpan; submit: LatencySpan }[];

const p99 = (p: LoadPoint, span: LatencySpan) => p.result.measured.latency[span]?.p99;

/** The ends of a log axis over `values`, with room at both. */
function axisOver(values: readonly number[]) {
  const lo = Math.max(1e-9, Math.min(...values)) / 1.25;
  return { lo, hi: Math.max(lo * 4, Math.max(...values) * 1.25) };
}

/** The offered-load x axis: log scale, a labelled tick per decade, 2 and 5. */
function offeredAxis(out: string[], px: (v: number) => number, ticks: readonly number[]) {
  const h = PLOT.height;
  out.push(`<line x1="0" y1="${h}" x2="${PLOT.width}" y2="${h}" stroke="#333333"/>`);
  for (const t of ticks) {
    const xx = coord(px(t));
    out.push(
      `<line x1="${xx}" y1="${h}" x2="${xx}" y2="${h + 5}" stroke="#333333"/>`,
      `<text x="${xx}" y="${h + 18}" text-anchor="middle">${short(t)}</text>`,
    );
  }
  out.push(
    `<text x="${PLOT.width / 2}" y="${h + 38}" text-anchor="middle" fill="#444444">offered requests/s (log scale)</text>`,
  );
}

function tip(p: LoadPoint): string {
  const m = p.result.measured;
  const kept = m.scheduleKept ? "schedule kept" : "schedule NOT kept";
  return `${p.result.case.name}: offered ${Math.round(p.offered)}, achieved ${Math.round(m.rps)} requests/s, ${kept}`;
}

/** What a line of a panel draws: a value per point, its scale, its style, its words. */
interface LineSpec {
  value: (p: LoadPoint) => number | undefined;
  py: (v: number) => number;
  dashed: boolean;
  what: string;
  text: (v: number) => string;
}

/** A series' polyline through the points that have a value, and a mark on each (hollow: not kept). */
function line(s: LoadSeries, px: (v: number) => number, spec: LineSpec): string[] {
  const { value, py, dashed, what, text } = spec;
  const colour = MODES[s.mode].colour;
  const drawn = s.points.flatMap((p) => {
    const v = value(p);
    return v === undefined || v <= 0 ? [] : [{ p, v }];
  });
  if (!drawn.length) return [];
  const pts = drawn.map(({ p, v }) => `${coord(px(p.offered))},${coord(py(v))}`).join(" ");
  const out = [
    `<g class="series" data-series="${x(s.mode)}" data-line="${x(what)}">`,
    `<polyline points="${pts}" fill="none" stroke="${colour}" stroke-width="2"${dashed ? ' stroke-dasharray="5 4"' : ""}/>`,
  ];
  for (const { p, v } of drawn) {
    const fill = p.result.measured.scheduleKept ? colour : "#ffffff";
    out.push(
      `<circle cx="${coord(px(p.offered))}" cy="${coord(py(v))}" r="3.5" fill="${fill}" stroke="${colour}" stroke-width="1.5"><title>${x(`${tip(p)}; ${what} ${text(v)}`)}</title></circle>`,
    );
  }
  out.push("</g>");
  return out;
}

/** The row's three panels at height `y`, under a heading the caller draws. */
export function loadRow(row: LoadRow, y: number): string[] {
  const points = row.series.flatMap((s) => s.points);
  const offered = axisOver(points.map((p) => p.offered));
  const xs = logScale(offered.lo, offered.hi, PLOT.width);
  const px = xs.at;
  // achieved against offered: one log scale on both axes, so the diagonal is "all offered sent"
  const rates = axisOver(points.flatMap((p) => [p.offered, p.result.measured.rps]));
  const ys = logScale(rates.lo, rates.hi, PLOT.height);
  const pyRate = (v: number) => PLOT.height - ys.at(v);
  const rate: string[] = [];
  panelFrame(rate, "achieved against offered requests/s");
  yAxis(
    rate,
    ys.ticks.map((t) => ({ y: pyRate(t), label: short(t) })),
    "achieved requests/s (log)",
    52,
  );
  offeredAxis(rate, px, xs.ticks);
  const diag = [offered.lo, offered.hi].map((v) => `${coord(px(v))},${coord(pyRate(v))}`);
  rate.push(
    `<polyline class="diagonal" points="${diag.join(" ")}" fill="none" stroke="#999999" stroke-dasharray="3 3"/>`,
  );
  const achieved = {
    value: (p: LoadPoint) => p.result.measured.rps,
    py: pyRate,
    dashed: false,
    what: "achieved requests/s",
    text: (v: number) => String(Math.round(v)),
  };
  for (const s of row.series) rate.push(...line(s, px, achieved));
  // both latency panels on one time scale
  const times = points.flatMap((p) =>
    PANELS.flatMap((d) => [p99(p, d.intended), p99(p, d.submit)]).filter(
      (v): v is number => v !== undefined && v > 0,
    ),
  );
  const t = axisOver(times.length ? times : [1]);
  const ts = logScale(t.lo, t.hi, PLOT.height);
  const pyTime = (v: number) => PLOT.height - ts.at(v);
  const panels = PANELS.map((d) => {
    const out: string[] = [];
    panelFrame(out, d.title);
    yAxis(
      out,
      ts.ticks.map((v) => ({ y: pyTime(v), label: duration(v) })),
      "p99 (log scale)",
      56,
    );
    offeredAxis(out, px, xs.ticks);
    const span = (name: LatencySpan, dashed: boolean) => ({
      value: (p: LoadPoint) => p99(p, name),
      py: pyTime,
      dashed,
      what: `${name} p99`,
      text: duration,
    });
    const body = row.series.flatMap((s) => [
      ...line(s, px, span(d.intended, false)),
      ...line(s, px, span(d.submit, true)),
    ]);
    if (!body.length)
      out.push(
        `<text x="${PLOT.width / 2}" y="${PLOT.height / 2}" text-anchor="middle" fill="#666666">no notifications: copying modes</text>`,
      );
    return [...out, ...body];
  });
  return [
    ...rowCell(0, y, "panel load-rate", rate),
    ...panels.flatMap((body, i) => rowCell(i + 1, y, `panel load-${PANELS[i]?.submit}`, body)),
  ];
}

/** The footer's note on the load rows. */
export const LOAD_NOTE =
  "Offered load (rate:): a line per mode against the offered requests/s (log scale); a hollow " +
  "mark is a case whose schedule was not kept. Latency p99 from each request's intended start " +
  "(solid) and from its submit (dashed): they agree while the sender keeps up; past the knee " +
  "the intended-start line climbs with the time requests waited to be sent (docs/latency.md).";
