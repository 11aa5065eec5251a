import type { Comparison } from "../../model/comparison.js";
import { figureRow, type MeasuredFigure, type TargetFigure } from "../../model/figures.js";
import { markdownTable } from "./markdown-table.js";
import { figureText, signedPercent } from "./numbers.js";

function pct(ratio: number): string {
  return signedPercent((ratio - 1) * 100, 1);
}

/**
 * `zcspec compare`'s Markdown: a row per figure of every paired case,
 * before, after, the change with its interval and the verdict, as
 * benchstat prints it; then the cases that found no partner.
 */
export function renderComparison(c: Comparison): string {
  const rows = c.pairs.flatMap((p) =>
    p.changes.map((ch) => {
      const format = figureRow(ch.figure as MeasuredFigure | TargetFigure).format;
      const kernels =
        p.kernels.before === p.kernels.after
          ? p.kernels.after
          : `${p.kernels.before} → ${p.kernels.after}`;
      return [
        p.name,
        kernels,
        ch.label,
        figureText(format, ch.before),
        figureText(format, ch.after),
        pct(ch.ratio.value),
        ch.ratio.level > 0
          ? `${pct(ch.ratio.low)} … ${pct(ch.ratio.high)} ` +
            `(${Math.round(ch.ratio.level * 1000) / 10} %)`
          : "one run a side: none",
        ch.beyondTolerance ? `**${ch.verdict}**` : ch.verdict,
      ];
    }),
  );
  const head = ["case", "kernel", "figure", "before", "after", "change", "interval", "verdict"];
  const lines = [
    `# ${c.before} → ${c.after}`,
    "",
    rows.length
      ? markdownTable(head, rows, [
          "left",
          "left",
          "left",
          "right",
          "right",
          "right",
          "right",
          "left",
        ])
      : "No case of one run has the same parameters as a case of the other.",
    "",
    `A change is a verdict only when its whole interval (after/before, unpaired: Hodges–Lehmann ` +
      `with its Mann–Whitney interval) lies on one side of no change; **bold**: a regression ` +
      `beyond the tolerance (${signedPercent(-c.tolerance * 100, 1)}).`,
  ];
  if (c.pairs.some((p) => p.accelerators.before !== p.accelerators.after))
    lines.push(
      "`not comparable`: the two sides ran under different accelerators (a TCG guest's rates " +
        "measure the emulator, not the kernel).",
    );
  for (const side of ["before", "after"] as const)
    if (c.unpaired[side].length)
      lines.push(
        `Only ${side} (no partner, or not run to its end): ${c.unpaired[side].join(", ")}.`,
      );
  return `${lines.join("\n")}\n`;
}
