/**
 * zcspec's library: everything the CLI does, a program can do too. This is
 * the one public face (the CLI imports nothing else); internals such as the
 * statistics helpers, the ABI structs or namespace bookkeeping stay inside.
 *
 * The pipeline, one stage per folder: spec/ reads and validates a YAML spec
 * into cases, plan/ compiles each case, runner/ runs them on env/'s targets
 * through native/ (the C executor), assert/ judges the figures, report/
 * renders them. The data that crosses stages is typed in model/.
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
export type { Interval, Measured, ThreadMeasured } from "./model/measured.js";
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
  ProbeStop,
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

export type { SpecDiagnostic } from "./model/diagnostic.js";
export {
  EnvError,
  type ErrorCode,
  LookupError,
  NativeError,
  SpecInvalidError,
  UsageError,
  ZcspecError,
} from "./model/errors.js";

// the reference: docs/reference/*.md (docs/generate.mjs) and `zcspec explain` read the same entries

export { celEntries } from "./assert/cel-reference.js";
export { errorEntries, type ReferenceEntry } from "./model/reference.js";
export { renderEntry, schemaEntries, specKeyEntries } from "./spec/reference.js";
export { closest } from "./spec/suggest.js";

// reading specs

export {
  type CheckedSpec,
  checkedSpecText,
  readCheckedSpec,
  readCheckedSpecs,
} from "./assert/checked-spec.js";
export { compileExpectations, type Expectation } from "./assert/expectations.js";
export { findSpecFiles } from "./spec/files.js";
export { formatDiagnostic } from "./spec/frame.js";
export { withKernel, withTiming } from "./spec/override.js";
export {
  type CheckOptions,
  checkSpec,
  checkSpecFile,
  isDefaultsFile,
  readSpec,
  readSpecText,
  type SpecCheck,
  type ValidSpec,
  withDiagnostics,
} from "./spec/read.js";
export { renderValidation } from "./spec/summary.js";
export type { SpecInput } from "./spec/types.js";
export { formatDuration, parseDuration, parseSize } from "./spec/units.js";

// planning and running

export { type Baseline, indexBaseline } from "./assert/baseline.js";
export { onlineCpus } from "./env/cpus.js";
export { probeCapabilities } from "./env/probe.js";
export { reexecInUserNamespace, wantsUserNamespace } from "./env/userns.js";
export { compileCase } from "./plan/compile.js";
export { caseFilter } from "./runner/filter.js";
export type { RunnableSpec, RunOptions } from "./runner/options.js";
export { runSpec } from "./runner/run-spec.js";
export { runSuite, type SuiteOptions, suiteVerdict } from "./runner/run-suite.js";
export { compareCases, type Figure } from "./stats/compare.js";
export { verdict } from "./stats/interval.js";

// reports

export type { Reporter } from "./model/reporter.js";
export {
  RESULTS_VERSION,
  type ResultsDocument,
} from "./model/results.js";
export {
  type ConsoleOptions,
  type CoverLetterOptions,
  checkOutputs,
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

// driving the executor directly (what bench/ does)

export { namespaceBlocker } from "./env/caps.js";
export { createPair } from "./env/pair.js";
export { createSink } from "./env/sink.js";

// two hosts: the receiver a remote target starts on the other host, and starting it

export { type ServeOptions, serveReceiver } from "./env/agent.js";
export {
  LAUNCH_TIMEOUTS,
  type LaunchedReceiver,
  type LaunchTimeouts,
  type ListenParams,
  launchReceiver,
} from "./env/agent-launch.js";
export {
  type ErrorAnswer,
  type ListenRequest,
  RECEIVE_PROTOCOL,
  type ReadyAnswer,
  type ReceiveMessage,
  type ReceiveResult,
  type StopMessage,
} from "./env/agent-protocol.js";
export { type CaseControl, loadNative, type NativeLibrary } from "./native/library.js";
export { toNativePlan } from "./native/marshal.js";
export { measure } from "./native/result.js";

// kernels booted in VMs (--kernel), and two saved runs compared

export { probeKernels } from "./env/vm/probe-kernels.js";
export { kernelFromEnv } from "./env/vm/project.js";
export type { CasePair, ChangeVerdict, Comparison, FigureChange } from "./model/comparison.js";
export type { KernelInfo, KernelProbe } from "./model/kernel.js";
export { renderProbeTable } from "./report/console/probe-table.js";
export { renderComparison } from "./report/text/comparison.js";
export { kernelsOfSpecs, runOnKernels } from "./runner/kernel-runs.js";
export { compareRuns } from "./stats/compare-runs.js";
