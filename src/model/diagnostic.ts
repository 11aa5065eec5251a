import type { ErrorCode } from "./errors.js";

/** One problem in a spec file, located at the node at fault (1-based line and column). */
export interface SpecDiagnostic {
  code: ErrorCode;
  severity: "error" | "warning";
  message: string;
  hint?: string;
  file: string;
  line: number;
  col: number;
  /** Characters to underline from col (at least 1). */
  length: number;
}
