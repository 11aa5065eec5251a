import { readFileSync } from "node:fs";
import { LATENCY_SPANS } from "../../model/measured/latency.js";
import type { ReferenceEntry } from "../../model/reference.js";
import { specKeyEntries } from "../reference.js";
import type { JsonSchema } from "../schema.js";
import { CASE_SCHEMA, CEL_HELPERS } from "./environment.js";
import { FIGURE_FIELDS } from "./figures.js";
import { LATENCY_FIELDS } from "./latency.js";
import { SEARCH_DOCS, SEARCH_SCHEMA } from "./search-schema.js";

/**
 * The CEL reference (docs/reference/cel.md, `zcspec explain result.rps`):
 * every variable, field and helper of the environment `expect` is checked
 * in, read from the tables that environment is built from, with each
 * field's meaning and unit from the spec schema (case) or the results
 * schema (result, search).
 */

const RESULTS: JsonSchema = JSON.parse(
  readFileSync(new URL("../../../schema/results.schema.json", import.meta.url), "utf8"),
);

function resultsNode(def: string, field: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = RESULTS.$defs?.[def];
  for (const key of field.split(".")) node = node?.properties?.[key];
  return node;
}

type Shape = string | { readonly [k: string]: Shape };

const celType = (s: Shape): string => (typeof s === "string" ? s : "map");

function leaves(shape: Shape, path: string[]): [string[], Shape][] {
  const here: [string[], Shape][] = [[path, shape]];
  if (typeof shape === "string") return here;
  return [...here, ...Object.entries(shape).flatMap(([k, s]) => leaves(s, [...path, k]))];
}

function caseEntries(): ReferenceEntry[] {
  const keys = new Map(specKeyEntries().map((e) => [e.name, e]));
  return leaves(CASE_SCHEMA, []).flatMap(([path, shape]) => {
    if (path.length === 0) return [];
    const name = path.join(".");
    // times are ns ints in CEL (duration_ns); the spec key is the name without the suffix
    const key = name.replace(/_ns$/, "");
    const spec = keys.get(key);
    const type = spec?.facts.find(([l]) => l === "type")?.[1];
    const unit = name.endsWith("_ns")
      ? "ns"
      : type === "size"
        ? "bytes"
        : spec?.facts.find(([l]) => l === "unit")?.[1];
    const facts: [string, string][] = [["CEL type", celType(shape)]];
    if (unit) facts.push(["unit", unit]);
    if (spec) facts.push(["spec key", `\`${key}\` (zcspec explain ${key})`]);
    const description = spec
      ? `The case's resolved \`${key}\`. ${spec.description}`
      : name === "matrix"
        ? 'The matrix values that made this case, by dotted path: case.matrix["buffers.size"].'
        : name === "adaptive"
          ? "An adaptive repeat's max and until (a fraction); absent for a fixed count."
          : name.startsWith("kernel")
            ? (KERNEL_FIELDS[name] ?? `The case's ${name}.`)
            : `The case's ${name}.`;
    return [{ name: `case.${name}`, facts, description }];
  });
}

/** `case.kernel`: what a `--kernel` run (docs/kernels.md) puts on every case. */
const KERNEL_FIELDS: Record<string, string> = {
  kernel:
    "The kernel a `--kernel` run booted for this case (also `case.matrix.kernel`); absent in a " +
    "run without --kernel (`has(case.kernel)` tells).",
  "kernel.name": "What the run calls the kernel: the image's name without `vmlinuz-`, or `host`.",
  "kernel.release": "The kernel's `uname -r`, as the guest reported it.",
  "kernel.configHash": "sha256 of the build's .config (first 16 hex digits); empty without one.",
  "kernel.accelerator":
    "`kvm`, `tcg` (the CPU emulated: rates measure the emulator) or `host` (no VM).",
};

