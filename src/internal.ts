/**
 * What this repository's own tools need beyond the library (src/index.ts):
 * bench/ drives the executor directly, the CLI re-executes itself in a user
 * namespace and serves the receive agent, two-host runs speak the receive
 * protocol. Internal: these names may change in any release; a program
 * should import "zcspec", not "zcspec/internal".
 */

// statistics the bench scripts compare with

export { compareCases, type Figure } from "./stats/compare.js";
export { pairedRatio, verdict } from "./stats/interval.js";

// running inside a user namespace of its own (namespace targets without root)

export { runInUserNamespaceIfNeeded } from "./env/userns.js";
export { targetKinds } from "./runner/select.js";

// driving the executor directly (what bench/ does)

export { namespaceBlocker } from "./env/caps.js";
export { createPair } from "./env/pair.js";
export { createSink } from "./env/sink.js";
export { type CaseControl, loadNative, type NativeLibrary } from "./native/library.js";
export { toNativePlan } from "./native/marshal.js";
export { measure } from "./native/result.js";

// two hosts: the receiver a remote target starts on the other host, and starting it

export {
  LAUNCH_TIMEOUTS,
  type LaunchedReceiver,
  type LaunchTimeouts,
  type ListenParams,
  launchReceiver,
} from "./env/agent/launch.js";
export {
  type ErrorAnswer,
  type ListenRequest,
  RECEIVE_PROTOCOL,
  type ReadyAnswer,
  type ReceiveMessage,
  type ReceiveResult,
  type StopMessage,
} from "./env/agent/protocol.js";
export { type ServeOptions, serveReceiver } from "./env/agent/serve.js";

// the reference: docs/reference/*.md (docs/generate.mjs) and `zcspec explain` read the same entries

export { errorEntries, type ReferenceEntry } from "./model/reference.js";
export { celEntries } from "./spec/cel/reference.js";
export { renderEntry, schemaEntries, specKeyEntries } from "./spec/reference.js";
export { closest } from "./spec/suggest.js";

// the CLI's duration flags speak the unit the user wrote

export { durationIn, durationUnit } from "./spec/units.js";

// a --kernel run: the kernel a guest's zcspec runs on, put on every case

export { kernelFromEnv } from "./env/vm/project.js";
export { kernelsOfSpecs } from "./runner/kernel-runs.js";
export { withKernel } from "./spec/override.js";

// the CLI's checks before a run: the machine's CPUs (plan-time warnings), writable outputs

export { onlineCpus } from "./env/cpus.js";
export { checkOutputs } from "./report/index.js";
