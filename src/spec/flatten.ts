/**
 * A resolved object as dotted paths and values, leaves only, in key order:
 * {buffers: {size: 600}} -> [["buffers.size", 600]]. Lists stay whole.
 */
export function flatten(value: object, prefix = ""): [string, unknown][] {
  const out: [string, unknown][] = [];
  for (const [k, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length > 0)
      out.push(...flatten(v, path));
    else out.push([path, v]);
  }
  return out;
}
