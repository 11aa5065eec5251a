import type { Environment } from "@marcbachmann/cel-js";
import { MEASURED_FIGURES } from "../model/figures.js";
import {
  CelInterval,
  CelResult,
  type CelRuntime,
  CelVerdict,
  celEnvironment,
  type VerdictHelper,
} from "../spec/cel/environment.js";
import { FIGURE_NAMES } from "../spec/cel/figures.js";
import { aggregate } from "../stats/aggregate.js";
import { overSample, relation, relationInterval } from "./relations.js";

/** A figure faster() or cheaper() judges: its name, its words in a reason, its better side. */
function judgedOn(key: "rps" | "cpuNsPerRequest" | "machineCpuNsPerRequest") {
  const f = MEASURED_FIGURES[key];
  return {
    figure: f.cel,
    label: f.words,
    side: f.better === "higher" ? "above" : "below",
  } as const;
}

/**
 * What each helper judges, by the CPU figure named in its call: cheaper()
 * is the sender threads' CPU unless told "machine"; faster() takes none.
 */
const RELATIONS = {
  faster: { default: judgedOn("rps") },
  cheaper: {
    default: judgedOn("cpuNsPerRequest"),
    sender: judgedOn("cpuNsPerRequest"),
    machine: judgedOn("machineCpuNsPerRequest"),
  },
} satisfies Record<VerdictHelper, Record<string, unknown>>;

function relationOf(kind: VerdictHelper, figure: string | undefined) {
  const choices: Record<string, ReturnType<typeof judgedOn>> = RELATIONS[kind];
  const named = Object.keys(choices).filter((k) => k !== "default");
  const r = choices[figure ?? "default"];
  if (!r || figure === "default")
    throw new Error(
      named.length
        ? `${kind}() judges the figure "${named.join('" or "')}", not "${figure}"`
        : `${kind}() judges requests/s and takes no figure name ("${figure}"): ` +
            `cheaper(a, b, "machine") judges the machine's CPU`,
    );
  return r;
}

function byFactor(v: unknown): number {
  const by = Number(v);
  if (!(by > 0)) throw new Error(`the factor must be a positive number, not ${String(v)}`);
  return by;
}

function judge(
  kind: VerdictHelper,
  a: CelResult,
  b: CelResult,
  by?: unknown,
  figure?: string,
): CelVerdict {
  const r = relationOf(kind, figure);
  const factor = by === undefined ? 1 : byFactor(by);
  const line = r.side === "above" ? factor : 1 / factor;
  const sa = CelResult.sampleOf(a);
  const sb = CelResult.sampleOf(b);
  return new CelVerdict(relation(sa, sb, r.figure, r.label, line, r.side));
}

/**
 * over(a, b): a result whose figures are a's over b's, round by round (medians of those ratios).
 */
function over(a: CelResult, b: CelResult): CelResult {
  const sample = overSample(CelResult.sampleOf(a), CelResult.sampleOf(b));
  const { measured, stats } = aggregate(sample.runs);
  return new CelResult(measured, sample.runs.length > 1 ? stats : undefined, sample);
}

function ratioInterval(a: CelResult, b: CelResult, name: string): CelInterval {
  if (!FIGURE_NAMES.includes(name)) throw new Error(`no figure named ${name}`);
  return new CelInterval(relationInterval(CelResult.sampleOf(a), CelResult.sampleOf(b), name));
}

/** What the evaluator looks up per run: other cases' and the baseline's results. */
export type CelLookups = Pick<CelRuntime, "peer" | "baseline" | "hasBaseline">;

/** The expression language with its helpers working: expressions run here against results. */
export function runtimeEnvironment(lookups: CelLookups): Environment {
  return celEnvironment({ ...lookups, over, judge, ratioInterval });
}
