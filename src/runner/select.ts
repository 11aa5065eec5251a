import { remoteRefusal } from "../env/remote.js";
import type { Case } from "../model/case.js";
import { EnvError } from "../model/errors.js";
import type { ValidSpec } from "../spec/read.js";
import type { SearchSpec } from "../spec/search.js";
import type { RunOptions } from "./options.js";

/** A remote case among `cases` is refused unless --allow-remote; `leaveOut` says what --grep/--case would drop. */
function refuseRemote(cases: readonly Case[], options: RunOptions, leaveOut: string): void {
  for (const c of cases) {
    const refusal = remoteRefusal(c, options.allowRemote ?? false);
    if (refusal)
      throw new EnvError(
        "ZC_REMOTE_REFUSED",
        refusal,
        `rerun with --allow-remote if you mean it, or leave ${leaveOut} out with --grep/--case`,
      );
  }
}

/** The cases --case/--grep select; a remote one among them is refused before anything runs. */
export function selectCases(spec: ValidSpec, options: RunOptions): Case[] {
  const selected = spec.cases.filter((c) => options.filter?.(c, spec.name) ?? true);
  refuseRemote(selected, options, "the remote cases");
  return selected;
}

/**
 * The spec's search, when --case/--grep leave it in: no filter, or one that
 * selects either side's case at the lower bound (send_zc/size=512). A
 * remote side is refused as a remote case is.
 */
export function searchSelected(spec: ValidSpec, options: RunOptions): SearchSpec | undefined {
  const search = spec.search;
  if (!search) return undefined;
  const { compare, against } = search.at(search.settings.from);
  if (options.filter && ![compare, against].some((c) => options.filter?.(c, spec.name)))
    return undefined;
  refuseRemote([compare, against], options, "the search");
  return search;
}
