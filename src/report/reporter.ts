import type { CaseResult, RunResult } from "../results.js";
import type { Case } from "../spec/types.js";

/** Every output format implements the hooks it needs; the runner calls them in order. */
export interface Reporter {
  onRunStart?(spec: { name: string; file: string; cases: readonly Case[] }): void;
  onCaseStart?(c: Case, index: number, total: number): void;
  onCaseEnd?(result: CaseResult): void;
  onRunEnd?(run: RunResult): void | Promise<void>;
}
