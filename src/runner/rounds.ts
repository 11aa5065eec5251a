import { randomInt } from "node:crypto";

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): a few lines, no
 * dependency, evenly spread enough to shuffle a handful of cases, and the
 * same seed always gives the same sequence. Returns numbers in [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fresh seed for a run that was given none (recorded, so `--seed` repeats the order). */
export function randomSeed(): number {
  return randomInt(0, 2 ** 32);
}

/**
 * The order of round `round` (1-based) over `n` cases: a Fisher-Yates
 * shuffle of 0..n-1 from a generator seeded by (seed, round). Each round's
 * order depends on nothing but the seed and its number, so a case dropping
 * out (skipped, errored, done) leaves the others' relative order as it was.
 */
export function roundOrder(seed: number, round: number, n: number): number[] {
  // mix the round into the seed (a multiplicative hash), so round k of seed s is not round k-1
  // of seed s+1
  const rand = mulberry32((seed ^ Math.imul(round, 0x9e3779b1)) >>> 0);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return order;
}
