import { isMap, isNode, isPair, isScalar, isSeq, type Node } from "yaml";
import type { SpecDiagnostic } from "../../model/errors.js";
import type { LoadedSpec } from "./load.js";

export type SpecPath = readonly (string | number)[];

export interface Location {
  line: number;
  col: number;
  length: number;
}

/**
 * Where a path points in the YAML source. `at: "key"` points at the key of the
 * last segment (for unknown or misplaced keys); otherwise at the value. A path
 * that goes deeper than the document points at the deepest node that exists.
 */
export function locate(spec: LoadedSpec, path: SpecPath, at: "key" | "value" = "value"): Location {
  let node: unknown = spec.doc.contents;
  let found: Node | undefined = isNode(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) break;
      if (last && at === "key" && isNode(pair.key)) {
        found = pair.key;
        break;
      }
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
    } else {
      break;
    }
    if (!isNode(node)) break;
    found = node;
  }
  return toLocation(spec, found);
}

function toLocation(spec: LoadedSpec, node: Node | undefined): Location {
  if (!node?.range) return { line: 1, col: 1, length: 1 };
  const [start, end] = node.range;
  const pos = spec.lines.linePos(start);
  // underline at most to the end of the first line: a block value spans many
  const lineEnd = spec.text.indexOf("\n", start);
  const stop = lineEnd === -1 ? end : Math.min(end, lineEnd);
  return { line: pos.line, col: pos.col, length: Math.max(1, stop - start) };
}

/** Where a value was written: the file and the YAML path inside it. */
export interface Source {
  spec: LoadedSpec;
  path: SpecPath;
}

/** A diagnostic located at a Source. */
export function at(
  source: Source,
  d: Omit<SpecDiagnostic, "file" | "line" | "col" | "length">,
  mode: "key" | "value" = "value",
): SpecDiagnostic {
  return { ...d, file: source.spec.file, ...locate(source.spec, source.path, mode) };
}
