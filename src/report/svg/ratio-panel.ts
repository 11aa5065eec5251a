import { MEASURED_FIGURES } from "../../model/figures.js";
import { MODES } from "../../model/modes.js";
import { standing } from "../text/claims.js";
import { xmlEscape as x } from "../text/xml.js";
import { type Axis, PLOT, panelFrame, type RatioAxis, xAxis, yAxis } from "./geometry.js";
import { coord } from "./parts.js";
import type { PanelRow } from "./rows.js";

/** One figure's zerocopy-over-copy ratio by size: a band for each 95 % interval, the 1.0 line. */
export function ratioPanel(
  row: PanelRow,
  axis: Axis,
  which: "rps" | "cpu",
  ratioAx: RatioAxis,
): string[] {
  const out: string[] = [];
  const { py, ticks } = ratioAx;
  // one pair: name it; several: each line is labelled at its right end
  const [only] = row.ratios;
  const pair = row.ratios.length === 1 && only ? `${only.zc} ÷ ${only.copy}` : "zerocopy ÷ copy";
  // the sender threads' CPU, said short enough for the panel's width
  panelFrame(
    out,
    `${which === "rps" ? MEASURED_FIGURES.rps.words : "sender CPU/request"}, ${pair}`,
  );
  yAxis(
    out,
    ticks.map((t) => ({ y: py(t), label: String(t) })),
    "ratio (log scale)",
    46,
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
    `<line class="no-difference" x1="0" y1="${coord(py(1))}" x2="${PLOT.width}" y2="${coord(py(1))}" stroke="#222222" stroke-width="1.2" stroke-dasharray="6 4"/>`,
  );
  for (const r of row.ratios) {
    const colour = MODES[r.zc].colour;
    const pts = r.points.flatMap((p) => {
      const e = which === "rps" ? p.rps : p.cpu;
      return e ? [{ size: p.size, e }] : [];
    });
    if (!pts.length) continue;
    out.push(`<g class="ratio" data-ratio="${x(`${r.zc} / ${r.copy}`)}">`);
    const banded = pts.filter((p) => standing(p.e) !== "single");
    if (banded.length > 1) {
      const upper = banded.map((p) => `${coord(axis.px(p.size))},${coord(py(p.e.high))}`);
      const lower = banded.map((p) => `${coord(axis.px(p.size))},${coord(py(p.e.low))}`).reverse();
      out.push(
        `<polygon class="band" points="${[...upper, ...lower].join(" ")}" fill="${colour}" fill-opacity="0.18" stroke="none"/>`,
      );
    }
    for (const p of banded) {
      const xx = coord(axis.px(p.size));
      out.push(
        `<line class="interval" x1="${xx}" y1="${coord(py(p.e.low))}" x2="${xx}" y2="${coord(py(p.e.high))}" stroke="${colour}" stroke-width="1.5" stroke-opacity="0.7"/>`,
      );
    }
    out.push(
      `<polyline points="${pts.map((p) => `${coord(axis.px(p.size))},${coord(py(p.e.value))}`).join(" ")}" fill="none" stroke="${colour}" stroke-width="2"/>`,
    );
    for (const p of pts) {
      // filled where the interval excludes 1 (a difference the report states), open where not
      const s = standing(p.e);
      const significant = s === "above" || s === "below";
      const tip =
        s === "single"
          ? `${r.zc}/${r.copy} ${p.size} B: ${p.e.value.toFixed(2)} (one run, no interval)`
          : `${r.zc}/${r.copy} ${p.size} B: ${p.e.value.toFixed(3)}, ` +
            `${Math.round(p.e.level * 100)} % CI ` +
            `${p.e.low.toFixed(3)}–${p.e.high.toFixed(3)}` +
            (significant ? "" : ", no significant difference");
      out.push(
        `<circle cx="${coord(axis.px(p.size))}" cy="${coord(py(p.e.value))}" r="4" fill="${significant ? colour : "#ffffff"}" stroke="${colour}" stroke-width="2"><title>${x(tip)}</title></circle>`,
      );
    }
    out.push("</g>");
  }
  return out;
}

/** A ratio panel's place in a row without a zerocopy mode and its copy: says so. */
export function noPairs(text: string): string[] {
  return [
    `<text x="${PLOT.width / 2}" y="${PLOT.height / 2}" text-anchor="middle" fill="#777777">${x(text)}</text>`,
  ];
}
