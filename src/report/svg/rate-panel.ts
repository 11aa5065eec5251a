import { MEASURED_FIGURES } from "../../model/figures.js";
import { MODES } from "../../model/modes.js";
import { repetitionCounts } from "../text/runs.js";
import { xmlEscape as x } from "../text/xml.js";
import { type Axis, PLOT, panelFrame, short, xAxis, yAxis } from "./geometry.js";
import { coord } from "./parts.js";
import type { PanelRow } from "./rows.js";

/** requests/s per mode: a line through the medians, an error bar for each median's interval. */
export function ratePanel(row: PanelRow, axis: Axis, ymax: number): string[] {
  const out: string[] = [];
  panelFrame(out, "requests/s (median, bar: its interval)");
  const py = (v: number) => PLOT.height - (v / ymax) * PLOT.height;
  const ticks = [0, 1, 2, 3, 4, 5].map((i) => (ymax * i) / 5);
  yAxis(
    out,
    ticks.map((v) => ({ y: py(v), label: short(v) })),
    MEASURED_FIGURES.rps.words,
    52,
  );
  xAxis(out, axis);
  // modes at one size sit a few pixels apart, so that their bars do not hide each other
  const k = row.series.length;
  row.series.forEach((s, i) => {
    const colour = MODES[s.mode].colour;
    const dx = (i - (k - 1) / 2) * 5;
    const at = (size: number) => axis.px(size) + dx;
    const pts = s.points.map((p) => `${coord(at(p.size))},${coord(py(p.rps))}`);
    out.push(
      `<g class="series" data-series="${x(s.mode)}">`,
      `<polyline points="${pts.join(" ")}" fill="none" stroke="${colour}" stroke-width="2"/>`,
    );
    for (const p of s.points) {
      const e = p.estimate;
      const cx = coord(at(p.size));
      if (e.n >= 2 && e.level > 0) {
        const [y1, y2] = [coord(py(e.low)), coord(py(e.high))];
        out.push(
          `<path class="error-bar" d="M${cx},${y1}V${y2}M${coord(at(p.size) - 4)},${y1}h8M${coord(at(p.size) - 4)},${y2}h8" stroke="${colour}" stroke-width="1.5" fill="none"/>`,
        );
      }
      const { disturbed } = repetitionCounts(p.result);
      const tip =
        e.n >= 2
          ? `${s.mode} ${p.size} B: ${Math.round(e.value)} requests/s, interval ` +
            `${Math.round(e.low)}–${Math.round(e.high)} (${e.n} ` +
            `runs${disturbed ? `, ${disturbed} disturbed` : ""})`
          : `${s.mode} ${p.size} B: ${Math.round(e.value)} requests/s (one run)`;
      out.push(
        `<circle cx="${cx}" cy="${coord(py(p.rps))}" r="3.5" fill="${colour}"><title>${x(tip)}</title></circle>`,
      );
    }
    out.push("</g>");
  });
  return out;
}
