import type { Case } from "../model/case.js";
import type { ErrorCode, SpecDiagnostic } from "../model/errors.js";
import { MEASURED_FIGURES } from "../model/figures.js";
import type { SearchFigure, SearchSettings } from "../model/search.js";
import { type JsonSchema, paramAt, paramPaths, specSchema, validateParams } from "./schema.js";
import { caseDiagnostics } from "./semantics.js";
import type { LoadedSpec } from "./source/load.js";
import { at, type Source, type SpecPath } from "./source/locate.js";
import { closest } from "./suggest.js";
import type { CaseOrigin, SearchInput } from "./types.js";
import { parseDuration, parseSize } from "./units.js";

type Obj = Record<string, unknown>;

/** A search ready to run: its settings, and the two cases at any value of its parameter. */
export interface SearchSpec {
  settings: SearchSettings;
  /** the compare and against cases with the parameter set to `value` */
  at(value: number): { compare: Case; against: Case };
}

/** A point's repetitions where the cases' repeat is 1: a ratio needs paired rounds. */
export const SEARCH_REPEAT = { repeat: 3, adaptive: { max: 10, until: 0.02 } } as const;

/** The search cases' repetitions: the spec's, or SEARCH_REPEAT where a case would run once. */
export function withSearchRounds(c: Case): Case {
  return c.repeat > 1 || c.adaptive ? c : { ...c, ...structuredClone(SEARCH_REPEAT) };
}

/** The defaults the schema states for the optional keys. */
export const SEARCH_DEFAULTS = {
  figure: "rps",
  resolution: "5%",
  budget: "10m",
  grid: 5,
  scale: "auto",
  max_points: 24,
} as const;

/** The `figure` a spec writes (its expression name) -> the figure compared. */
const SEARCH_FIGURES: Readonly<Record<string, SearchFigure>> = {
  rps: "rps",
  cpu_ns_per_request: "cpuNsPerRequest",
  machine_cpu_ns_per_request: "machineCpuNsPerRequest",
};

/** What resolve.ts lends the search to build its cases exactly as it builds the others. */
export interface CaseBuilder {
  /** the merged defaults (schema, extended files, this spec) */
  base: Obj;
  merge(base: Obj, over: Obj): Obj;
  setPath(obj: Obj, dotted: string, value: unknown): Obj;
  toCase(name: string, params: Obj, matrix: Record<string, unknown>): Case;
}

const SIDES = ["compare", "against"] as const;
type SideName = (typeof SIDES)[number];

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function getPath(obj: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((o, seg) => (isObj(o) ? o[seg] : undefined), obj);
}

/** ("buffers.size", 600) -> {buffers: {size: 600}}. */
function nest(dotted: string, value: unknown): Obj {
  return dotted.split(".").reduceRight<unknown>((inner, seg) => ({ [seg]: inner }), value) as Obj;
}

const SIZE = JSON.stringify((specSchema.$defs?.size as JsonSchema | undefined)?.oneOf);

/**
 * How a parameter holds a number: a byte count (sizes), a whole number, any number; else not
 * numeric.
 */
function numericKind(path: string): "size" | "integer" | "number" | undefined {
  const node = paramAt(path);
  if (!node) return undefined;
  if (node.oneOf && JSON.stringify(node.oneOf) === SIZE) return "size";
  if (node.type === "integer") return "integer";
  if (node.type === "number") return "number";
  return undefined;
}

function describeKind(node: JsonSchema | undefined): string {
  if (!node) return "not a parameter";
  if (node.enum) return `one of ${node.enum.map((v) => JSON.stringify(v)).join(", ")}`;
  if (node.type) return `a ${String(node.type)}`;
  if (node.oneOf) return "a duration or another non-numeric form";
  return "not a number";
}

function valueLabel(v: unknown): string {
  if (Array.isArray(v)) return v.length ? v.map(valueLabel).join("+") : "none";
  if (isObj(v)) return JSON.stringify(v);
  return String(v);
}

function leaf(path: string): string {
  return path.split(".").pop() ?? path;
}

/**
 * Check and resolve a spec's `search:` (its shape already checked by the
 * schema): the parameter is a known numeric one, the bounds are values it
 * takes in the right order, the sides name known parameters with valid
 * values and differ, and the cases at both bounds pass every case rule.
 * Every problem is located at the key or value at fault.
 */
