import { Environment } from "@marcbachmann/cel-js";
import type { Case } from "../../model/case.js";
import type { Estimate, RelationOutcome } from "../../model/estimate.js";
import type { Measured, RepetitionSample } from "../../model/measured/measured.js";
import type { RepeatStats } from "../../model/results.js";
import { FIGURE_NAMES, figuresOf } from "./figures.js";
import { CelLatency, registerLatency } from "./latency.js";
import { SEARCH_SCHEMA } from "./search-schema.js";

/** The case parameters as CEL sees them; keyed by Case so the two cannot drift apart. */
export const CASE_SCHEMA = {
  name: "string",
  mode: "string",
  target: "string",
  remote: { address: "string", port: "int", interface: "string" },
  socket: {
    family: "string",
    type: "string",
    connect: "bool",
    sndbuf: "int",
    nodelay: "bool",
    cork: "string",
    bind_device: "string",
    port: "int",
    zerocopy: "bool",
    gso_size: "int",
    background_poll: "bool",
    flows: "int",
    flow_order: "string",
    flow_seed: "int",
  },
  ring: {
    entries: "int",
    flags: "list<string>",
    register_ring_fd: "bool",
    fixed_files: "bool",
    poll_first: "bool",
    async: "bool",
    cqe_skip_success: "bool",
    sqpoll_idle_ns: "int",
    sqpoll_cpu: "int",
    cqsize: "int",
    iowq_cpus: "list<int>",
    napi: { busy_poll_us: "int", prefer_busy_poll: "bool" },
  },
  buffers: {
    register: "string",
    size: "int",
    count: "int",
    offset: "int",
    hugetlb: "bool",
    align: "int",
    pattern: "string",
  },
  batch: "int",
  submit: "string",
  inflight: "int",
  notifications: { reuse: "string", report_usage: "bool" },
  timestamps: { every: "int", via: "string" },
  threads: { count: "int", cpus: "list<int>" },
  duration_ns: "int",
  warmup_ns: "int",
  requests: "int",
  rate: "double",
  repeat: "int",
  adaptive: { max: "int", until: "double" },
  reference: { source: "string", rps: "double", note: "string", columns: "map" },
  mix: { weights: "map", order: "string", seed: "int" },
  receiver: {
    verify: "string",
    sample_bytes: "int",
    sample_every: "int",
    rcvbuf: "int",
    cpu: "int",
  },
  latency: { record: "string", every: "int" },
  sink: { mtu: "int" },
  pair: {
    sysctls: { optmem_max: "int", wmem_max: "int", rmem_max: "int" },
    mtu: "int",
    gro: "bool",
  },
  matrix: "map",
  kernel: { name: "string", release: "string", configHash: "string", accelerator: "string" },
} as const satisfies Record<keyof Case, unknown>;

type Schema = string | { readonly [k: string]: Schema };

/** CEL ints are BigInt and doubles are numbers: convert as the schema says. */
function toCel(value: unknown, schema: Schema): unknown {
  if (value === undefined || value === null) return value;
  if (typeof schema === "string") {
    if (schema === "int") return BigInt(Math.trunc(value as number));
    if (schema === "list<int>") return (value as number[]).map((v) => BigInt(v));
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(schema)) {
    const v = (value as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = toCel(v, s);
  }
  return out;
}

export function celCase(c: Case): unknown {
  return toCel(c, CASE_SCHEMA);
}

/** A run's figures; a class because cel-js checks custom-typed values by constructor. */
export class CelFigures {
  constructor(values: Record<string, number>) {
    Object.assign(this, values);
  }
}

/** `result`: the (median) figures plus the spread across repetitions. */
export class CelResult extends CelFigures {
  /** every repetition, for the relation helpers; not a field expressions can read */
  readonly #sample: RepetitionSample;

  /** the repetitions behind a result (faster(), cheaper(), ratio_interval() use them) */
  static sampleOf(r: CelResult): RepetitionSample {
    return r.#sample;
  }

  constructor(measured: Measured, stats?: RepeatStats, sample?: RepetitionSample) {
    super(figuresOf(measured));
    this.#sample = sample ?? { runs: [measured], origin: "run" };
    const spread = stats ?? { runs: 1, min: measured, max: measured, stddev: zeroed(measured) };
    Object.assign(this, {
      latency: new CelLatency(measured.latency),
      // paced cases only: absent otherwise, so reading it errs (guard with has())
      ...(measured.scheduleKept === undefined ? {} : { schedule_kept: measured.scheduleKept }),
      runs: BigInt(spread.runs),
      min: new CelFigures(figuresOf(spread.min)),
      max: new CelFigures(figuresOf(spread.max)),
      stddev: new CelFigures(figuresOf(spread.stddev)),
    });
  }
}

/**
 * What faster() and cheaper() return: not a boolean but a verdict (held,
 * failed or inconclusive) the evaluator turns into the check's outcome. It
 * has no fields and no operators, so it can only be a `that` on its own.
 */
export class CelVerdict {
  constructor(readonly outcome: RelationOutcome) {}
}

/** What ratio_interval() returns: the ratio with its interval's bounds, plain doubles. */
export class CelInterval {
  readonly #estimate: Estimate;

  static estimateOf(i: CelInterval): Estimate {
    return i.#estimate;
  }

  constructor(e: Estimate) {
    this.#estimate = e;
    Object.assign(this, {
      value: e.value,
      low: e.low,
      high: e.high,
      level: e.level,
      n: BigInt(e.n),
    });
  }
}

/** The helpers whose value is a verdict: a `that` must be one call of one of them, alone. */
export const VERDICT_HELPERS = ["faster", "cheaper"] as const;
export type VerdictHelper = (typeof VERDICT_HELPERS)[number];

function zeroed(m: Measured): Measured {
  const f = (v: unknown): unknown =>
    typeof v === "number"
      ? 0
      : v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(x)]))
        : v;
  return f(m) as Measured;
}

