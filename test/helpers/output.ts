import { Writable } from "node:stream";
import { XMLParser } from "fast-xml-parser";

/** A stream that keeps what is written to it, for a reporter's out and err. */
export function sink() {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** XML (JUnit, SVG) as objects, attributes by their plain names. */
export const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" });

export const asList = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

type Node = Record<string, unknown>;

/** Every element named `name` under `node`, depth first. */
export function all(node: unknown, name: string): Node[] {
  if (!node || typeof node !== "object") return [];
  if (Array.isArray(node)) return node.flatMap((n) => all(n, name));
  const out: Node[] = [];
  for (const [k, v] of Object.entries(node as Node)) {
    if (k === name) out.push(...asList(v as Node | Node[]));
    out.push(...all(v, name));
  }
  return out;
}

/** Every <g> under `node` with `cls` among its classes. */
export const byClass = (node: unknown, cls: string) =>
  all(node, "g").filter((g) =>
    String(g.class ?? "")
      .split(" ")
      .includes(cls),
  );
