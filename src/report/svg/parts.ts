import { xmlEscape as x } from "../text/xml.js";

/** What both charts (svg.ts's panels, search-chart.ts) draw alike. */

/** A coordinate to one decimal, as the charts write them. */
export const coord = (n: number) => n.toFixed(1);

/** Ticks a reader knows on a ratio axis, in the order they are kept when crowded. */
export const RATIO_TICKS = [
  1, 2, 0.5, 1.5, 0.8, 1.2, 3, 0.25, 5, 0.1, 10, 0.9, 1.1, 0.7, 1.3, 0.6, 0.4, 4, 0.3, 20, 0.05,
];

/** Words into lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
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

/** A standalone SVG document's opening, `width` × `height` on white, its title for viewers. */
export function svgOpening(width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="12">`,
    `<title>${x(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
}
