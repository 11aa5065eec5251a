import type { Case } from "../model/case.js";
import type { KernelInfo } from "../model/kernel.js";
import type { ValidSpec } from "./read.js";

export interface Timing {
  durationNs?: number;
  warmupNs?: number;
  /** repetitions: a count, or the adaptive form (CLI --repeat) */
  repeat?: Pick<Case, "repeat" | "adaptive">;
}

/** The same spec with `f` applied to every case, a search's point cases too (made as it goes). */
function mapCases(spec: ValidSpec, f: (c: Case) => Case): ValidSpec {
  const { search } = spec;
  return {
    ...spec,
    cases: spec.cases.map(f),
    ...(search
      ? {
          search: {
            ...search,
            at: (value: number) => {
              const { compare, against } = search.at(value);
              return { compare: f(compare), against: f(against) };
            },
          },
        }
      : {}),
  };
}

/**
 * The same spec with every case's duration, warmup and/or repeat replaced (CLI
 * --duration/--warmup/--repeat).
 */
export function withTiming(spec: ValidSpec, timing: Timing): ValidSpec {
  return mapCases(spec, (c) => {
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
  });
}

/**
 * Every case on `kernel`: the run a --kernel run started in a VM (or on the host),
 * `case.kernel` in CEL.
 */
export function withKernel(spec: ValidSpec, kernel: KernelInfo): ValidSpec {
  return mapCases(spec, (c) => ({ ...c, kernel, matrix: { ...c.matrix, kernel: kernel.name } }));
}
