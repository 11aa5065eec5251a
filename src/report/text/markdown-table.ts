export type Align = "left" | "right";

/** A cell that cannot break its table: `|` escaped, line breaks as spaces. */
function cell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/**
 * A GitHub-flavoured Markdown table; `align` has one entry per column (figures right, text left).
 */
export function markdownTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  align: readonly Align[],
): string {
  const rule = head.map((_, i) => (align[i] === "right" ? "---:" : "---"));
  return [head, rule, ...rows].map((r) => `| ${r.map(cell).join(" | ")} |`).join("\n");
}

/** The columns named in `text` left-aligned, the others (figures) right. */
export function alignment(head: readonly string[], ...text: string[]): Align[] {
  return head.map((h) => (text.includes(h) ? "left" : "right"));
}
