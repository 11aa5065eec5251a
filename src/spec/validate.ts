import type { ErrorObject } from "ajv/dist/2020.js";
import type { ErrorCode, SpecDiagnostic } from "../model/errors.js";
import { MATRIX_REFINERS } from "./matrix.js";
import {
  type JsonSchema,
  paramPaths,
  validateDefaultsShape,
  validateParams,
  validateSpecShape,
} from "./schema.js";
import type { LoadedSpec } from "./source/load.js";
import { locate, type SpecPath } from "./source/locate.js";
import { closest } from "./suggest.js";

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

/** Keys that were renamed, by their old dotted path: the hint names the new key. */
const RENAMED: Record<string, string> = {
  // a search's measured values are its points; "probe" is the capability probe only
  "search.max_probes": "max_points",
};

/** One ajv error as a located diagnostic; `base` is where the validated object sits. */

function toDiagnostic(spec: LoadedSpec, e: ErrorObject, base: SpecPath): SpecDiagnostic {
  const path = [...base, ...pointerToPath(e.instancePath)];
  const parent = e.parentSchema as JsonSchema | undefined;
  const where = path.length ? path.join(".") : "the top level";
  const make = (
    code: ErrorCode,
    message: string,
    hint: string,
    at: SpecPath = path,
    mode: "key" | "value" = "value",
  ): SpecDiagnostic => ({
    code,
    severity: "error",
    message,
    hint,
    file: spec.file,
    ...locate(spec, at, mode),
  });

  switch (e.keyword) {
    case "additionalProperties": {
      const key = String(e.params.additionalProperty);
      const known = Object.keys(parent?.properties ?? {});
      const renamed = RENAMED[`${where}.${key}`];
      const guess = closest(key, known);
      return make(
        "ZC_UNKNOWN_KEY",
        `unknown key "${key}" in ${where}`,
        renamed
          ? `it was renamed: write "${renamed}"`
          : guess
            ? `did you mean "${guess}"?`
            : `allowed keys here: ${known.join(", ")}`,
        [...path, key],
        "key",
      );
    }
    case "required": {
      const key = String(e.params.missingProperty);
      return make(
        "ZC_MISSING_KEY",
        `missing required key "${key}" in ${where}`,
        `add "${key}:" here${key === "version" ? " (version: 1)" : ""}`,
        path,
        path.length ? "key" : "value",
      );
    }
    case "enum":
    case "const": {
      const allowed = (
        e.keyword === "enum" ? e.params.allowedValues : [e.params.allowedValue]
      ) as unknown[];
      const guess = typeof e.data === "string" ? closest(e.data, allowed.map(String)) : undefined;
      return make(
        "ZC_BAD_VALUE",
        `${JSON.stringify(e.data)} is not allowed for ${where}`,
        guess
          ? `did you mean "${guess}"? (allowed: ${quoteList(allowed)})`
          : `allowed: ${quoteList(allowed)}`,
      );
    }
    case "type":
      if (path.length === 0)
        return make(
          "ZC_TYPE",
          "a spec must be a YAML mapping of keys (version: 1, name: ...), not " +
            `${JSON.stringify(e.data)}`,
          "start from specs/examples/udp-sink.yaml; `zcspec schema` lists every key",
        );
      return make(
        "ZC_TYPE",
        `${where} must be ${e.params.type}, not ${JSON.stringify(e.data)}`,
        parent?.description ?? `write a ${e.params.type}`,
      );
    case "oneOf":
    case "pattern":
      return make(
        "ZC_FORMAT",
        `${JSON.stringify(e.data)} is not a valid value for ${where}`,
        parent?.description ?? `it must match ${String(e.params.pattern ?? "the schema")}`,
      );
    case "propertyNames":
      return make(
        "ZC_MATRIX_PATH",
        `"${String(e.params.propertyName)}" is not a parameter path`,
        "matrix keys are dotted parameter paths such as buffers.size",
        [...path, String(e.params.propertyName)],
        "key",
      );
    default:
      return make(
        "ZC_RANGE",
        `${where} ${e.message ?? "is invalid"} (got ${JSON.stringify(e.data)})`,
        parent?.description ?? "see `zcspec schema` for what is allowed",
      );
  }
}

/**
 * ajv reports every failed oneOf branch beside the oneOf itself: keep one
 * error per location, the oneOf (whose schema describes the accepted forms).
 * A mapping given where a oneOf also takes a scalar (repeat: {min, max,
 * until} or a count) chose the mapping branch: its errors (an unknown or a
 * missing key) say more than the oneOf, so they are kept instead.
 */
