import type { Case } from "../../src/model/case.js";
import type { Environment } from "../../src/model/environment.js";
import type { Measured } from "../../src/model/measured/measured.js";
import type { RepetitionNoise } from "../../src/model/measured/noise.js";
import type { CaseResult, SuiteResult } from "../../src/model/results.js";
import { readSpecText } from "../../src/spec/read.js";

/**
 * Figures for rendering and evaluation tests. They are inputs, not
 * measurements: nothing here is reported as a result of zcspec.
 */
export function figures(rps: number, over: Partial<Measured> = {}): Measured {
  const requests = Math.round(rps / 10);
  return {
    requests,
    bytes: requests * 4000,
    elapsedNs: 100e6,
    rps,
    gbps: (rps * 4000 * 8) / 1e9,
    completions: requests,
    notifications: 0,
    errors: 0,
    firstError: 0,
    shortSends: 0,
    cpuNsPerRequest: 1000,
    userNs: 1e6,
    sysNs: 9e7,
    volCtxsw: 1,
    involCtxsw: 2,
    errnos: {},
    zcCopied: 0,
    zcRequests: 0,
    zcSent: 0,
    owedNotifications: 0,
    notifUnexpected: 0,
    moreOnNotif: 0,
    moreOnPlain: 0,
    maxOutstanding: 0,
    reuseBusy: 0,
    cpu: -1,
    latency: {},
    peakPinnedBytes: 0,
    latencyLost: 0,
    interrupted: false,
    threads: [],
    intervals: [],
    target: { txDropped: requests },
    ...over,
  };
}

/** A fixed environment record, so rendered output does not depend on this machine. */
export const ENVIRONMENT: Environment = {
  zcspec: "0.1.0",
  node: "v20.0.0",
  userNamespace: false,
  kernel: "6.18.0-test",
  liburing: "2.3",
  cpu: { model: "Test CPU", count: 2 },
  memlock: { soft: 8388608, hard: 8388608 },
  sysctls: { "net.core.optmem_max": "131072" },
  spec: { file: "t.yaml" },
};

/** The cases of a send/send_zc x sizes matrix, resolved by the real spec pipeline. */
export function matrixCases(sizes = [600, 4000]): Case[] {
  return readSpecText(
    "t.yaml",
    `version: 1\nname: t\nmatrix:\n  mode: [send, send_zc]\n  buffers.size: [${sizes.join(", ")}]\n`,
  ).cases;
}

export function caseResult(c: Case, over: Partial<CaseResult> = {}): CaseResult {
  return {
    spec: "t",
    case: c,
    plan: {} as CaseResult["plan"],
    status: "passed",
    checks: [{ name: "errors", pass: true, kind: "invariant" }],
    environment: ENVIRONMENT,
    ...over,
  };
}

/** A fixed two-mode suite: one failed expectation, one skipped case. */
export function sampleSuite(): SuiteResult {
  const cases = matrixCases([600, 4000]);
  const [s600, s4000, z600, z4000] = cases as [Case, Case, Case, Case];
  const rps = new Map([
    [s600, 600000],
    [s4000, 500000],
    [z600, 450000],
  ]);
  const results: CaseResult[] = [...rps].map(([c, v]) =>
    caseResult(c, {
      measured: figures(v, c.mode === "send_zc" ? { notifications: Math.round(v / 10) } : {}),
    }),
  );
  const failed = results[2] as CaseResult;
  failed.status = "failed";
  failed.checks.push({
    name: "zc beats copy",
    pass: false,
    kind: "expect",
    expression: 'result.rps > peer(case, "mode", "send").rps',
    location: { file: "t.yaml", line: 9, col: 11 },
    values: { "result.rps": "450000", 'peer(case, "mode", "send").rps': "600000" },
    reason:
      'result.rps > peer(case, "mode", "send").rps is false: result.rps = 450000, peer(case, "mode", "send").rps = 600000',
  });
  results.push(
    caseResult(z4000, { status: "skipped", reason: 'not supported: <& "x">', checks: [] }),
  );
  return {
    runs: [
      {
        spec: "t",
        file: "t.yaml",
        results,
        startedAt: "2026-01-01T00:00:00.000Z",
        elapsedMs: 1234,
        environment: ENVIRONMENT,
      },
    ],
    startedAt: "2026-01-01T00:00:00.000Z",
    elapsedMs: 1300,
    partial: false,
  };
}

/** One repetition's noise record: an undisturbed one unless `over` says otherwise. */
export function repetition(round: number, over: Partial<RepetitionNoise> = {}): RepetitionNoise {
  return {
    round,
    position: 1,
    cpuShare: 1,
    steal: 0,
    otherRunnable: 0,
    involCtxsw: 0,
    disturbed: false,
    ...over,
  };
}
