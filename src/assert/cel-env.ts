import { Environment } from "@marcbachmann/cel-js";
import type { Case } from "../model/case.js";
import type { Measured } from "../model/measured.js";
import type { RepeatStats } from "../model/results.js";
import { FIGURE_NAMES, figuresOf } from "./figures.js";

/** The case parameters as CEL sees them; keyed by Case so the two cannot drift apart. */
const CASE_SCHEMA = {
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
  threads: { count: "int", cpus: "list<int>" },
  duration_ns: "int",
  warmup_ns: "int",
  requests: "int",
  repeat: "int",
  reference: { source: "string", rps: "double", note: "string", columns: "map" },
  matrix: "map",
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
  constructor(measured: Measured, stats?: RepeatStats) {
    super(figuresOf(measured));
    const spread = stats ?? { runs: 1, min: measured, max: measured, stddev: zeroed(measured) };
    Object.assign(this, {
      runs: BigInt(spread.runs),
      min: new CelFigures(figuresOf(spread.min)),
      max: new CelFigures(figuresOf(spread.max)),
      stddev: new CelFigures(figuresOf(spread.stddev)),
    });
  }
}

function zeroed(m: Measured): Measured {
  const f = (v: unknown): unknown =>
    typeof v === "number"
      ? 0
      : v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, f(x)]))
        : v;
  return f(m) as Measured;
}

/** What the helpers look up; the evaluator supplies it per run. */
export interface CelLookups {
  /** the result of the case named `caseName` with `params` (dotted paths) changed */
  peer(caseName: string, params: Record<string, unknown>): CelResult;
  baseline(caseName: string): CelResult;
  hasBaseline(caseName: string): boolean;
}

const NO_LOOKUPS: CelLookups = {
  peer: () => {
    throw new Error("no results to look up while compiling");
  },
  baseline: () => {
    throw new Error("no baseline while compiling");
  },
  hasBaseline: () => false,
};

function caseName(c: unknown): string {
  const m = c as { get?(k: string): unknown; name?: unknown };
  return String(m.get ? m.get("name") : m.name);
}

function entries(map: unknown): Record<string, unknown> {
  if (map instanceof Map) return Object.fromEntries(map);
  return { ...(map as Record<string, unknown>) };
}

/** Names of the helpers, as the docs and error hints list them. */
export const CEL_HELPERS = [
  "peer(case, {path: value, ...})",
  "peer(case, path, value)",
  "baseline(case)",
  "has_baseline(case)",
  "ratio(a, b)",
  "percent(a, b)",
] as const;

/**
 * The CEL environment every `expect` entry is checked in: `case` and
 * `result` declared with their fields (so a typo is a compile error), every
 * figure a double, ints mixing with doubles in == and arithmetic (so
 * `result.errors == 0` reads as written), and the helpers.
 */
export function celEnvironment(lookups: CelLookups = NO_LOOKUPS): Environment {
  const figures = Object.fromEntries(FIGURE_NAMES.map((n) => [n, "double"]));
  const env = new Environment({ homogeneousAggregateLiterals: false })
    .registerType("Figures", { ctor: CelFigures, fields: figures })
    .registerType("Result", {
      ctor: CelResult,
      fields: { ...figures, runs: "int", min: "Figures", max: "Figures", stddev: "Figures" },
    })
    .registerVariable({ name: "case", schema: CASE_SCHEMA as never })
    .registerVariable("result", "Result")
    .registerFunction("peer(dyn, map): Result", (c: unknown, params: unknown) =>
      lookups.peer(caseName(c), entries(params)),
    )
    // the same without a map literal, whose ": " a plain YAML scalar cannot hold
    .registerFunction("peer(dyn, string, dyn): Result", (c: unknown, path: string, v: unknown) =>
      lookups.peer(caseName(c), { [path]: v }),
    )
    .registerFunction("baseline(dyn): Result", (c: unknown) => lookups.baseline(caseName(c)))
    .registerFunction("has_baseline(dyn): bool", (c: unknown) => lookups.hasBaseline(caseName(c)))
    .registerFunction("ratio(dyn, dyn): double", (a: unknown, b: unknown) => Number(a) / Number(b))
    .registerFunction(
      "percent(dyn, dyn): double",
      (a: unknown, b: unknown) => ((Number(a) - Number(b)) / Number(b)) * 100,
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
