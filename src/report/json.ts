import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { UsageError } from "../model/errors.js";
import type { SuiteResult } from "../model/results.js";
import { toolVersion } from "../version.js";
import type { ReportFormat } from "./format.js";
import { jsonText } from "./json-text.js";

export const RESULTS_FORMAT = "zcspec-results";
/** The results file format's version: readResults refuses another. */
export const RESULTS_VERSION = 1;

/** The results file: a SuiteResult with its format name and version (schema/results.schema.json). */
export interface ResultsDocument extends SuiteResult {
  format: typeof RESULTS_FORMAT;
  version: typeof RESULTS_VERSION;
  zcspec: string;
}

const SCHEMA_URL = new URL("../../schema/results.schema.json", import.meta.url);
let validator: ValidateFunction | undefined;

/** Checks a parsed results document against schema/results.schema.json. */
export function validateResults(data: unknown): string[] {
  validator ??= new Ajv2020({ allErrors: true, strict: false }).compile(
    JSON.parse(readFileSync(SCHEMA_URL, "utf8")),
  );
  if (validator(data)) return [];
  return (validator.errors ?? []).map(
    (e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`,
  );
}

export function toDocument(suite: SuiteResult): ResultsDocument {
  return { format: RESULTS_FORMAT, version: RESULTS_VERSION, zcspec: toolVersion(), ...suite };
}

/** `--json FILE`: the results file, which `zcspec report` and `--baseline` read back. */
export const jsonFormat: ReportFormat = {
  name: "json",
  description: "the whole run, every figure and check (schema/results.schema.json)",
  render: (suite) => `${jsonText(toDocument(suite))}\n`,
};

/** Read a results file written by --json or --save-baseline. */
export async function readResults(file: string): Promise<SuiteResult> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      throw new UsageError(
        `results file not found: ${file}`,
        "write one with zcspec run --json FILE",
      );
    throw new UsageError(`${file} is not JSON: ${(e as Error).message}`);
  }
  const version = (data as { version?: unknown })?.version;
  if ((data as { format?: unknown })?.format === RESULTS_FORMAT && version !== RESULTS_VERSION) {
    throw new UsageError(
      `${file} is results version ${String(version)}; this zcspec reads version ${RESULTS_VERSION}`,
      "re-run the specs with this zcspec, or use the zcspec that wrote it",
    );
  }
  const problems = validateResults(data);
  if (problems.length) {
    throw new UsageError(
      `${file} is not a zcspec results file: ${problems.slice(0, 3).join("; ")}`,
      "write one with zcspec run --json FILE",
    );
  }
  const { format: _f, version: _v, zcspec: _z, ...suite } = data as ResultsDocument;
  return suite;
}
