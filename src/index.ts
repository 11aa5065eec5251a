/** zcspec's library API: everything the CLI does, a program can do too. */

export {
  type Baseline,
  type BaselineRow,
  baselineCheck,
  baselineDiff,
  indexBaseline,
} from "./assert/baseline.js";
export { CEL_HELPERS, celEnvironment } from "./assert/cel-env.js";
export { type CheckedSpec, checkedSpecText, readCheckedSpec } from "./assert/checked-spec.js";
export {
  type CaseFigures,
  type EvaluationScope,
  ExpectationEvaluator,
} from "./assert/evaluate.js";
export { compileExpectations, type Expectation } from "./assert/expectations.js";
export { FIGURE_NAMES, figuresOf } from "./assert/figures.js";
export { invariants } from "./assert/invariants.js";
export { findPeer } from "./assert/peer.js";
export { namespaceBlocker, targetBlocker } from "./env/caps.js";
export { captureEnvironment } from "./env/environment.js";
export { createLoopback } from "./env/loopback.js";
export {
  listZcspecNamespaces,
  reapStaleNamespaces,
  removeLiveNamespacesSync,
} from "./env/netns.js";
export { openTarget } from "./env/open.js";
export { createPair } from "./env/pair.js";
export { capabilities, capabilitySkip, probeCapabilities } from "./env/probe.js";
export { createRemote, remoteRefusal } from "./env/remote.js";
export { createSink } from "./env/sink.js";
export type { CaseSession, Target } from "./env/target.js";
export { reexecInUserNamespace, wantsUserNamespace } from "./env/userns.js";
export type { Capabilities, Feature, FeatureState } from "./model/capabilities.js";
export type { Case } from "./model/case.js";
export type { Check } from "./model/check.js";
export { type CheckLocation, isFailure } from "./model/check.js";
export type { SpecDiagnostic } from "./model/diagnostic.js";
export type { Environment } from "./model/environment.js";
export {
  EnvError,
  LookupError,
  NativeError,
  SpecInvalidError,
  UsageError,
  ZcspecError,
} from "./model/errors.js";
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
export type { Destination, TargetCounters, Topology } from "./model/target.js";
export type { NativePlan, RawResult, RawThreadResult, Sample } from "./native/abi.js";
export { type CaseControl, checkAbi, loadNative, type NativeLibrary } from "./native/library.js";
export { toNativePlan } from "./native/marshal.js";
export { type Receiver, type RxStats, startReceiver } from "./native/receiver.js";
export { errnoName, measure } from "./native/result.js";
export { compileCase } from "./plan/compile.js";
export { type ConsoleOptions, consoleReporter } from "./report/console.js";
export {
  type CoverLetterOptions,
  coverLetterFormat,
  renderCoverLetter,
} from "./report/cover-letter.js";
export { csvFormat } from "./report/csv.js";
export { fileReporter, type ReportFormat } from "./report/format.js";
export { FORMATS } from "./report/formats.js";
export {
  jsonFormat,
  RESULTS_FORMAT,
  RESULTS_VERSION,
  type ResultsDocument,
  readResults,
  toDocument,
  validateResults,
} from "./report/json.js";
export { junitFormat } from "./report/junit.js";
export { markdownFormat } from "./report/markdown.js";
export type { Reporter } from "./report/reporter.js";
export { svgFormat } from "./report/svg.js";
export type { RunnableSpec, RunOptions } from "./runner/options.js";
export { runSpec } from "./runner/run-spec.js";
export { runSuite, type SuiteOptions, suiteVerdict } from "./runner/run-suite.js";
export { onlineCpus } from "./spec/cpus.js";
export { findSpecFiles } from "./spec/files.js";
export { formatDiagnostic } from "./spec/frame.js";
export { withTiming } from "./spec/override.js";
export {
  type CheckOptions,
  checkSpec,
  checkSpecFile,
  isDefaultsFile,
  readSpec,
  readSpecText,
  type SpecCheck,
  type ValidSpec,
} from "./spec/read.js";
export { renderValidation } from "./spec/summary.js";
export type { SpecInput } from "./spec/types.js";
export { parseDuration, parseSize } from "./spec/units.js";
export { aggregate, median, NOISE_CV, noiseWarning, stddev } from "./stats/aggregate.js";