/**
 * What the helpers do when an expression runs: the evaluator (assert/)
 * supplies it per run. Compiling needs only their signatures, so the
 * language is declared here, below the stage that judges with it.
 */
export interface CelRuntime {
  /** the result of the case named `caseName` with `params` (dotted paths) changed */
  peer(caseName: string, params: Record<string, unknown>): CelResult;
  baseline(caseName: string): CelResult;
  hasBaseline(caseName: string): boolean;
  /** a's figures over b's, round by round */
  over(a: CelResult, b: CelResult): CelResult;
  /** faster() or cheaper(), by a factor (1 if absent), on a named figure (cheaper: "machine") */
  judge(kind: VerdictHelper, a: CelResult, b: CelResult, by?: unknown, figure?: string): CelVerdict;
  /** the ratio of a figure of a over b's, with its interval */
  ratioInterval(a: CelResult, b: CelResult, figure: string): CelInterval;
}

const noResults = (): never => {
  throw new Error("no case results to look up or judge here");
};

/** Compiling, and judging a search (which sees `search` alone): no case results to use. */
const NO_RESULTS: CelRuntime = {
  peer: noResults,
  baseline: noResults,
  hasBaseline: () => false,
  over: noResults,
  judge: noResults,
  ratioInterval: noResults,
};

function caseName(c: unknown): string {
  const m = c as { get?(k: string): unknown; name?: unknown };
  return String(m.get ? m.get("name") : m.name);
}

function entries(map: unknown): Record<string, unknown> {
  if (map instanceof Map) return Object.fromEntries(map);
  return { ...(map as Record<string, unknown>) };
}

/** The helpers, as the error hints and the CEL reference list them. */
export const CEL_HELPERS = [
  {
    call: "peer(case, {path: value, ...})",
    returns: "Result",
    what:
      "the result of the case that differs from this one in exactly the named parameters " +
      '(dotted paths, e.g. "buffers.size": 4000)',
  },
  {
    call: "peer(case, path, value)",
    returns: "Result",
    what:
      'the same for one parameter, without a map literal (whose ": " a plain YAML value ' +
      "cannot hold)",
  },
  { call: "baseline(case)", returns: "Result", what: "this case's result in the --baseline file" },
  {
    call: "has_baseline(case)",
    returns: "bool",
    what: "whether the --baseline file has this case (use it in where)",
  },
  { call: "ratio(a, b)", returns: "double", what: "a / b" },
  {
    call: "percent(a, b)",
    returns: "double",
    what: "(a - b) / b * 100, the change from b to a in per cent",
  },
  {
    call: "over(a, b)",
    returns: "Result",
    what:
      "a result whose every figure is a's over b's, round by round, to compare two " +
      "relations: cheaper(over(x, y), over(z, w))",
  },
  {
    call: "faster(a, b[, by])",
    returns: "Verdict",
    what:
      "held, failed or inconclusive: is a's requests/s above b's (at least by times b's), " +
      "judged on the 95 % interval of their ratio; the whole `that`, never part of an expression",
  },
  {
    call: "cheaper(a, b[, by])",
    returns: "Verdict",
    what:
      "held, failed or inconclusive: is a's CPU per request below b's (at most 1/by of b's: " +
      "cheaper(a, b, 2) is half the CPU); the sender threads' CPU (cpu_ns_per_request); " +
      "the whole `that`",
  },
  {
    call: 'cheaper(a, b, "machine"[, by])',
    returns: "Verdict",
    what:
      "the same judged on the whole machine's CPU per request (machine_cpu_ns_per_request: " +
      'softirqs, the receiver and all else that ran included); "sender" names the default',
  },
  {
    call: 'ratio_interval(a, b, "figure")',
    returns: "Interval",
    what:
      "the ratio a / b of one figure (any result figure name) with its interval: .value, " +
      ".low, .high, .level (doubles) and .n (int)",
  },
] as const;

