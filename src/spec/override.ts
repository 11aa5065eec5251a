import type { ValidSpec } from "./read.js";

export interface Timing {
  durationNs?: number;
  warmupNs?: number;
}

/** The same spec with every case's duration and/or warmup replaced (CLI --duration/--warmup). */
export function withTiming(spec: ValidSpec, timing: Timing): ValidSpec {
  return {
    ...spec,
    cases: spec.cases.map((c) => ({
      ...c,
      duration_ns: timing.durationNs ?? c.duration_ns,
      warmup_ns: timing.warmupNs ?? c.warmup_ns,
    })),
  };
}
