import type { Case } from "./case.js";
import type { SearchSettings } from "./search.js";

/**
 * Why a case will not be measured here, decided before anything runs from
 * the build, the probe, this process's privileges and the run's options.
 */
export interface Hindrance {
  /**
   * skip: listed as skipped, with the reason; error: a limit of this process
   * stops a feature the kernel has (the run counts an error: raise the limit
   * and it runs); refused: a remote case without --allow-remote (the run
   * refuses to start)
   */
  action: "skip" | "error" | "refused";
  /**
   * unsupported: not in this build; feature: the kernel lacks one;
   * privilege: no capabilities for network namespaces; limit: a limit
   * (memlock, optmem) stops one; remote: traffic would leave the machine
   */
  cause: "unsupported" | "feature" | "privilege" | "limit" | "remote";
  reason: string;
}

/**
 * Wall time a run should take measuring: at least `minMs`, at most `maxMs` (adaptive repetitions, a
 * search's budget).
 */
export interface WallTime {
  minMs: number;
  maxMs: number;
}

/** One case as a dry run sees it: what will become of it. */
export interface DryRunCase {
  case: Case;
  /** a side of the spec's break-even search at its lower bound (it stands for the probe cases) */
  search: boolean;
  /** undefined: it runs */
  hindrance?: Hindrance;
}

export interface DryRunSpec {
  file: string;
  name: string;
  /** every case of the spec, selected or not */
  cases: number;
  expectations: number;
  /** the break-even search, when the selection leaves it in */
  search?: SearchSettings;
  /** the selected cases, then the search's sides */
  rows: DryRunCase[];
  wall: WallTime;
}

/** What `run --dry-run` reports: per spec its cases' fate, and the whole run's wall time. */
export interface DryRun {
  specs: DryRunSpec[];
  wall: WallTime;
}
