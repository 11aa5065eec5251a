/**
 * The spec as written (after YAML parsing). schema/zcspec.schema.json is the
 * truth for this form; src/model/case.ts holds the resolved Case.
 */

/** One block of parameters as written: defaults, a case, a matrix cell. */
export type ParamsInput = Record<string, unknown>;

/** The `search:` section as written (schema/zcspec.schema.json is the truth). */
export interface SearchInput {
  parameter: string;
  from: number | string;
  to: number | string;
  compare: ParamsInput;
  against: ParamsInput;
  figure?: "rps" | "cpu_ns_per_request";
  resolution?: number | string;
  budget?: number | string;
  grid?: number;
  scale?: "auto" | "log" | "linear";
  max_points?: number;
}

export interface ExpectInput {
  name?: string;
  where?: string;
  that: string;
}

export interface SpecInput {
  version: 1;
  name: string;
  description?: string;
  extends?: string;
  defaults?: ParamsInput;
  matrix?: Record<string, unknown[]>;
  cases?: (ParamsInput & { name: string })[];
  expect?: ExpectInput[];
  order?: "interleaved" | "sequential";
  kernels?: string[];
  search?: SearchInput;
  report?: { title?: string; interval?: number | string };
}

/** Where a case came from, so later checks can point at the line that set a value. */
export type CaseOrigin =
  | {
      kind: "matrix";
      indexes: Record<string, number>;
      /** keys a matrix include entry added, with the entry's index */
      included?: Record<string, number>;
    }
  | { kind: "case"; index: number };
