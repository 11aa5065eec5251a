import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { capabilities, capabilitySkip } from "../../src/env/probe.js";
import { createSink } from "../../src/env/sink.js";
import type { Target } from "../../src/env/target.js";
import type { Capabilities, Feature } from "../../src/model/capabilities.js";
import type { Case } from "../../src/model/case.js";
import type { Plan } from "../../src/model/plan.js";
import type { Progress } from "../../src/model/progress.js";
import type { RunResult } from "../../src/model/results.js";
import { type RawThreadResult, ZC_FEAT } from "../../src/native/abi.js";
import { loadNative } from "../../src/native/library.js";
import { CORRUPT_PATTERN_ENV } from "../../src/native/marshal.js";
import { compileCase } from "../../src/plan/compile.js";
import { runSpec } from "../../src/runner/run-spec.js";
import { readSpecText } from "../../src/spec/read.js";
import { NATIVE_LIB, ROOT } from "./env.js";

/** The one case of a spec whose defaults are `defaults` (YAML flow text). */
export function caseOf(defaults: string): Case {
  const [c] = readSpecText("t.yaml", `version: 1\nname: t\ndefaults: ${defaults}\n`).cases;
  if (!c) throw new Error("no case");
  return c;
}

/**
 * A plan for a test that aims it at a destination of its own (its own
 * 127.0.0.1 drain, a sink it opened): the test vouches for the destination,
 * so the list of what the runner would refuse is cleared.
 */
export function planFor(defaults: string): Plan {
  return { ...compileCase(caseOf(defaults)), unsupported: [] };
}

/** Capabilities where every feature works but those named (with their errno names). */
export function capsWith(broken: Partial<Record<Feature, string>>): Capabilities {
  return {
    kernel: "x",
    liburing: "2.3",
    ops: [],
    features: Object.fromEntries(
      Object.keys(ZC_FEAT).map((f) => {
        const error = broken[f as Feature];
        return [f, error ? { ok: false, error } : { ok: true }];
      }),
    ) as Capabilities["features"],
    memlock: { soft: null, hard: null },
    capNetAdmin: true,
  };
}

/** Why this kernel cannot run such a case (the probe's reason), or undefined. */
export function featureSkip(defaults: string): string | undefined {
  return capabilitySkip(planFor(defaults), capabilities(loadNative(NATIVE_LIB)));
}

export const LOOPBACK4 = { netnsPath: "", dstAddr: [127, 0, 0, 1], family: "ipv4" as const };
export const LOOPBACK6 = {
  netnsPath: "",
  dstAddr: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
  family: "ipv6" as const,
};

/** Byte i of a payload under each pattern (the contract receivers verify). */
export function patternByte(pattern: Case["buffers"]["pattern"], i: number): number {
  switch (pattern) {
    case "zeros":
      return 0;
    case "sequence":
      return i % 256;
    default:
      return 97 + (i % 26);
  }
}

/**
 * One sink for the tests of the describe block this is called in: opened
 * before them (unless they are blocked and will skip), closed after them.
 */
export function sharedSink(blocked: string | undefined): () => Target {
  let sink: Target | undefined;
  beforeAll(async () => {
    if (!blocked) sink = await createSink();
  });
  afterAll(async () => {
    await sink?.close();
  });
  return () => {
    if (!sink) throw new Error("the shared sink is not open");
    return sink;
  };
}

/** Run a spec text (as the file `name` of the checkout) with the corrupt-pattern test hook on. */
export async function runCorrupted(name: string, text: string): Promise<RunResult> {
  const spec = readSpecText(join(ROOT, name), text);
  process.env[CORRUPT_PATTERN_ENV] = "1";
  try {
    return await runSpec(spec);
  } finally {
    delete process.env[CORRUPT_PATTERN_ENV];
  }
}

/**
 * A progress handler that aborts the case once its sender is stuck: two
 * reports in a row with the same counts, the socket full and the peer
 * taking nothing. The abort then lands on a blocked send, on the event
 * rather than after a guessed delay.
 */
export function abortWhenStuck(abort: AbortController): (p: Progress) => void {
  let last: Progress | undefined;
  return (p) => {
    if (p.requests > 0 && p.requests === last?.requests && p.bytes === last.bytes) abort.abort();
    last = p;
  };
}

/** A sender thread's raw result: every counter 0 but those `over` sets. */
export const rawThread = (over: Partial<RawThreadResult> = {}): RawThreadResult => ({
  status: 0,
  first_error: 0,
  requests: 0,
  bytes: 0,
  elapsed_ns: 0,
  completions: 0,
  notifications: 0,
  errors: 0,
  short_sends: 0,
  user_ns: 0,
  sys_ns: 0,
  vol_ctxsw: 0,
  invol_ctxsw: 0,
  zc_copied: 0,
  zc_requests: 0,
  owed_notifications: 0,
  max_outstanding: 0,
  reuse_busy: 0,
  notif_unexpected: 0,
  more_on_notif: 0,
  more_on_plain: 0,
  zc_sent: 0,
  kinds: new Array(8).fill(0),
  interrupted: 0,
  cpu: -1,
  errnos: [],
  message: "",
  peak_pinned_bytes: 0,
  latency_lost: 0,
  latency: [],
  ...over,
});
