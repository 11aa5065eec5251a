/**
 * What the bench scripts share: rounds run in an order shuffled from a seed
 * (so a round's order can be told again), and medians of per-round ratios
 * printed with their spread.
 */

/** mulberry32: a small deterministic PRNG, so a seed tells the order again. */
export function shuffled(items, seed) {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const int = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "0.97 [0.91–1.02]": the median of per-round ratios and their range. */
export function spread(xs) {
  if (xs.length === 0) return "-";
  if (xs.length === 1) return xs[0].toFixed(2);
  return `${median(xs).toFixed(2)} [${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
}
