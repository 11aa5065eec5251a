import { remoteRefusal } from "../env/remote.js";
import type { Case } from "../model/case.js";
import type { DryRun, DryRunCase, DryRunSpec, WallTime } from "../model/dry-run.js";
import { compileCase } from "../plan/compile.js";
import type { ValidSpec } from "../spec/read.js";
import { hindrance } from "./blocked.js";
import { cap } from "./case-state.js";
import type { RunOptions } from "./options.js";
import { selection } from "./select.js";

/** A case's measured windows: its least repetitions, and its most (adaptive). */
function windowsMs(c: Case): WallTime {
  const once = (c.warmup_ns + c.duration_ns) / 1e6;
  return { minMs: c.repeat * once, maxMs: cap(c) * once };
}

function row(c: Case, search: boolean, options: RunOptions): DryRunCase {
  const refusal = remoteRefusal(c, options.allowRemote ?? false);
  const why = refusal
    ? ({ action: "refused", cause: "remote", reason: refusal } as const)
    : hindrance(c, compileCase(c), options.native);
  return { case: c, search, ...(why ? { hindrance: why } : {}) };
}

/**
 * What a run of one spec would do: every selected case's fate (the same
 * decisions the run makes: runner/blocked.ts, a remote refusal) and its wall
 * time. A search measures at least one probe point (its two sides' least
 * repetitions) and at most its budget; a time limit caps both.
 */
function planSpec(spec: ValidSpec, options: RunOptions): DryRunSpec {
  const { cases, search, sides } = selection(spec, options);
  const own = cases.map((c) => row(c, false, options));
  const probe = sides.map((c) => row(c, true, options));
  const sum = (list: readonly DryRunCase[], key: keyof WallTime) =>
    list.filter((r) => !r.hindrance).reduce((t, r) => t + windowsMs(r.case)[key], 0);
  // a search whose sides cannot run measures nothing
  const searches = search !== undefined && probe.every((r) => !r.hindrance);
  const limit = options.timeLimitMs ?? Number.POSITIVE_INFINITY;
  const wall = {
    minMs: Math.min(limit, sum(own, "minMs") + (searches ? sum(probe, "minMs") : 0)),
    maxMs: Math.min(limit, sum(own, "maxMs") + (searches ? (search?.settings.budgetMs ?? 0) : 0)),
  };
  return {
    file: spec.file,
    name: spec.name,
    cases: spec.cases.length,
    expectations: spec.expectations?.length ?? 0,
    ...(search ? { search: search.settings } : {}),
    rows: [...own, ...probe],
    wall,
  };
}

/** What `run --dry-run` shows: per spec, each case's fate, and the whole run's wall time. */
export function planDryRun(specs: readonly ValidSpec[], options: RunOptions = {}): DryRun {
  const planned = specs.map((s) => planSpec(s, options));
  return {
    specs: planned,
    wall: {
      minMs: planned.reduce((t, s) => t + s.wall.minMs, 0),
      maxMs: planned.reduce((t, s) => t + s.wall.maxMs, 0),
    },
  };
}
