import type { Case } from "../model/case.js";
import type { ValidSpec } from "./read.js";

export interface Timing {
  durationNs?: number;
  warmupNs?: number;
  /** repetitions: a count, or the adaptive form (CLI --repeat) */
  repeat?: Pick<Case, "repeat" | "adaptive">;
}

/**
 * The same spec with every case's duration, warmup and/or repeat replaced (CLI
 * --duration/--warmup/--repeat).
 */
export function withTiming(spec: ValidSpec, timing: Timing): ValidSpec {
  const timed = (c: Case): Case => {
    const out = {
      ...c,
      duration_ns: timing.durationNs ?? c.duration_ns,
      warmup_ns: timing.warmupNs ?? c.warmup_ns,
    };
    if (timing.repeat) {
      delete out.adaptive;
      Object.assign(out, timing.repeat);
    }
    return out;
  };
  const { search } = spec;
  return {
    ...spec,
    cases: spec.cases.map(timed),
    // a search's search cases are made as it goes: each one made is timed alike
    ...(search
      ? {
          search: {
            ...search,
            at: (value: number) => {
              const { compare, against } = search.at(value);
              return { compare: timed(compare), against: timed(against) };
            },
          },
        }
      : {}),
  };
}
