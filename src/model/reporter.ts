import type { Case } from "./case.js";
import type { Progress } from "./progress.js";
import type { CaseResult, RunResult, SuiteResult } from "./results.js";
import type { SearchPoint, SearchSettings } from "./search.js";

/** A spec about to run. */
export interface RunStart {
  name: string;
  file: string;
  cases: readonly Case[];
  /** set when the spec's cases repeat: how their repetitions are ordered */
  rounds?: {
    order: "interleaved" | "sequential";
    seed: number;
    /**
     * rounds that will run (the most repetitions of a case), or at most, for adaptive repetition
     */
    rounds: number;
    adaptive: boolean;
  };
  /** set when the spec has a break-even search (it runs after the cases) */
  search?: SearchSettings;
}

/** A break-even search is about to measure a point. */
export interface SearchPointStart {
  /** the point's place in the order points run (1-based) */
  order: number;
  value: number;
  phase: "grid" | "bisect";
  settings: SearchSettings;
  /** time the search has taken so far, ms */
  elapsedMs: number;
}

/** Where a repetition stands in its spec's rounds. */
export interface RepetitionStart {
  /** the round (1-based); with order: sequential, the case's repetition */
  round: number;
  /** rounds that will run, or at most (adaptive) */
  rounds: number;
  /** more rounds may be added up to `rounds` until the intervals are tight */
  adaptive: boolean;
  /** its place in this round's order (1-based), of `of` */
  position: number;
  of: number;
  /**
   * the case's place among the spec's selected cases (0-based, as onCaseStart's index), of `total`
   */
  index: number;
  total: number;
}

/**
 * What every output watches a run through. Every hook is optional: a format
 * implements the ones it needs. Order for each spec: onRunStart, then per case
 * onCaseStart, onCaseProgress (any number of times, from the executor's
 * progress feed), onCaseEnd; then onRunEnd; after the last spec, onSuiteEnd.
 *
 * A spec whose cases repeat runs them in rounds (RunStart.rounds says so):
 * then cases overlap. onCaseStart still comes once per case, before its
 * first repetition, and onCaseEnd once, after its last, with the final
 * result; onRepetitionStart comes before every repetition (the first one
 * too, right after onCaseStart), and onCaseProgress follows it.
 *
 * onCaseEnd sees the case as measured with its invariants and the
 * expectations that could be checked then; an expectation that compares
 * with a case that runs later (peer()) is added before onRunEnd, which sees
 * every case's final verdict.
 *
 * A spec with a break-even search runs it after its cases: for each point
 * point onSearchPointStart, then its two cases as above (in rounds), then
 * onSearchPoint with the point's ratio and standing. RunResult.search holds
 * the outcome. Between specs, onSuiteUpdate gets the suite so far; file
 * formats render the whole SuiteResult once it has ended
 * (report/index.ts lists them).
 */
export interface Reporter {
  onRunStart?(spec: RunStart): void;
  onCaseStart?(c: Case, index: number, total: number): void;
  /** before each repetition of a spec that runs in rounds (RunStart.rounds is set) */
  onRepetitionStart?(c: Case, at: RepetitionStart): void;
  onCaseProgress?(c: Case, progress: Progress): void;
  onCaseEnd?(result: CaseResult): void;
  /** a break-even search starts a point: its two cases follow (onCaseStart, ... onCaseEnd) */
  onSearchPointStart?(point: SearchPointStart): void;
  /** a point has been measured and judged */
  onSearchPoint?(point: SearchPoint, settings: SearchSettings): void;
  onRunEnd?(run: RunResult): void | Promise<void>;
  /**
   * after each spec but the last: the suite so far (`partial`), so a file output keeps what
   * finished
   */
  onSuiteUpdate?(suite: SuiteResult): void | Promise<void>;
  onSuiteEnd?(suite: SuiteResult): void | Promise<void>;
}
