import { readFileSync } from "node:fs";
import type { ValidateFunction } from "ajv/dist/2020.js";
import {
  validateDefaultsFile as defaultsFile,
  validateParams as params,
  validateSpec as spec,
} from "../../schema/zcspec.validators.js";

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
  [key: string]: unknown;
}

const SCHEMA_URL = new URL("../../schema/zcspec.schema.json", import.meta.url);

/** schema/zcspec.schema.json: the one source of truth for the spec's shape. */
export const specSchema: JsonSchema = JSON.parse(readFileSync(SCHEMA_URL, "utf8"));

// The validators are compiled from the schemas ahead of time (schema/generate.mjs):
// compiling them with ajv at start-up would cost more than the rest of `validate`.
export const validateSpecShape: ValidateFunction = spec;
/** Validates one case's parameters (a defaults block, a case, a matrix cell). */
export const validateParams: ValidateFunction = params;
/** Validates a shared defaults file named by `extends`. */
export const validateDefaultsShape: ValidateFunction = defaultsFile;

function deref(s: JsonSchema): JsonSchema {
  if (!s.$ref?.startsWith("#/$defs/")) return s;
  const target = specSchema.$defs?.[s.$ref.slice("#/$defs/".length)];
  // a $ref with siblings (description, default) keeps them over the target's
  return target ? { ...target, ...s, $ref: undefined } : s;
}

export const paramsSchema: JsonSchema = deref({ $ref: "#/$defs/params" });

/** The schema node for a dotted parameter path ("buffers.size"), if it names one. */
export function paramAt(path: string): JsonSchema | undefined {
  let node: JsonSchema | undefined = paramsSchema;
  for (const seg of path.split(".")) {
    node = node?.properties?.[seg];
    if (node) node = deref(node);
  }
  return node;
}

/** Every leaf parameter path, for "did you mean" on matrix keys. */
export function paramPaths(node: JsonSchema = paramsSchema, prefix = ""): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const d = deref(child);
    const path = prefix ? `${prefix}.${key}` : key;
    if (d.properties) out.push(...paramPaths(d, path));
    else out.push(path);
  }
  return out;
}

/** The schema defaults as one nested object (name excluded; no empty objects). */
export function schemaDefaults(node: JsonSchema = paramsSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const d = deref(child);
    if (d.properties) {
      const inner = schemaDefaults(d);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else if (d.default !== undefined) out[key] = structuredClone(d.default);
  }
  return out;
}
