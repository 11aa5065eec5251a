import type { Case } from "../model/case.js";
import type { CasePair, ChangeVerdict, Comparison, FigureChange } from "../model/comparison.js";
import {
  figureRow,
  figureValue,
  MEASURED_FIGURES,
  type MeasuredFigure,
  TARGET_FIGURES,
  type TargetFigure,
} from "../model/figures.js";
import type { Measured } from "../model/measured/measured.js";
import { type CaseResult, ranToEnd, type SuiteResult } from "../model/results.js";
import { MIN_LEVEL } from "./interval.js";
import { unpairedRatio } from "./unpaired.js";

/** The figures with a better direction: the ones a change can improve or regress. */
const COMPARED = (
  [...Object.keys(MEASURED_FIGURES), ...Object.keys(TARGET_FIGURES)] as (
    | MeasuredFigure
    | TargetFigure
  )[]
).filter((k) => figureRow(k).better !== undefined);

/**
 * What makes two cases the same workload: every parameter but the name, the
 * kernel, and how long or how often it was measured (a quick run pairs
 * with a long one). The matrix is in the parameters already.
 */
const NOT_WORKLOAD = new Set<keyof Case>([
  "name",
  "kernel",
  "matrix",
  "reference",
  "duration_ns",
  "warmup_ns",
  "repeat",
  "adaptive",
]);

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

function workload(r: CaseResult): string {
  const params = Object.fromEntries(
    Object.entries(r.case).filter(([k]) => !NOT_WORKLOAD.has(k as keyof Case)),
  );
  return `${r.spec}\u0000${JSON.stringify(sorted(params))}`;
}

function values(
  r: CaseResult & { measured: Measured },
  figure: MeasuredFigure | TargetFigure,
): number[] {
  const runs = r.runs?.length ? r.runs : [r.measured];
  return runs
    .map((m) => figureValue(m, figure))
    .filter((v): v is number => v !== undefined && v > 0);
}

function change(
  before: CaseResult & { measured: Measured },
  after: CaseResult & { measured: Measured },
  figure: MeasuredFigure | TargetFigure,
  tolerance: number,
  comparable: boolean,
): FigureChange | undefined {
  const a = values(after, figure);
  const b = values(before, figure);
  if (a.length === 0 || b.length === 0) return undefined;
  const row = figureRow(figure);
  const better = row.better as "higher" | "lower";
  const ratio = unpairedRatio(a, b);
  // the interval wholly on one side of 1, at a level a verdict can rest on (else: no change
  // detected)
  const sure = ratio.level >= MIN_LEVEL;
  const up = sure && ratio.low > 1;
  const down = sure && ratio.high < 1;
  const worse = better === "higher" ? down : up;
  const verdict: ChangeVerdict = !comparable
    ? "not comparable"
    : up || down
      ? worse
        ? "regressed"
        : "improved"
      : "no change detected";
  const beyond = better === "higher" ? ratio.high < 1 - tolerance : ratio.low > 1 + tolerance;
  return {
    figure,
    label: row.column ?? row.cel,
    better,
    before: figureValue(before.measured, figure) as number,
    after: figureValue(after.measured, figure) as number,
    ratio,
    verdict,
    beyondTolerance: comparable && verdict === "regressed" && beyond,
  };
}

/**
 * Two saved runs compared as benchstat does: cases paired by their
 * parameters, every figure with a better direction as the ratio
 * after/before with its unpaired interval (stats/unpaired.ts), and a
 * verdict from where the interval lies. Sides measured under different
 * accelerators are not comparable.
 */
export function compareRuns(
  before: { file: string; suite: SuiteResult },
  after: { file: string; suite: SuiteResult },
  tolerance: number,
): Comparison {
  const pairs: ReturnType<typeof pairOf>[] = [];
  const left = { before: [] as string[], after: [] as string[] };
  const b = byWorkload(before.suite);
  const a = byWorkload(after.suite);
  for (const [w, afters] of a) {
    const befores = b.get(w) ?? [];
    for (const [x, y] of partners(befores, afters)) pairs.push(pairOf(x, y, tolerance));
    left.before.push(
      ...befores.filter((r) => !pairs.some((p) => p.beforeResult === r)).map((r) => r.case.name),
    );
    left.after.push(
      ...afters.filter((r) => !pairs.some((p) => p.afterResult === r)).map((r) => r.case.name),
    );
  }
  for (const [w, befores] of b) if (!a.has(w)) left.before.push(...befores.map((r) => r.case.name));
  const unfinished = (s: SuiteResult) =>
    s.runs
      .flatMap((run) => run.results)
      .filter((r) => !ranToEnd(r))
      .map((r) => `${r.case.name} (${r.status})`);
  return {
    before: before.file,
    after: after.file,
    tolerance,
    pairs: pairs.map(({ pair }) => pair),
    unpaired: {
      before: [...left.before, ...unfinished(before.suite)],
      after: [...left.after, ...unfinished(after.suite)],
    },
  };
}

type Finished = CaseResult & { measured: Measured };

/**
 * Each run's finished cases by workload, a --kernel run's several kernels of one workload together.
 */
function byWorkload(suite: SuiteResult): Map<string, Finished[]> {
  const out = new Map<string, Finished[]>();
  for (const r of suite.runs.flatMap((run) => run.results).filter(ranToEnd)) {
    const w = workload(r);
    out.set(w, [...(out.get(w) ?? []), r]);
  }
  return out;
}

const kernelOf = (r: CaseResult) => r.case.kernel?.name ?? "host";

/**
 * One workload's partners: the same kernel on both sides first; then, when
 * one case is left on each side, those two (a kernel against another: the
 * before and after of a kernel change).
 */
function partners(
  befores: readonly Finished[],
  afters: readonly Finished[],
): [Finished, Finished][] {
  const out: [Finished, Finished][] = [];
  for (const y of afters) {
    const x = befores.find((r) => kernelOf(r) === kernelOf(y));
    if (x) out.push([x, y]);
  }
  const restB = befores.filter((r) => !out.some(([x]) => x === r));
  const restA = afters.filter((r) => !out.some(([, y]) => y === r));
  if (restB.length === 1 && restA.length === 1)
    out.push([restB[0] as Finished, restA[0] as Finished]);
  return out;
}

function pairOf(
  before: Finished,
  after: Finished,
  tolerance: number,
): { pair: CasePair; beforeResult: Finished; afterResult: Finished } {
  const accelerators = {
    before: before.case.kernel?.accelerator ?? "host",
    after: after.case.kernel?.accelerator ?? "host",
  };
  const comparable = accelerators.before === accelerators.after;
  return {
    beforeResult: before,
    afterResult: after,
    pair: {
      spec: after.spec,
      name: after.case.name,
      kernels: { before: kernelOf(before), after: kernelOf(after) },
      accelerators,
      changes: COMPARED.map((f) => change(before, after, f, tolerance, comparable)).filter(
        (c): c is FigureChange => c !== undefined,
      ),
    },
  };
}
