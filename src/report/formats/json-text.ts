/** Lines of a results file stay within this many characters where they can. */
const WIDTH = 100;

type Flat = number | number[];

/** An array of numbers, or of arrays of numbers: a histogram's [bound ns, count] buckets. */
function isFlat(v: unknown[]): v is Flat[] {
  return v.every(
    (x) => typeof x === "number" || (Array.isArray(x) && x.every((y) => typeof y === "number")),
  );
}

/**
 * Items packed into lines of at most WIDTH characters after `indent`, the comma that ends a line
 * included.
 */
function packed(items: readonly string[], indent: string): string[] {
  const lines: string[][] = [];
  let width = indent.length;
  for (const item of items) {
    const last = lines[lines.length - 1];
    if (last && width + 2 + item.length + 1 <= WIDTH) {
      last.push(item);
      width += 2 + item.length;
    } else {
      lines.push([item]);
      width = indent.length + item.length;
    }
  }
  return lines.map((l) => `${indent}${l.join(", ")}`);
}

function write(v: unknown, indent: string): string {
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    if (isFlat(v)) {
      const items = v.map((x) => (typeof x === "number" ? String(x) : `[${x.join(", ")}]`));
      const one = `[${items.join(", ")}]`;
      if (indent.length + one.length <= WIDTH) return one;
      return `[\n${packed(items, inner).join(",\n")}\n${indent}]`;
    }
    return `[\n${v.map((x) => `${inner}${write(x, inner)}`).join(",\n")}\n${indent}]`;
  }
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v);
    if (entries.length === 0) return "{}";
    const body = entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${write(x, inner)}`);
    return `{\n${body.join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(v);
}

/**
 * JSON indented by two spaces like JSON.stringify(value, null, 2), except
 * that an array of numbers, or of number pairs, is packed a line at a time
 * instead of one number per line: a run's latency histograms hold hundreds
 * of buckets each, several times per case (measured, every run).
 */
export function jsonText(value: unknown): string {
  // a round trip first, so that toJSON, undefined and non-finite numbers come out as JSON.stringify
  // has them
  return write(JSON.parse(JSON.stringify(value)), "");
}