function resultEntries(): ReferenceEntry[] {
  const figures = FIGURE_FIELDS.map(({ name, field }): ReferenceEntry => {
    const node = resultsNode("measured", field);
    return {
      name: `result.${name}`,
      facts: [
        ["CEL type", "double"],
        ["results JSON", `measured.${field}`],
      ],
      description: (
        `${node?.description ?? ""} With repeat, the median of the runs. ` +
        "Absent where the case has none (an expression reading it then fails)."
      ).trim(),
      example: { lang: "cel", text: `result.${name} > 0.0` },
    };
  });
  const histogram = RESULTS.$defs?.latencyHistogram?.properties ?? {};
  const latency = LATENCY_SPANS.flatMap((span): ReferenceEntry[] => [
    {
      name: `result.latency.${span}`,
      facts: [
        ["CEL type", "LatencySpan"],
        ["fields", LATENCY_FIELDS.join(", ")],
        ["unit", "ns (count: requests)"],
      ],
      description:
        `${resultsNode("measured", "latency")?.description ?? ""} Absent where the ` +
        `case did not time it: guard with where: has(result.latency.${span}).`,
      example: { lang: "cel", text: `result.latency.${span}.p99 < 50000.0` },
    },
    ...LATENCY_FIELDS.map(
      (f): ReferenceEntry => ({
        name: `result.latency.${span}.${f}`,
        facts: [
          ["CEL type", "double"],
          ["unit", f === "count" ? "requests" : "ns"],
        ],
        description:
          histogram[f]?.description ?? `The ${f} of the ${span} span (see result.latency.${span}).`,
      }),
    ),
  ]);
  const spread = (["min", "max", "stddev"] as const).map(
    (s): ReferenceEntry => ({
      name: `result.${s}`,
      facts: [["CEL type", "Figures (every result figure, no latency)"]],
      description: `The ${s} of every figure across the repetitions (result.${s}.rps).`,
    }),
  );
  return [
    {
      name: "result",
      facts: [["CEL type", "Result"]],
      description:
        "The figures the case is judged by (doubles); with repeat, each is the median of the " +
        "runs. peer(...), baseline(case) and over(...) return the same type.",
    },
    ...figures,
    {
      name: "result.schedule_kept",
      facts: [
        ["CEL type", "bool"],
        ["results JSON", "measured.scheduleKept"],
      ],
      description: (
        `${resultsNode("measured", "scheduleKept")?.description ?? ""} Absent for an unpaced ` +
        "case: guard with where: has(result.schedule_kept)."
      ).trim(),
      example: { lang: "cel", text: "result.schedule_kept" },
    },
    {
      name: "result.runs",
      facts: [["CEL type", "int"]],
      description: "How many runs the figures are over.",
    },
    ...spread,
    {
      name: "result.latency",
      facts: [["CEL type", "Latency"]],
      description: `The per-request latency spans the case timed: ${LATENCY_SPANS.join(", ")}.`,
    },
    ...latency,
  ];
}

function searchEntries(): ReferenceEntry[] {
  return leaves(SEARCH_SCHEMA, []).flatMap(([path, shape]) => {
    if (path.length === 0) return [];
    const name = path.join(".");
    // a point's fields (at_from.value) are described once, on the point
    const description = SEARCH_DOCS[name] ?? SEARCH_DOCS[path.slice(0, -1).join(".")] ?? "";
    return [{ name: `search.${name}`, facts: [["CEL type", celType(shape)]], description }];
  });
}

/** Every CEL name an expectation may use, with what it means. */
export function celEntries(): ReferenceEntry[] {
  return [
    {
      name: "case",
      facts: [["CEL type", "map"]],
      description:
        "The case's resolved parameters, as in the spec (snake_case; sizes in bytes and times in " +
        "ns as ints).",
      example: { lang: "cel", text: 'case.mode == "send_zc" && case.buffers.size >= 8000' },
    },
    ...caseEntries(),
    ...resultEntries(),
    {
      name: "search",
      facts: [["CEL type", "map"]],
      description:
        "A break-even search's outcome: an expectation that reads it is checked once, after the " +
        "search, and reads nothing else.",
      example: { lang: "cel", text: "has(search.wins_from) && search.wins_from <= 16384.0" },
    },
    ...searchEntries(),
    ...CEL_HELPERS.map(
      (h): ReferenceEntry => ({
        name: h.call.slice(0, h.call.indexOf("(")),
        facts: [
          ["call", `\`${h.call}\``],
          ["returns", h.returns],
        ],
        description: h.what,
      }),
    ),
  ];
}
