import type { Estimate, RelationOutcome, Verdict } from "../model/estimate.js";
import type { Measured, RepetitionSample } from "../model/measured/measured.js";
import { figuresOf } from "../spec/cel/figures.js";
import { MIN_LEVEL, pairedRatio, verdict } from "../stats/interval.js";
import { pairByRound } from "../stats/pairing.js";
import { unpairedRatio } from "../stats/unpaired.js";

export { MIN_LEVEL };

function figure(m: Measured, name: string): number {
  const v = figuresOf(m)[name];
  if (v === undefined) throw new Error(`this case has no figure ${name}`);
  return v;
}

/** The repetitions of `a` and `b` that ran in the same round (stats/pairing.ts). */
export function pairRuns(a: RepetitionSample, b: RepetitionSample): [Measured, Measured][] {
  return pairByRound(a, b).pairs;
}

/** Every numeric leaf of x over y's (NaN where y lacks it); other leaves are x's. */
function divide(x: unknown, y: unknown): unknown {
  if (typeof x === "number") return typeof y === "number" ? x / y : Number.NaN;
  if (x && typeof x === "object" && !Array.isArray(x)) {
    const other = (y ?? {}) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, divide(v, other[k])]));
  }
  return x;
}

/**
 * `a` over `b` round by round: a sample whose every figure is the ratio of
 * the two cases' figures in the same round, to judge a relation between two
 * relations (send_zc over send at 8000 B against the same at 600 B) on
 * pairs of rounds. Only two sides of this run pair (a baseline has no
 * rounds in common with it).
 */
export function overSample(a: RepetitionSample, b: RepetitionSample): RepetitionSample {
  if (a.origin !== b.origin)
    throw new Error(
      "over() divides repetitions of the same rounds; a baseline's share none with this run",
    );
  const { pairs, rounds } = pairByRound(a, b);
  if (pairs.length === 0) throw new Error("the two cases share no round");
  return {
    // a histogram over a histogram is none: the ratios have no latency
    runs: pairs.map(([x, y]) => ({ ...(divide(x, y) as Measured), latency: {} })),
    origin: a.origin,
    ...(rounds ? { rounds } : {}),
  };
}

/**
 * The ratio a/b of one figure with its interval: from the paired rounds when
 * both sides ran in this run (stats/interval.ts pairedRatio), from every
 * cross ratio when one side is a saved baseline (stats/unpaired.ts).
 */
export function relationInterval(a: RepetitionSample, b: RepetitionSample, name: string): Estimate {
  if (a.origin === b.origin) {
    const pairs = pairRuns(a, b);
    if (pairs.length === 0) throw new Error("the two cases share no round");
    return pairedRatio(
      pairs.map(([x]) => figure(x, name)),
      pairs.map(([, y]) => figure(y, name)),
    );
  }
  return unpairedRatio(
    a.runs.map((m) => figure(m, name)),
    b.runs.map((m) => figure(m, name)),
  );
}

/** verdict() of stats/interval.ts, with no verdict below MIN_LEVEL. */
export function judge(e: Estimate, line: number, side: "above" | "below"): Verdict {
  if (e.level < MIN_LEVEL) return "inconclusive";
  return verdict(e, line, side);
}

/** A ratio in three significant digits. */
export function ratioNumber(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

function levelText(level: number): string {
  return `${Number((level * 100).toFixed(1))} %`;
}

/** "1.31 (95 % CI 1.24–1.38, 5 paired rounds)" */
export function intervalText(e: Estimate): string {
  const over =
    e.method === "rank-sum-log"
      ? `${e.n} runs, unpaired`
      : `${e.n} paired round${e.n === 1 ? "" : "s"}`;
  if (e.level === 0) return `${ratioNumber(e.value)} (one run on each side: no interval)`;
  return (
    `${ratioNumber(e.value)} (${levelText(e.level)} CI ` +
    `${ratioNumber(e.low)}–${ratioNumber(e.high)}, ${over})`
  );
}

/** Why an interval gave no verdict, when it is not merely straddling the line. */
function noVerdictWhy(e: Estimate): string | undefined {
  if (e.level === 0) return "no verdict without repetitions (repeat: 5 or more)";
  if (e.level < MIN_LEVEL)
    return (
      `${e.n} runs give only a ${levelText(e.level)} interval, below the ` +
      `${levelText(MIN_LEVEL)} a verdict needs`
    );
  return undefined;
}

/**
 * Judge `a / b` of figure `name` against `line`: held when its interval lies
 * wholly on `side` of the line, failed when wholly on the other side,
 * inconclusive otherwise.
 */
export function relation(
  a: RepetitionSample,
  b: RepetitionSample,
  name: string,
  label: string,
  line: number,
  side: "above" | "below",
): RelationOutcome {
  const interval = relationInterval(a, b, name);
  const v = judge(interval, line, side);
  const head = `${label} ratio ${intervalText(interval)}`;
  const other = side === "above" ? "below" : "above";
  const why = v === "inconclusive" ? noVerdictWhy(interval) : undefined;
  const where = why
    ? `: ${why}`
    : ` ${v === "held" ? `is ${side}` : v === "failed" ? `is ${other}` : "straddles"} ` +
      `${ratioNumber(line)}`;
  return { verdict: v, interval, text: `${head}${where}` };
}
