import type { Check } from "../model/check.js";
import type { Estimate } from "../model/estimate.js";
import { MEASURED_FIGURES } from "../model/figures.js";
import type { Crossing, SearchBaseline, SearchPoint, SearchResult } from "../model/search.js";
import { celEnvironment } from "../spec/cel/environment.js";
import type { Expectation } from "../spec/cel/expectations.js";

function celPoint(p: SearchPoint): Record<string, unknown> {
  return {
    value: p.value,
    ...(p.ratio ? { ratio: p.ratio.value, low: p.ratio.low, high: p.ratio.high } : {}),
    ...(p.standing ? { standing: p.standing } : {}),
    rounds: BigInt(p.rounds),
  };
}

function celCrossing(c: Crossing): Record<string, unknown> {
  return {
    low: c.low,
    high: c.high,
    estimate: c.estimate,
    from: c.from,
    to: c.to,
    ...(c.at
      ? {
          ratio: {
            value: c.at.ratio.value,
            low: c.at.ratio.low,
            high: c.at.ratio.high,
            at: c.at.value,
          },
        }
      : {}),
  };
}

/** The value `search` has in expressions. */
export function celSearch(r: SearchResult): Record<string, unknown> {
  const s = r.settings;
  const first = r.points[0];
  const last = r.points[r.points.length - 1];
  return {
    parameter: s.parameter,
    figure: MEASURED_FIGURES[s.figure].cel,
    compare: s.labels.compare,
    against: s.labels.against,
    from: s.from,
    to: s.to,
    found: r.found,
    monotone: r.monotone,
    stopped_by: r.stoppedBy,
    point_count: BigInt(r.pointCount),
    rounds: BigInt(r.rounds),
    elapsed_ms: r.elapsedMs,
    ...(r.breakEven ? { break_even: celCrossing(r.breakEven) } : {}),
    crossings: r.crossings.map(celCrossing),
    points: r.points.map(celPoint),
    zones: r.zones.map((z) => ({
      standing: z.standing,
      from: z.from,
      to: z.to,
      points: BigInt(z.points),
    })),
    ...(r.winsFrom === undefined ? {} : { wins_from: r.winsFrom }),
    ...(first?.value === s.from ? { at_from: celPoint(first) } : {}),
    ...(last?.value === s.to ? { at_to: celPoint(last) } : {}),
  };
}

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** "5,100 B", "32": a parameter value in its unit. */
export function valueText(v: number, unit: string | undefined): string {
  return `${grouped.format(v)}${unit ? ` ${unit}` : ""}`;
}

function ratioText(e: Estimate): string {
  return (
    `${e.value.toFixed(3)} (${Math.round(e.level * 100)} % CI ` +
    `${e.low.toFixed(3)}–${e.high.toFixed(3)})`
  );
}

/** The outcome in one line, for a reason: "break-even between 5,100 B and 5,600 B". */
function outcomeText(r: SearchResult): string {
  const u = r.settings.unit;
  if (r.breakEven)
    return (
      `break-even between ${valueText(r.breakEven.low, u)} and ` +
      `${valueText(r.breakEven.high, u)} (${r.crossings.length} ` +
      `change${r.crossings.length === 1 ? "" : "s"} of sign)`
    );
  const ends = [r.points[0], r.points[r.points.length - 1]]
    .filter((p): p is SearchPoint => p?.ratio !== undefined)
    .map((p) => `${valueText(p.value, u)}: ${p.standing}, ratio ${ratioText(p.ratio as Estimate)}`);
  return (
    `no change of sign from ${valueText(r.settings.from, u)} to ` +
    `${valueText(r.settings.to, u)}${ends.length ? ` (${ends.join("; ")})` : ""}`
  );
}

/**
 * The spec's expectations about `search`, checked once on the search's
 * outcome: each a check that passes when its `that` is true (skipped where
 * its `where` is false).
 */
