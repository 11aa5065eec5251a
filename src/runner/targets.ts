import { openTarget, targetKey } from "../env/open.js";
import type { Target } from "../env/target.js";
import type { Case } from "../model/case.js";
import { ZcspecError } from "../model/errors.js";

/** The targets of one run: each opened once per kind and family, all closed at its end. */
export class TargetCache {
  readonly #open = new Map<string, Target>();
  readonly #broken = new Map<string, ZcspecError>();

  async get(c: Case): Promise<Target> {
    const key = targetKey(c);
    const known = this.#broken.get(key);
    if (known) throw known;
    let target = this.#open.get(key);
    if (!target) {
      target = await openTarget(c).catch((e: unknown) => {
        // every later case on this target would fail the same way: say so once, fast
        if (e instanceof ZcspecError) this.#broken.set(key, e);
        throw e;
      });
      this.#open.set(key, target);
    }
    return target;
  }

  async closeAll(): Promise<void> {
    for (const t of this.#open.values()) await t.close();
  }
}
