import { remoteRefusal } from "../env/remote.js";
import type { Case, TargetKind } from "../model/case.js";
import { EnvError } from "../model/errors.js";
import type { ValidSpec } from "../spec/read.js";
import type { SearchSpec } from "../spec/search.js";
import type { RunOptions } from "./options.js";

/** What a run of a spec takes on: the cases --case/--grep select, and its search when left in. */
export interface Selection {
  cases: Case[];
  search?: SearchSpec;
  /** the search's two sides at its lower bound (what --case/--grep select it by); none without */
  sides: Case[];
}

/**
 * The cases --case/--grep select (remote ones too: refusing them is the
 * caller's), and the spec's search when there is no filter or it selects
 * either side's case at the lower bound (send_zc/size=512).
 */
export function selection(spec: ValidSpec, options: RunOptions): Selection {
  const cases = spec.cases.filter((c) => options.filter?.(c, spec.name) ?? true);
  const search = spec.search;
  if (!search) return { cases, sides: [] };
  const { compare, against } = search.at(search.settings.from);
  const sides = [compare, against];
  if (options.filter && !sides.some((c) => options.filter?.(c, spec.name)))
    return { cases, sides: [] };
  return { cases, search, sides };
}

/**
 * A remote case among `cases` is refused unless --allow-remote; `leaveOut` says what
 * --grep/--case would drop.
 */
function refuseRemote(
  spec: ValidSpec,
  cases: readonly Case[],
  options: RunOptions,
  leaveOut: string,
): void {
  const refused = cases.filter((c) => remoteRefusal(c, options.allowRemote ?? false));
  const first = refused[0];
  if (!first) return;
  const more = refused.length > 1 ? ` (and ${refused.length - 1} more remote case(s))` : "";
  throw new EnvError(
    "ZC_REMOTE_REFUSED",
    `${spec.file}: ${remoteRefusal(first, false)}${more}`,
    `rerun with --allow-remote if you mean it, or leave ${leaveOut} out with --grep/--case`,
  );
}

/** The cases --case/--grep select; a remote one among them is refused before anything runs. */
export function selectCases(spec: ValidSpec, options: RunOptions): Case[] {
  const { cases } = selection(spec, options);
  refuseRemote(spec, cases, options, "the remote cases");
  return cases;
}

/** The spec's search, when --case/--grep leave it in; a remote side is refused as a case is. */
export function searchSelected(spec: ValidSpec, options: RunOptions): SearchSpec | undefined {
  const { search, sides } = selection(spec, options);
  refuseRemote(spec, sides, options, "the search");
  return search;
}

/** Refuses, before the first spec starts, a remote case (or search side) of any spec of the run. */
export function refuseRemoteCases(specs: readonly ValidSpec[], options: RunOptions): void {
  for (const spec of specs) {
    selectCases(spec, options);
    searchSelected(spec, options);
  }
}

/**
 * The target kinds a run of these specs needs (a search's by its sides):
 * whether it needs network namespaces, and whether it selects anything at all.
 */
export function targetKinds(specs: readonly ValidSpec[], options: RunOptions): TargetKind[] {
  return specs.flatMap((s) => {
    const { cases, sides } = selection(s, options);
    return [...cases, ...sides].map((c) => c.target);
  });
}