export function resolveSearch(
  spec: LoadedSpec,
  bases: readonly LoadedSpec[],
  input: SearchInput,
  build: CaseBuilder,
): { search?: SearchSpec; diagnostics: SpecDiagnostic[] } {
  const out: SpecDiagnostic[] = [];
  const here = (path: SpecPath): Source => ({ spec, path: ["search", ...path] });
  const error = (
    code: ErrorCode,
    path: SpecPath,
    message: string,
    hint: string,
    mode: "key" | "value" = "value",
  ) => out.push(at(here(path), { code, severity: "error", message, hint }, mode));
  const paths = paramPaths().filter((p) => p !== "name");

  // the parameter: a known path that holds a number
  const param = input.parameter;
  if (!paths.includes(param)) {
    const guess = closest(param, paths);
    error(
      "ZC_SEARCH_PATH",
      ["parameter"],
      `search.parameter "${param}" names no parameter`,
      guess ? `did you mean "${guess}"?` : "a dotted parameter path such as buffers.size or batch",
    );
    return { diagnostics: out };
  }
  const kind = numericKind(param);
  if (!kind) {
    const numeric = paths.filter((p) => numericKind(p));
    error(
      "ZC_SEARCH_PARAM",
      ["parameter"],
      `search.parameter "${param}" is not a number (it is ${describeKind(paramAt(param))}): a ` +
        "search moves along a numeric parameter",
      `numeric parameters: ${numeric.join(", ")}`,
    );
    return { diagnostics: out };
  }

  // the bounds: values the parameter takes, from below to
  const bound = (key: "from" | "to"): number | undefined => {
    const written = input[key];
    if (!validateParams(nest(param, written))) {
      const e =
        validateParams.errors?.find((x) => x.keyword !== "oneOf") ?? validateParams.errors?.[0];
      const why = e?.message ? ` (${param} ${e.message})` : "";
      error(
        "ZC_SEARCH_BOUNDS",
        [key],
        `search.${key} ${JSON.stringify(written)} is not a value ${param} takes${why}`,
        paramAt(param)?.description ?? `see \`zcspec schema\` for ${param}`,
      );
      return undefined;
    }
    return kind === "size" ? parseSize(written) : Number(written);
  };
  const from = bound("from");
  const to = bound("to");
  if (from !== undefined && to !== undefined && !(from < to)) {
    error(
      "ZC_SEARCH_BOUNDS",
      ["to"],
      `search.to (${to}) is not above search.from (${from}): the bounds are ` +
        `${from === to ? "equal" : "reversed"}`,
      from === to
        ? "give a range to search, e.g. from: 512, to: 64kB"
        : `swap them: from: ${JSON.stringify(input.to)}, to: ${JSON.stringify(input.from)}`,
    );
  }

  // scale and resolution
  const scaleWritten = input.scale ?? SEARCH_DEFAULTS.scale;
  let scale: "log" | "linear" = "linear";
  if (from !== undefined && to !== undefined && from < to) {
    if (scaleWritten === "log" && !(from > 0))
      error(
        "ZC_SEARCH_BOUNDS",
        ["scale"],
        `scale: log needs bounds above 0 (from is ${from})`,
        "use scale: linear, or start the search above 0",
      );
    scale =
      scaleWritten === "auto" ? (from > 0 && to / from >= 10 ? "log" : "linear") : scaleWritten;
  }
  const resolution = parseResolution(input.resolution ?? SEARCH_DEFAULTS.resolution, kind);
  if (typeof resolution === "string") {
    error("ZC_SEARCH_BOUNDS", ["resolution"], resolution, RESOLUTION_HINT);
  } else if (from !== undefined && to !== undefined && from < to) {
    if ("relative" in resolution && !(from > 0))
      error(
        "ZC_SEARCH_BOUNDS",
        ["resolution"],
        `a relative resolution needs bounds above 0 (from is ${from})`,
        "give it in the parameter's unit instead, e.g. resolution: 2",
      );
    if ("absolute" in resolution && resolution.absolute >= to - from)
      error(
        "ZC_SEARCH_BOUNDS",
        ["resolution"],
        `search.resolution (${resolution.absolute}) is not below the width of the bounds ` +
          `(${to - from}): there would be nothing to search`,
        RESOLUTION_HINT,
      );
  }
  const grid = input.grid ?? SEARCH_DEFAULTS.grid;
  const maxPoints = input.max_points ?? SEARCH_DEFAULTS.max_points;
  if (grid > maxPoints)
    error(
      "ZC_RANGE",
      ["grid"],
      `search.grid (${grid}) is more than search.max_points (${maxPoints})`,
      "the grid's points count too: lower grid or raise max_points",
    );

  // the two sides: known parameters other than the searched one, valid values, not the same case
  const sides = {} as Record<SideName, Record<string, unknown>>;
  for (const side of SIDES) {
    sides[side] = {};
    for (const [key, value] of Object.entries(input[side] ?? {})) {
      if (!paths.includes(key)) {
        const guess = closest(key, paths);
        error(
          "ZC_SEARCH_SIDE",
          [side, key],
          `search.${side}: "${key}" names no parameter`,
          guess
            ? `did you mean "${guess}"?`
            : "keys are dotted parameter paths, e.g. mode or buffers.register",
          "key",
        );
        continue;
      }
      if (key === param || key === "repeat") {
        error(
          "ZC_SEARCH_SIDE",
          [side, key],
          key === param
            ? `search.${side} sets ${key}, the parameter the search moves along`
            : `search.${side} sets repeat: both sides of a point run the same rounds`,
          key === param
            ? "leave it out: the search sets it at every point"
            : "set repeat under defaults",
          "key",
        );
        continue;
      }
      if (!validateParams(nest(key, value))) {
        const e = validateParams.errors?.[0];
        error(
          "ZC_SEARCH_SIDE",
          [side, key],
          `search.${side}: ${JSON.stringify(value)} is not a value ${key} ` +
            `takes${e?.message ? ` (${e.message})` : ""}`,
          paramAt(key)?.description ?? `see \`zcspec schema\` for ${key}`,
        );
        continue;
      }
      sides[side][key] = value;
    }
  }
  if (out.length || from === undefined || to === undefined || typeof resolution === "string")
    return { diagnostics: out };

  // names from the sides' values, as a matrix names its cells: send_zc/size=4000
  const keys = [...new Set([...Object.keys(sides.compare), ...Object.keys(sides.against)])];
  const sideValue = (side: SideName, key: string) =>
    key in sides[side] ? sides[side][key] : getPath(build.base, key);
  const label = (side: SideName) =>
    keys
      .map((k) =>
        k === "mode"
          ? valueLabel(sideValue(side, k))
          : `${leaf(k)}=${valueLabel(sideValue(side, k))}`,
      )
      .join("/") || side;
  const labels = { compare: label("compare"), against: label("against") };
  const paramsOf = (side: SideName) =>
    Object.entries(sides[side]).reduce((p, [k, v]) => build.setPath(p, k, v), build.base);
  const params = { compare: paramsOf("compare"), against: paramsOf("against") };
  const caseAt = (side: SideName, value: number): Case => {
    const name = `${labels[side]}/${leaf(param)}=${value}`;
    const matrix: Record<string, unknown> = {};
    for (const k of keys) matrix[k] = sideValue(side, k);
    matrix[param] = value;
    return withSearchRounds(build.toCase(name, build.setPath(params[side], param, value), matrix));
  };
  const casesAt = (value: number) => ({
    compare: caseAt("compare", value),
    against: caseAt("against", value),
  });

  // the sides must differ, and the cases at both ends must pass every case rule
  const { name: _a, matrix: _ma, ...a } = caseAt("compare", from);
  const { name: _b, matrix: _mb, ...b } = caseAt("against", from);
  if (JSON.stringify(a) === JSON.stringify(b))
    error(
      "ZC_SEARCH_SIDE",
      ["against"],
      `search.compare and search.against describe the same case: ${labels.compare} against itself`,
      "the sides must differ in a parameter, " +
        "e.g. compare: { mode: send_zc } against: { mode: send }",
    );
  const ends = [from, to].flatMap((v) => [caseAt("compare", v), caseAt("against", v)]);
  const placeOf = (i: number) => ({
    side: SIDES[i % 2] as SideName,
    bound: (i < 2 ? "from" : "to") as "from" | "to",
  });
  const where = (origin: CaseOrigin, dotted: string): Source => {
    const { side, bound } = placeOf(origin.kind === "case" ? origin.index : 0);
    if (dotted === param) return here([bound]);
    if (dotted in sides[side]) return here([side, dotted]);
    for (const layer of [spec, ...bases]) {
      const defaults = (layer.data as Obj).defaults;
      if (getPath(defaults, dotted) !== undefined)
        return { spec: layer, path: ["defaults", ...dotted.split(".")] };
    }
    return here([side]);
  };
  out.push(
    ...caseDiagnostics(
      ends,
      ends.map((_, index) => ({ kind: "case", index })),
      where,
    ),
  );

  // the schema admits only SEARCH_FIGURES' names
  const figure = SEARCH_FIGURES[input.figure ?? SEARCH_DEFAULTS.figure] ?? "rps";
  const settings: SearchSettings = {
    parameter: param,
    ...(kind === "size" ? { unit: "B" as const } : {}),
    from,
    to,
    compare: sides.compare,
    against: sides.against,
    labels,
    figure,
    better: MEASURED_FIGURES[figure].better === "higher" ? "above" : "below",
    resolution,
    budgetMs: parseDuration(input.budget ?? SEARCH_DEFAULTS.budget) / 1e6,
    grid,
    scale,
    integer: kind !== "number",
    maxPoints,
  };
  return { search: { settings, at: casesAt }, diagnostics: out };
}

const RESOLUTION_HINT =
  "relative, as a percentage (resolution: 5% stops when the bracket's high end is within 5 % of " +
  "its low end), or absolute, in the parameter's unit (resolution: 256)";

/** "5%" -> relative 0.05; 256 or "1KiB" (sizes) -> absolute; a message when neither. */
function parseResolution(
  v: number | string,
  kind: "size" | "integer" | "number",
): SearchSettings["resolution"] | string {
  if (typeof v === "string" && /%\s*$/.test(v)) {
    const pct = Number.parseFloat(v);
    if (!(pct > 0 && pct < 100))
      return `search.resolution ${JSON.stringify(v)} must be more than 0 % and less than 100 %`;
    return { relative: pct / 100 };
  }
  let n: number;
  try {
    n = typeof v === "number" ? v : kind === "size" ? parseSize(v) : Number.NaN;
  } catch {
    n = Number.NaN;
  }
  if (!(n > 0))
    return (
      `search.resolution ${JSON.stringify(v)} is neither a percentage nor a positive amount ` +
      "of the parameter"
    );
  return { absolute: n };
}
