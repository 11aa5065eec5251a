import type { CpuTimes } from "../../model/measured/machine.js";
import type { Measured } from "../../model/measured/measured.js";
import { MODES } from "../../model/modes.js";
import { xmlEscape as x } from "../text/xml.js";
import { type Axis, niceMax, PLOT, panelFrame, short, xAxis, yAxis } from "./geometry.js";
import { coord } from "./parts.js";
import type { PanelRow } from "./rows.js";

/** The busy states of /proc/stat a bar stacks, bottom up, with their fills (nice is user's). */
const STATES: readonly { name: string; fill: string; ns: (t: CpuTimes) => number }[] = [
  { name: "user", fill: "#9ecae1", ns: (t) => t.userNs + t.niceNs },
  { name: "system", fill: "#3182bd", ns: (t) => t.systemNs },
  { name: "irq", fill: "#fdae6b", ns: (t) => t.irqNs },
  { name: "softirq", fill: "#e6550d", ns: (t) => t.softirqNs },
];

/** The machine's busy CPU per request by state, ns, of a run that read /proc/stat. */
function perRequest(m: Measured | undefined): number[] | undefined {
  if (!m?.machine || m.requests <= 0) return undefined;
  const all = m.machine.all;
  return STATES.map((s) => s.ns(all) / m.requests);
}

/** Some case of the row has the machine's CPU: it gets a breakdown panel. */
export function hasCpuBreakdown(row: PanelRow): boolean {
  return row.series.some((s) => s.points.some((p) => perRequest(p.result.measured)));
}

/** The highest bar or sender tick of the rows, ns per request: their shared scale. */
export function cpuScale(rows: readonly PanelRow[]): number {
  const tops = rows.flatMap((r) =>
    r.series.flatMap((s) =>
      s.points.map((p) => {
        const m = p.result.measured;
        const parts = perRequest(m) ?? [];
        return Math.max(
          parts.reduce((a, b) => a + b, 0),
          m?.cpuNsPerRequest ?? 0,
        );
      }),
    ),
  );
  return niceMax(Math.max(0, ...tops) * 1.05);
}

const BAR = 8;

/**
 * The whole machine's CPU per request at each size, a stacked bar per mode
 * (user, system, irq, softirq from /proc/stat over the window), outlined in
 * the mode's colour, and the sender threads' own CPU per request as a black
 * tick across it: what the sender's clock does not see is the bar above it.
 */
export function cpuPanel(row: PanelRow, axis: Axis, ymax: number): string[] {
  const out: string[] = [];
  panelFrame(out, "CPU per request: machine by state, tick: sender");
  const py = (v: number) => PLOT.height - (v / ymax) * PLOT.height;
  const ticks = [0, 1, 2, 3, 4, 5].map((i) => (ymax * i) / 5);
  yAxis(
    out,
    ticks.map((v) => ({ y: py(v), label: short(v) })),
    "ns per request",
    52,
  );
  xAxis(out, axis);
  STATES.forEach((s, i) => {
    const lx = 6 + i * 62;
    out.push(
      `<rect x="${lx}" y="6" width="10" height="10" fill="${s.fill}"/>`,
      `<text x="${lx + 14}" y="15" font-size="11" fill="#444444">${s.name}</text>`,
    );
  });
  const k = row.series.length;
  row.series.forEach((series, i) => {
    const colour = MODES[series.mode].colour;
    const dx = (i - (k - 1) / 2) * (BAR + 3);
    out.push(`<g class="cpu-bars" data-series="${x(series.mode)}">`);
    for (const p of series.points) {
      const m = p.result.measured;
      const parts = perRequest(m);
      if (!m || !parts) continue;
      const left = coord(axis.px(p.size) + dx - BAR / 2);
      let base = 0;
      const what = `${series.mode} ${p.size} B`;
      const box = (low: number, high: number) =>
        `x="${left}" y="${coord(py(high))}" width="${BAR}" height="${coord(py(low) - py(high))}"`;
      parts.forEach((v, j) => {
        if (v <= 0) return;
        const state = STATES[j] as (typeof STATES)[number];
        const tip = `${what}: ${state.name} ${Math.round(v)} ns/request`;
        out.push(
          `<rect ${box(base, base + v)} fill="${state.fill}"><title>${x(tip)}</title></rect>`,
        );
        base += v;
      });
      const sender = m.cpuNsPerRequest;
      const ends = [-BAR / 2 - 2, BAR / 2 + 2].map((d) => coord(axis.px(p.size) + dx + d));
      const tip =
        `${what}: sender threads ${Math.round(sender)} ns/request, ` +
        `machine ${Math.round(base)}`;
      out.push(
        `<rect ${box(0, base)} fill="none" stroke="${colour}" stroke-width="1.5"/>`,
        `<line class="sender" x1="${ends[0]}" x2="${ends[1]}" y1="${coord(py(sender))}" ` +
          `y2="${coord(py(sender))}" stroke="#000000" stroke-width="2">` +
          `<title>${x(tip)}</title></line>`,
      );
    }
    out.push("</g>");
  });
  return out;
}
