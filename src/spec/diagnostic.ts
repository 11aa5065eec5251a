import { ZcspecError } from "../errors.js";

/** One problem in a spec file, located at the node at fault (1-based line and column). */
export interface SpecDiagnostic {
  code: string;
  severity: "error" | "warning";
  message: string;
  hint?: string;
  file: string;
  line: number;
  col: number;
  /** Characters to underline from col (at least 1). */
  length: number;
}

/** A spec that cannot run: carries every diagnostic found, not just the first. */
export class SpecInvalidError extends ZcspecError {
  constructor(
    readonly diagnostics: SpecDiagnostic[],
    /** Source text per file, for code frames. */
    readonly sources: ReadonlyMap<string, string>,
  ) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    const first = errors[0];
    super(
      first?.code ?? "ZC_SPEC",
      `${errors.length} problem${errors.length === 1 ? "" : "s"} in spec` +
        (first ? ` (first: ${first.file}:${first.line}:${first.col} ${first.message})` : ""),
    );
  }
}
