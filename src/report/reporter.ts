import type { Case } from "../model/case.js";
import type { Progress } from "../model/progress.js";
import type { CaseResult, RunResult, SuiteResult } from "../model/results.js";

/**
 * What every output watches a run through. Every hook is optional: a format
 * implements the ones it needs. Order for each spec: onRunStart, then per case
 * onCaseStart, onCaseProgress (any number of times, from the executor's
 * progress feed), onCaseEnd; then onRunEnd; after the last spec, onSuiteEnd.
 *
 * onCaseEnd sees the case as measured with its invariants and the
 * expectations that could be checked then; an expectation that compares
 * with a case that runs later (peer()) is added before onRunEnd, which sees
 * every case's final verdict. File formats (json, junit, csv, markdown, svg)
 * are `ReportFormat`s (report/format.ts) that render the whole SuiteResult;
 * a new one is one file plus a line in report/formats.ts.
 */
export interface Reporter {
  onRunStart?(spec: { name: string; file: string; cases: readonly Case[] }): void;
  onCaseStart?(c: Case, index: number, total: number): void;
  onCaseProgress?(c: Case, progress: Progress): void;
  onCaseEnd?(result: CaseResult): void;
  onRunEnd?(run: RunResult): void | Promise<void>;
  onSuiteEnd?(suite: SuiteResult): void | Promise<void>;
}
