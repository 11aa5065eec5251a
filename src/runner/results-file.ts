import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { UsageError } from "../model/errors.js";
import {
  RESULTS_FORMAT,
  RESULTS_VERSION,
  type ResultsDocument,
  type SuiteResult,
} from "../model/results.js";

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