function collapse(errors: readonly ErrorObject[]): ErrorObject[] {
  const isMapping = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  const oneOfs = errors.filter((e) => e.keyword === "oneOf");
  // ...only where that branch said something: a mapping where no branch takes
  // one (duration: {}) keeps the oneOf, or nothing would be reported at all
  const saysMore = (path: string) =>
    errors.some(
      (e) =>
        e.keyword !== "oneOf" &&
        e.keyword !== "type" &&
        (e.instancePath === path || e.instancePath.startsWith(`${path}/`)),
    );
  const mappingAt = new Set(
    oneOfs.filter((e) => isMapping(e.data) && saysMore(e.instancePath)).map((e) => e.instancePath),
  );
  const oneOfAt = new Set(
    oneOfs.filter((e) => !mappingAt.has(e.instancePath)).map((e) => e.instancePath),
  );
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (mappingAt.has(e.instancePath) && (e.keyword === "oneOf" || e.keyword === "type"))
      return false;
    if (e.keyword !== "oneOf" && oneOfAt.has(e.instancePath)) return false;
    if (e.keyword === "propertyNames" && e.params.propertyName === undefined) return false;
    const key = `${e.instancePath}|${e.keyword}|${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** ajv's propertyNames reports the name twice (pattern + propertyNames): keep the latter. */
function dropNameNoise(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => !(e.keyword === "pattern" && e.propertyName !== undefined));
}

/**
 * Nest a matrix cell as the parameters it sets: ("buffers.size", 600) -> {buffers: {size: 600}}.
 */
function nest(dotted: string, value: unknown): Record<string, unknown> {
  return dotted
    .split(".")
    .reduceRight<unknown>((inner, seg) => ({ [seg]: inner }), value) as Record<string, unknown>;
}

function validateMatrix(spec: LoadedSpec, matrix: Record<string, unknown>): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const paths = paramPaths().filter((p) => p !== "name");
  /** a parameter path (else a located ZC_MATRIX_PATH), at `at` in the matrix */
  const known = (key: string, at: SpecPath): boolean => {
    if (paths.includes(key)) return true;
    const guess = closest(key, paths);
    out.push({
      code: "ZC_MATRIX_PATH",
      severity: "error",
      message: `matrix key "${key}" names no parameter`,
      hint: guess ? `did you mean "${guess}"?` : `parameters: ${paths.join(", ")}`,
      file: spec.file,
      ...locate(spec, ["matrix", ...at], "key"),
    });
    return false;
  };
  /** one value of a parameter, checked as the schema checks it there */
  const cell = (key: string, value: unknown, at: SpecPath) => {
    if (validateParams(nest(key, value))) return;
    for (const e of collapse(validateParams.errors ?? [])) {
      // report the cell itself, not the nested object made to check it
      const d = toDiagnostic(spec, { ...e, instancePath: "" }, ["matrix", ...at]);
      out.push({ ...d, message: d.message.replace("the top level", `matrix "${key}"`) });
    }
  };
  const pathLike = (key: string) => /^[a-z_]+(\.[a-z_]+)*$/.test(key);
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values) || !pathLike(key)) continue; // shape errors already reported
    if ((MATRIX_REFINERS as readonly string[]).includes(key)) {
      values.forEach((entry, i) => {
        if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return;
        for (const [k, v] of Object.entries(entry)) {
          if (pathLike(k) && known(k, [key, i, k])) cell(k, v, [key, i, k]);
        }
      });
      continue;
    }
    if (!known(key, [key])) continue;
    values.forEach((value, i) => {
      cell(key, value, [key, i]);
    });
  }
  return out;
}

/**
 * Schema problems of a parsed spec (or, with kind "defaults", of a shared
 * defaults file named by `extends`), every one located; [] when the shape is right.
 */
export function validateShape(
  spec: LoadedSpec,
  kind: "spec" | "defaults" = "spec",
): SpecDiagnostic[] {
  if (spec.data === undefined) return [];
  const out: SpecDiagnostic[] = [];
  const validate = kind === "spec" ? validateSpecShape : validateDefaultsShape;
  if (!validate(spec.data)) {
    for (const e of dropNameNoise(collapse(validate.errors ?? []))) {
      out.push(toDiagnostic(spec, e, []));
    }
  }
  const matrix = (spec.data as { matrix?: unknown } | null)?.matrix;
  if (kind === "spec" && matrix && typeof matrix === "object" && !Array.isArray(matrix)) {
    out.push(...validateMatrix(spec, matrix as Record<string, unknown>));
  }
  return out;
}
