import { type Case, sameValue, valueAt } from "../model/case.js";
import { LookupError } from "../model/errors.js";

/** The peer has not run yet: evaluate this expectation again after the last case. */
export class PeerPending extends Error {}

/** Everything but the identity fields and the changed paths, for a tie-break. */
function rest(c: Case, changed: readonly string[]): string {
  const { name: _n, matrix: _m, reference: _r, ...params } = c;
  const copy = structuredClone(params) as Record<string, unknown>;
  for (const path of changed) {
    const segs = path.split(".");
    const last = segs.pop() as string;
    const parent = segs.reduce<unknown>(
      (o, s) => (o && typeof o === "object" ? (o as Record<string, unknown>)[s] : undefined),
      copy,
    );
    if (parent && typeof parent === "object") delete (parent as Record<string, unknown>)[last];
  }
  return JSON.stringify(copy);
}

function describe(params: Record<string, unknown>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === "bigint" ? Number(v) : JSON.stringify(v)}`)
    .join(", ");
}

/**
 * The case that differs from `self` in exactly `params` (dotted parameter
 * paths): the same matrix cell but for those values, and where explicit
 * cases make that ambiguous, the one whose other parameters are all equal.
 */
export function findPeer(
  cases: readonly Case[],
  self: Case,
  params: Record<string, unknown>,
): Case {
  const changed = Object.keys(params);
  let found = cases.filter(
    (c) =>
      changed.every((p) => sameValue(valueAt(c, p), params[p])) &&
      Object.keys(self.matrix)
        .filter((p) => !changed.includes(p))
        .every((p) => sameValue(valueAt(c, p), valueAt(self, p))),
  );
  if (found.length > 1) {
    const mine = rest(self, changed);
    const exact = found.filter((c) => rest(c, changed) === mine);
    if (exact.length > 0) found = exact;
  }
  if (found.length === 1 && found[0] === self) {
    throw new LookupError(
      `peer(${describe(params)}) of ${self.name} is ${self.name} itself: name a parameter it ` +
        "differs in",
      false,
    );
  }
  if (found.length === 1) return found[0] as Case;
  if (found.length === 0) {
    throw new LookupError(`no case of this spec has ${describe(params)} like ${self.name}`, false);
  }
  throw new LookupError(
    `peer(${describe(params)}) of ${self.name} is ambiguous: ` +
      `${found.map((c) => c.name).join(", ")}; name more parameters`,
    false,
  );
}