export function judgeSearch(expectations: readonly Expectation[], r: SearchResult): Check[] {
  const about = expectations.filter((e) => e.search);
  if (about.length === 0) return [];
  const env = celEnvironment();
  const ctx = { search: celSearch(r) };
  const checks: Check[] = [];
  for (const e of about) {
    const base: Check = {
      name: e.name,
      pass: false,
      kind: "expect",
      expression: e.that,
      location: { file: e.thatAt.file, line: e.thatAt.line, col: e.thatAt.col },
    };
    try {
      if (e.where !== undefined && env.evaluate(e.where, ctx) !== true) continue;
      const value = env.evaluate(e.that, ctx);
      checks.push(
        value === true
          ? { ...base, pass: true }
          : { ...base, reason: `${e.that.trim()} is false: ${outcomeText(r)}` },
      );
    } catch (err) {
      const summary = (err as { summary?: string }).summary ?? (err as Error).message;
      checks.push({
        ...base,
        reason:
          `cannot evaluate ${e.that.trim()}: ${summary.split("\n")[0]} ` +
          `(${outcomeText(r)}${r.found ? "" : "; guard with search.found"})`,
      });
    }
  }
  return checks;
}

/**
 * This run's break-even against a saved run's (--baseline). Brackets that
 * overlap: no change detected. Disjoint: the break-even moved; that fails
 * when it moved the way that is worse for the compare side (a crossing into
 * a win moving up: it pays only later; a crossing into a loss moving down)
 * and passes, said so, the other way. A change of sign that one search found
 * and the other did not is inconclusive (a noisier run can lose a side to
 * "even"): reported, failing only --strict.
 */
export function searchBaseline(
  now: SearchResult,
  saved: SearchResult,
  file: string,
): { baseline: SearchBaseline; check: Check } {
  const u = now.settings.unit;
  const bracket = (c: Crossing | undefined) => (c ? { low: c.low, high: c.high } : undefined);
  const b = bracket(saved.breakEven);
  const n = bracket(now.breakEven);
  const show = (x: { low: number; high: number }) =>
    `${valueText(x.low, u)}–${valueText(x.high, u)}`;
  const name = "baseline break-even";
  const base = { file, ...(b ? { before: b } : {}), ...(n ? { now: n } : {}) };
  if (!b && !n) {
    const text = `no change of sign in the bounds, now as in ${file}`;
    return {
      baseline: { ...base, verdict: "no sign change either", text },
      check: { name, pass: true, kind: "baseline", verdict: "held" },
    };
  }
  if (!b || !n) {
    const text = b
      ? `the baseline's break-even (${show(b)}) is gone: now ${outcomeText(now)}`
      : `a break-even appeared at ${show(n as { low: number; high: number })}: the baseline had ` +
        `${outcomeText(saved)}`;
    return {
      baseline: { ...base, verdict: b ? "vanished" : "appeared", text },
      check: { name, pass: false, kind: "baseline", verdict: "inconclusive", reason: text },
    };
  }
  if (n.low <= b.high && b.low <= n.high) {
    const text =
      `no change detected: break-even ${show(n)} now, ${show(b)} in ${file} ` +
      "(the brackets overlap)";
    return {
      baseline: { ...base, verdict: "no change", text },
      check: { name, pass: true, kind: "baseline", verdict: "held" },
    };
  }
  const up = n.low > b.high;
  const into = now.breakEven?.to ?? "win";
  const worse = into === "win" ? up : !up;
  const text =
    `the break-even moved ${up ? "up" : "down"}: ${show(n)} now, ${show(b)} in ` +
    `${file}${worse ? "" : " (for the better)"}`;
  return {
    baseline: { ...base, verdict: "moved", text },
    check: {
      name,
      pass: !worse,
      kind: "baseline",
      verdict: worse ? "failed" : "held",
      ...(worse ? { reason: text } : {}),
    },
  };
}
