import { stringify } from "yaml";
import type { ReferenceEntry } from "../model/reference.js";
import { type JsonSchema, paramsSchema, specSchema } from "./schema.js";

/**
 * Reference entries read from a JSON Schema: one per key, with its type,
 * default, allowed values, unit and needs taken from the schema and its
 * description. The spec-key reference (docs/reference/spec-keys.md), the
 * results-field reference and `zcspec explain` all come from here.
 */

/** "Unit: bytes, 0..65535; 0 is off." in a description: a period ends it only before a space. */
const UNIT = /Unit: (.*?)(?<!e\.g)\.(?:\s|$)/;
const NEEDS = /Needs: (.*?)(?<!e\.g)\.(?:\s|$)/;
const KERNEL = /Linux \d+\.\d+\+?/g;

function resolver(root: JsonSchema) {
  return (s: JsonSchema): { node: JsonSchema; def?: string } => {
    const def = s.$ref?.startsWith("#/$defs/") ? s.$ref.slice("#/$defs/".length) : undefined;
    const target = def ? root.$defs?.[def] : undefined;
    // a $ref with siblings (description, default) keeps them over the target's
    return target ? { node: { ...target, ...s, $ref: undefined }, def } : { node: s };
  };
}

const show = (v: unknown): string => (typeof v === "string" ? v : JSON.stringify(v));

function typeOf(
  s: JsonSchema,
  def: string | undefined,
  deref: ReturnType<typeof resolver>,
): string {
  if (def === "size" || def === "duration") return def;
  if (s.const !== undefined) return `the constant ${show(s.const)}`;
  if (s.enum) return "one of the allowed values";
  if (s.oneOf) {
    return s.oneOf
      .map((b) => {
        const r = deref(b);
        return typeOf(r.node, r.def, deref);
      })
      .join(" or ");
  }
  if (s.type === "array" && s.items) {
    const r = deref(s.items);
    return `list of ${r.node.enum ? "values" : typeOf(r.node, r.def, deref)}`;
  }
  if (s.type === "object" && s.additionalProperties === false && s.properties) return "mapping";
  return Array.isArray(s.type) ? s.type.join(" or ") : (s.type ?? "any");
}

function allowed(s: JsonSchema): string | undefined {
  const values = s.enum ?? (s.items as JsonSchema | undefined)?.enum;
  if (values) return values.map((v) => `\`${show(v)}\``).join(", ");
  const low = s.minimum ?? s.exclusiveMinimum;
  if (low !== undefined || s.maximum !== undefined) {
    const lo = s.exclusiveMinimum !== undefined ? `more than ${show(low)}` : show(low ?? "");
    return s.maximum !== undefined ? `${lo}..${show(s.maximum)}` : `${lo} or more`;
  }
  if (typeof s.pattern === "string") return `matching \`${s.pattern}\``;
  return undefined;
}

/** A YAML fragment that sets the key: its default, else a value it allows. */
function example(path: string[], s: JsonSchema, def: string | undefined): string | undefined {
  const values = s.enum ?? (s.items as JsonSchema | undefined)?.enum;
  let value: unknown = s.default;
  if (values && (value === undefined || (Array.isArray(value) && value.length === 0)))
    value = s.type === "array" ? [values[0]] : values[0];
  if (value === undefined && def === "size") value = "4KiB";
  if (value === undefined && def === "duration") value = "500ms";
  if (value === undefined && s.const !== undefined) value = s.const;
  if (value === undefined && (s.type === "integer" || s.type === "number")) value = s.minimum ?? 1;
  if (value === undefined || (typeof value === "object" && !Array.isArray(value))) return undefined;
  const nested = path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value);
  return stringify(nested).trimEnd();
}

export interface SchemaWalk {
  /** path segments prefixed to every key (["defaults"] for parameters) in examples */
  examplePrefix?: string[];
  /** paths not descended into (their keys are listed elsewhere) */
  stop?: readonly string[];
  /** a fact every entry of this walk carries ("set in" ...) */
  scope?: [string, string];
  /** list an object $def once, under its own name, and point to it wherever it is used */
  defsOnce?: boolean;
}

