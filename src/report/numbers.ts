/** How every report writes its figures, so that one figure reads the same in each. */

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "1,234,567": rounded to a whole number, thousands grouped. */
export function integer(n: number): string {
  return grouped.format(n);
}

/** "19.20": Gbit/s to two decimals. */
export function gbit(n: number): string {
  return n.toFixed(2);
}

/** "5.0%": a per-cent figure (already times 100) to `digits` decimals. */
export function percent(p: number, digits: number): string {
  return `${p.toFixed(digits)}%`;
}

/** "+4.5%", "-25%", "+0.0%": a per-cent change, its sign always written. */
export function signedPercent(p: number, digits: number): string {
  const text = p.toFixed(digits);
  // the sign of the rounded text, so that a change rounding to zero keeps the side it is on
  return `${text.startsWith("-") ? "" : "+"}${text}%`;
}