/**
 * The CEL environment every `expect` entry is checked in: `case` and
 * `result` declared with their fields (so a typo is a compile error), every
 * figure a double, ints mixing with doubles in == and arithmetic (so
 * `result.errors == 0` reads as written), and the helpers.
 */
export function celEnvironment(runtime: CelRuntime = NO_RESULTS): Environment {
  const figures = Object.fromEntries(FIGURE_NAMES.map((n) => [n, "double"]));
  const env = registerLatency(new Environment({ homogeneousAggregateLiterals: false }))
    .registerType("Figures", { ctor: CelFigures, fields: figures })
    .registerType("Result", {
      ctor: CelResult,
      fields: {
        ...figures,
        latency: "Latency",
        schedule_kept: "bool",
        runs: "int",
        min: "Figures",
        max: "Figures",
        stddev: "Figures",
      },
    })
    .registerType("Verdict", { ctor: CelVerdict, fields: {} })
    .registerType("Interval", {
      ctor: CelInterval,
      fields: { value: "double", low: "double", high: "double", level: "double", n: "int" },
    })
    .registerVariable({ name: "case", schema: CASE_SCHEMA as never })
    .registerVariable("result", "Result")
    // a break-even search's outcome (assert/search-expect.ts); expressions about it see it alone
    .registerVariable({ name: "search", schema: SEARCH_SCHEMA as never })
    .registerFunction("peer(dyn, map): Result", (c: unknown, params: unknown) =>
      runtime.peer(caseName(c), entries(params)),
    )
    // the same without a map literal, whose ": " a plain YAML scalar cannot hold
    .registerFunction("peer(dyn, string, dyn): Result", (c: unknown, path: string, v: unknown) =>
      runtime.peer(caseName(c), { [path]: v }),
    )
    .registerFunction("baseline(dyn): Result", (c: unknown) => runtime.baseline(caseName(c)))
    .registerFunction("has_baseline(dyn): bool", (c: unknown) => runtime.hasBaseline(caseName(c)))
    .registerFunction("ratio(dyn, dyn): double", (a: unknown, b: unknown) => Number(a) / Number(b))
    .registerFunction(
      "percent(dyn, dyn): double",
      (a: unknown, b: unknown) => ((Number(a) - Number(b)) / Number(b)) * 100,
    )
    .registerFunction("over(Result, Result): Result", (a: CelResult, b: CelResult) =>
      runtime.over(a, b),
    )
    // relations judged on their interval: a verdict, not a boolean
    .registerFunction("faster(Result, Result): Verdict", (a: CelResult, b: CelResult) =>
      runtime.judge("faster", a, b),
    )
    .registerFunction("faster(Result, Result, dyn): Verdict", (a: CelResult, b: CelResult, by) =>
      runtime.judge("faster", a, b, by),
    )
    .registerFunction("cheaper(Result, Result): Verdict", (a: CelResult, b: CelResult) =>
      runtime.judge("cheaper", a, b),
    )
    // the third argument is a factor, or the name of the CPU figure to judge
    .registerFunction("cheaper(Result, Result, dyn): Verdict", (a: CelResult, b: CelResult, x) =>
      typeof x === "string"
        ? runtime.judge("cheaper", a, b, undefined, x)
        : runtime.judge("cheaper", a, b, x),
    )
    .registerFunction(
      "cheaper(Result, Result, string, dyn): Verdict",
      (a: CelResult, b: CelResult, figure: string, by) =>
        runtime.judge("cheaper", a, b, by, figure),
    )
    .registerFunction(
      "ratio_interval(Result, Result, string): Interval",
      (a: CelResult, b: CelResult, name: string) => runtime.ratioInterval(a, b, name),
    );
  // == is registered once: cel-js derives int == double (and both !=) from it
  env.registerOperator("double == int", (a: number, b: bigint) => a === Number(b));
  const arithmetic: [string, (a: number, b: number) => number][] = [
    ["+", (a, b) => a + b],
    ["-", (a, b) => a - b],
    ["*", (a, b) => a * b],
    ["/", (a, b) => a / b],
  ];
  for (const [op, f] of arithmetic) {
    env.registerOperator(`double ${op} int`, (a: number, b: bigint) => f(a, Number(b)));
    env.registerOperator(`int ${op} double`, (a: bigint, b: number) => f(Number(a), b));
  }
  return env;
}
