/** One side of a comparison: its repetitions, and the round each ran in when known. */
export interface Repetitions<T> {
  runs: readonly T[];
  /** parallel to `runs`; absent (or of another length) when the runner recorded no rounds */
  rounds?: readonly number[];
}

/**
 * The repetitions of `a` and `b` that ran in the same round, in round order
 * (a round's load hits both sides alike; a round only one side ran in is left
 * out), or by position where either side lacks rounds (results from before
 * rounds, or repetitions run back to back).
 */
export function pairByRound<T>(
  a: Repetitions<T>,
  b: Repetitions<T>,
): { pairs: [T, T][]; rounds?: number[] } {
  const hasRounds = (s: Repetitions<T>) =>
    s.rounds !== undefined && s.rounds.length === s.runs.length;
  if (hasRounds(a) && hasRounds(b)) {
    const inB = new Map<number, T>();
    b.rounds?.forEach((r, i) => {
      if (!inB.has(r)) inB.set(r, b.runs[i] as T);
    });
    const seen = new Set<number>();
    const matched: [number, T, T][] = [];
    a.rounds?.forEach((r, i) => {
      const y = inB.get(r);
      if (y === undefined || seen.has(r)) return;
      seen.add(r);
      matched.push([r, a.runs[i] as T, y]);
    });
    matched.sort((x, y) => x[0] - y[0]);
    return { pairs: matched.map(([, x, y]) => [x, y]), rounds: matched.map(([r]) => r) };
  }
  const n = Math.min(a.runs.length, b.runs.length);
  return { pairs: Array.from({ length: n }, (_, i) => [a.runs[i] as T, b.runs[i] as T]) };
}
