/**
 * zcspec's library: read and validate specs, run them (one or a suite),
 * write their results in the report formats, read results files back.
 * Everything the CLI does for a user, a program can do too. What the tools
 * of this repository need beyond that (bench/, the CLI's re-exec, the
 * receive agent) comes from ./internal.js, which makes no promise to last.
 *
 * The pipeline, one stage per folder: spec/ reads and validates a YAML spec
 * into cases (its expectations compiled), plan/ compiles each case, runner/
 * runs them on env/'s targets through native/ (the C executor), assert/
 * judges the figures, report/ renders them. The data that crosses stages is
 * typed in model/.
 */

// the data model: what every stage hands on

export type {
  Capabilities,
  Feature,
  FeatureLimit,
  FeatureState,
} from "./model/capabilities.js";
export type { Case, MixKind, Mode, Pattern, TargetKind, Verify } from "./model/case.js";
export { type Check, type CheckLocation, isFailure, isUndecided } from "./model/check.js";
export type { Environment } from "./model/environment.js";
export type { Estimate, Verdict } from "./model/estimate.js";
export type { Interval, Measured, ThreadMeasured } from "./model/measured/measured.js";
export type { Plan } from "./model/plan.js";
export type { Progress } from "./model/progress.js";
export {
  type CaseResult,
  type CaseStatus,
  type RepeatStats,
  type RunResult,
  ranToEnd,
  type SuiteResult,
} from "./model/results.js";
export type {
  Crossing,
  PointStop,
  SearchBaseline,
  SearchFigure,
  SearchPoint,
  SearchResult,
  SearchSettings,
  SearchStanding,
  SearchStop,
  SearchZone,
} from "./model/search.js";
export type {
  ReceiverHost,
  ReceiverInterface,
  TargetCounters,
  Topology,
} from "./model/target.js";

// errors: every deliberate failure is a ZcspecError with a stable code

export {
  EnvError,
  type ErrorCode,
  LookupError,
  NativeError,
  type SpecDiagnostic,
  SpecInvalidError,
  UsageError,
  ZcspecError,
} from "./model/errors.js";

// reading specs: one intake (spec/read.ts) validates, resolves and compiles expectations

export type { Expectation } from "./spec/cel/expectations.js";
export { findSpecFiles } from "./spec/files.js";
export { withTiming } from "./spec/override.js";
export {
  type CheckOptions,
  checkSpecFile,
  readSpec,
  readSpecs,
  readSpecText,
  type SpecCheck,
  type ValidSpec,
} from "./spec/read.js";
export { formatDiagnostic } from "./spec/source/frame.js";
export { renderValidation } from "./spec/summary.js";
export type { SpecInput } from "./spec/types.js";
export { parseDuration, parseSize } from "./spec/units.js";

// planning and running

export { type Baseline, indexBaseline } from "./assert/baseline.js";
export { probeCapabilities } from "./env/probe.js";
export { compileCase } from "./plan/compile.js";
export { planDryRun } from "./runner/dry-run.js";
export { caseFilter } from "./runner/filter.js";
export type { RunOptions } from "./runner/options.js";
export { runSpec } from "./runner/run-spec.js";
export { runSuite, type SuiteOptions, suiteVerdict } from "./runner/run-suite.js";

// reports and results files

export type { Reporter } from "./model/reporter.js";
export {
  RESULTS_VERSION,
  type ResultsDocument,
} from "./model/results.js";
export {
  type ConsoleOptions,
  type CoverLetterOptions,
  consoleReporter,
  coverLetterFormat,
  csvFormat,
  FORMATS,
  fileReporter,
  jsonFormat,
  junitFormat,
  markdownFormat,
  type ReportFormat,
  renderCoverLetter,
  renderDryRun,
  renderPlans,
  renderProbe,
  renderSearchSvg,
  svgFormat,
} from "./report/index.js";
export { readResults, validateResults } from "./runner/results-file.js";
export { toolVersion } from "./version.js";

// kernels booted in VMs (--kernel), and two saved runs compared

export { probeKernels } from "./env/vm/probe-kernels.js";
export type { CasePair, ChangeVerdict, Comparison, FigureChange } from "./model/comparison.js";
export type { KernelInfo, KernelProbe } from "./model/kernel.js";
export { renderProbeTable } from "./report/console/probe-table.js";
export { renderComparison } from "./report/text/comparison.js";
export { runOnKernels } from "./runner/kernel-runs.js";
export { compareRuns } from "./stats/compare-runs.js";
