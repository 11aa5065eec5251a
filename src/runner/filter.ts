import type { Case } from "../model/case.js";
import { UsageError } from "../model/errors.js";

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${body}$`);
}

/**
 * The cases `--case` (names, `*` matching any text) and `--grep` (a regular
 * expression on the name or spec/name) select; no names and no grep select all.
 */
export function caseFilter(names: readonly string[], grep: string | undefined) {
  const globs = names.map(globToRegExp);
  let re: RegExp | undefined;
  if (grep !== undefined) {
    try {
      re = new RegExp(grep);
    } catch (e) {
      throw new UsageError(`--grep ${grep}: ${(e as Error).message}`);
    }
  }
  return (c: Case, spec: string) =>
    (globs.length === 0 || globs.some((g) => g.test(c.name))) &&
    (!re || re.test(c.name) || re.test(`${spec}/${c.name}`));
}
