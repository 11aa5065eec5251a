import { sameValue } from "../model/case.js";
import type { SpecDiagnostic } from "../model/errors.js";
import type { LoadedSpec } from "./source/load.js";
import { locate } from "./source/locate.js";

type Obj = Record<string, unknown>;

/** The keys of `matrix:` that refine the product instead of naming a parameter. */
export const MATRIX_REFINERS = ["exclude", "include"] as const;

/** One combination of the matrix, with what include added to it. */
export interface MatrixCell {
  /** every value the cell sets, by dotted path: the matrix keys', then include's */
  values: Record<string, unknown>;
  /** each matrix key's value, as an index into its list */
  indexes: Record<string, number>;
  /** each key an include entry added, with that entry's index */
  included: Record<string, number>;
  /** "send_zc/size=600": the matrix keys' values only, so an include renames nothing */
  name: string;
}

export interface ExpandedMatrix {
  /** the parameter keys (not include/exclude), in the order written */
  keys: string[];
  cells: MatrixCell[];
  /** include or exclude entries that match no combination, or name no matrix key */
  diagnostics: SpecDiagnostic[];
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function valueLabel(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.map(valueLabel).join("+") : "none";
  if (isObj(value)) return JSON.stringify(value);
  return String(value);
}

/**
 * Case names from matrix cells: "send_zc/size=600". A key is shortened to its
 * last segment unless two keys share it (socket.port and remote.port).
 */
function cellLabeller(keys: readonly string[]): (values: Record<string, unknown>) => string {
  const leaf = (k: string) => k.split(".").pop() ?? k;
  const label = (k: string) =>
    keys.filter((other) => leaf(other) === leaf(k)).length > 1 ? k : leaf(k);
  return (values) =>
    keys
      .filter((k) => k in values)
      .map((k) => (k === "mode" ? valueLabel(values[k]) : `${label(k)}=${valueLabel(values[k])}`))
      .join("/");
}

/** Every combination of the matrix values, first key slowest (the order a table reads). */
function product(keys: readonly string[], matrix: Obj): Record<string, number>[] {
  let rows: Record<string, number>[] = [{}];
  for (const key of keys) {
    const values = matrix[key] as unknown[];
    rows = rows.flatMap((row) => values.map((_, i) => ({ ...row, [key]: i })));
  }
  return rows;
}

function entries(matrix: Obj, which: (typeof MATRIX_REFINERS)[number]): Obj[] {
  const list = matrix[which];
  return Array.isArray(list) ? list.filter(isObj) : [];
}

/**
 * The matrix's cells: the product of its keys, less what `exclude` drops,
 * with what `include` adds (GitHub Actions' semantics, except that an entry
 * matching no combination is an error rather than a new combination:
 * explicit cases are zcspec's way to add one). Entries whose values are not
 * schema-valid were reported by validate; here they only fail to match.
 */
export function expandMatrix(spec: LoadedSpec, matrix: Obj): ExpandedMatrix {
  const refiners: readonly string[] = MATRIX_REFINERS;
  const keys = Object.keys(matrix).filter((k) => !refiners.includes(k) && Array.isArray(matrix[k]));
  const diagnostics: SpecDiagnostic[] = [];
  const problem = (path: (string | number)[], message: string, hint: string, at: "key" | "value") =>
    diagnostics.push({
      code: "ZC_MATRIX_ENTRY",
      severity: "error",
      message,
      hint,
      file: spec.file,
      ...locate(spec, ["matrix", ...path], at),
    });
  const taken = (k: string) => (matrix[k] as unknown[]).map(valueLabel).join(", ");
  /** a key of the entry whose value no combination has, for the diagnostic */
  const stray = (entry: Obj) =>
    Object.keys(entry).find(
      (k) => keys.includes(k) && !(matrix[k] as unknown[]).some((v) => sameValue(v, entry[k])),
    );

  let cells = product(keys, matrix).map((indexes) => {
    const values: Record<string, unknown> = {};
    for (const k of keys) values[k] = (matrix[k] as unknown[])[indexes[k] as number];
    return { values, indexes, included: {} as Record<string, number> };
  });

  entries(matrix, "exclude").forEach((entry, i) => {
    const notKey = Object.keys(entry).find((k) => !keys.includes(k));
    if (notKey !== undefined) {
      problem(
        ["exclude", i, notKey],
        `exclude entry ${i + 1} names "${notKey}", which is not a key of this matrix`,
        `exclude keys are matrix keys: ${keys.join(", ") || "(none)"}`,
        "key",
      );
      return;
    }
    const before = cells.length;
    cells = cells.filter((c) => !Object.keys(entry).every((k) => sameValue(c.values[k], entry[k])));
    if (cells.length < before) return;
    const k = stray(entry);
    problem(
      k ? ["exclude", i, k] : ["exclude", i],
      `exclude entry ${i + 1} matches no combination of the matrix`,
      k
        ? `${k} takes ${taken(k)} here (values compare as written)`
        : "another exclude entry already dropped every combination it matches",
      "value",
    );
  });

  entries(matrix, "include").forEach((entry, i) => {
    const own = Object.keys(entry).filter((k) => keys.includes(k));
    let matched = 0;
    for (const c of cells) {
      // GitHub Actions: an entry never overwrites a matrix value, it joins where they agree
      if (!own.every((k) => sameValue(c.values[k], entry[k]))) continue;
      matched++;
      for (const [k, v] of Object.entries(entry)) {
        if (own.includes(k)) continue;
        c.values[k] = v;
        c.included[k] = i;
      }
    }
    if (matched) return;
    const k = stray(entry);
    problem(
      k ? ["include", i, k] : ["include", i],
      `include entry ${i + 1} matches no combination of the matrix`,
      `${k ? `${k} takes ${taken(k)} here (values compare as written); ` : ""}to add a case of ` +
        "its own, write it under cases:",
      "value",
    );
  });

  const label = cellLabeller(keys);
  return {
    keys,
    cells: cells.map((c) => ({ ...c, name: label(c.values) })),
    diagnostics,
  };
}