/** Every key of a schema, depth first in the schema's order. */
export function schemaEntries(
  root: JsonSchema,
  node: JsonSchema,
  walk: SchemaWalk = {},
): ReferenceEntry[] {
  const deref = resolver(root);
  const out: ReferenceEntry[] = [];
  const queued: string[] = [];
  const visit = (s: JsonSchema, path: string[], seen: readonly string[]): void => {
    const { node: n, def } = deref(s);
    if (def && seen.includes(def)) return;
    const within = def ? [...seen, def] : seen;
    const name = path.join(".");
    if (walk.defsOnce && def && path.length > 1 && n.properties) {
      if (!queued.includes(def)) queued.push(def);
      out.push({
        ...entry(n, def, path, name),
        facts: [["type", `\`${def}\`, listed under its own name`]],
      });
      return;
    }
    if (name) out.push(entry(n, def, path, name));
    if (walk.stop?.includes(name)) return;
    for (const [key, child] of Object.entries(n.properties ?? {}))
      visit(child, [...path, key], within);
    const items = n.items as JsonSchema | undefined;
    if (items && deref(items).node.properties)
      visit(items, [...path.slice(0, -1), `${path.at(-1)}[]`], within);
    for (const branch of n.oneOf ?? []) {
      const b = deref(branch).node;
      if (b.properties)
        for (const [key, child] of Object.entries(b.properties))
          visit(child, [...path, key], within);
    }
    const extra = n.additionalProperties;
    if (extra && typeof extra === "object" && extra.description)
      visit(extra, [...path, "<name>"], within);
  };
  const entry = (
    n: JsonSchema,
    def: string | undefined,
    path: string[],
    name: string,
  ): ReferenceEntry => {
    const text = n.description ?? "";
    const facts: [string, string][] = [["type", typeOf(n, def, deref)]];
    const values = allowed(n);
    if (values) facts.push(["allowed", values]);
    if (n.default !== undefined) facts.push(["default", `\`${show(n.default)}\``]);
    const unit = UNIT.exec(text)?.[1] ?? (def ? root.$defs?.[def]?.description : undefined);
    if (unit) facts.push(["unit", unit]);
    const needs = [NEEDS.exec(text)?.[1], ...(text.match(KERNEL) ?? [])].filter(Boolean);
    if (needs.length > 0) facts.push(["needs", needs.join("; ")]);
    if (walk.scope) facts.push(walk.scope);
    const yaml = example([...(walk.examplePrefix ?? []), ...path], n, def);
    return {
      name,
      facts,
      description: text,
      ...(yaml ? { example: { lang: "yaml", text: yaml } } : {}),
    };
  };
  visit(node, [], []);
  for (let i = 0; i < queued.length; i++) {
    const def = queued[i] as string;
    visit({ $ref: `#/$defs/${def}` }, [def], []);
  }
  return out;
}

/**
 * Every key of the spec language: the top-level keys, then the parameters
 * (set in defaults, in a case, or as a matrix key) by their dotted path.
 */
export function specKeyEntries(): ReferenceEntry[] {
  return [
    ...schemaEntries(specSchema, specSchema, {
      stop: ["defaults", "cases[]"],
      scope: ["set in", "the spec's top level"],
    }),
    ...schemaEntries(specSchema, paramsSchema, {
      examplePrefix: ["defaults"],
      scope: ["set in", "defaults, a case, or a matrix key (matrix: the list of values)"],
    }),
  ];
}

/** One entry as Markdown: a heading, the description, the facts, the example. */
export function renderEntry(e: ReferenceEntry, level = 3): string {
  const lines = [`${"#".repeat(level)} \`${e.name}\``, ""];
  if (e.description) lines.push(e.description, "");
  for (const [label, value] of e.facts) lines.push(`- ${label}: ${value}`);
  if (e.example) {
    const info = e.example.lang === "yaml" ? "yaml fragment" : "cel";
    lines.push("", `\`\`\`${info}`, e.example.text, "```");
  }
  return `${lines.join("\n")}\n`;
}
