import { constants } from "node:os";
import type { Latency, LatencySpan } from "../model/measured/latency.js";
import type {
  FlowMeasured,
  Measured,
  NapiView,
  ThreadMeasured,
} from "../model/measured/measured.js";
import type { RequestKind } from "../model/mix.js";
import type { Plan } from "../model/plan.js";
import type { TargetCounters } from "../model/target.js";
import { fairness } from "../stats/fairness.js";
import { fromDense } from "../stats/latency.js";
import { scheduleOf } from "../stats/schedule.js";
import { type RawHistogram, type RawResult, type RawThreadResult, ZC_KIND, ZC_LAT } from "./abi.js";
import { txLatency, txTimestamps } from "./tstamp.js";
import { busyNs, machineFigures, machineOf, tcpOf } from "./window.js";

const KIND_NAMES = Object.entries(ZC_KIND) as [RequestKind, number][];

/** The executor's per-kind counts, by kind name, leaving out kinds it never sent. */
function byKind(kinds: readonly number[] | undefined): Partial<Record<RequestKind, number>> {
  const out: Partial<Record<RequestKind, number>> = {};
  for (const [name, i] of KIND_NAMES) if (kinds?.[i]) out[name] = kinds[i];
  return out;
}

/** The executor's histograms by span, leaving out spans with nothing timed. */
function latencyOf(raw: readonly RawHistogram[]): Latency {
  const out: Latency = {};
  for (const [span, i] of Object.entries(ZC_LAT) as [LatencySpan, number][]) {
    const h = raw[i];
    const summary =
      h &&
      fromDense({ count: h.count, sumNs: h.sum_ns, minNs: h.min_ns, maxNs: h.max_ns }, h.buckets);
    if (summary) out[span] = summary;
  }
  return out;
}

const ERRNO_NAMES = new Map<number, string>(
  Object.entries(constants.errno).map(([name, n]) => [n as number, name]),
);

/** -22 -> "EINVAL" (or "errno 22" for a number node does not know). */
export function errnoName(err: number): string {
  const n = Math.abs(err);
  return ERRNO_NAMES.get(n) ?? `errno ${n}`;
}

function measureThread(raw: RawThreadResult): ThreadMeasured {
  const tcp = tcpOf(raw.tcp);
  const latency = { ...latencyOf(raw.latency), ...txLatency(raw.tstamp) };
  const timestamps = txTimestamps(raw.tstamp, latency, (raw.tcp?.connections ?? 0) > 0);
  const seconds = raw.elapsed_ns / 1e9;
  const cpu = raw.user_ns + raw.sys_ns;
  const errnos: Record<string, number> = {};
  for (const e of raw.errnos ?? []) if (e.err) errnos[errnoName(e.err)] = e.count;
  return {
    requests: raw.requests,
    bytes: raw.bytes,
    elapsedNs: raw.elapsed_ns,
    rps: seconds > 0 ? raw.requests / seconds : 0,
    gbps: seconds > 0 ? (raw.bytes * 8) / seconds / 1e9 : 0,
    completions: raw.completions,
    notifications: raw.notifications,
    errors: raw.errors,
    firstError: raw.first_error,
    errnos,
    shortSends: raw.short_sends,
    cpuNsPerRequest: raw.requests > 0 ? cpu / raw.requests : 0,
    userNs: raw.user_ns,
    sysNs: raw.sys_ns,
    volCtxsw: raw.vol_ctxsw,
    involCtxsw: raw.invol_ctxsw,
    zcCopied: raw.zc_copied,
    zcRequests: raw.zc_requests,
    zcSent: raw.zc_sent ?? 0,
    owedNotifications: raw.owed_notifications,
    notifUnexpected: raw.notif_unexpected,
    moreOnNotif: raw.more_on_notif,
    moreOnPlain: raw.more_on_plain,
    maxOutstanding: raw.max_outstanding,
    reuseBusy: raw.reuse_busy,
    cpu: raw.cpu,
    latency,
    peakPinnedBytes: raw.peak_pinned_bytes,
    latencyLost: raw.latency_lost,
    ...(raw.kinds?.some((n) => n > 0) ? { requestsByKind: byKind(raw.kinds) } : {}),
    ...(tcp ? { tcp } : {}),
    ...(timestamps ? { timestamps } : {}),
  };
}

/**
 * UDP GSO: the datagrams the requests left as, each request's payload cut
 * into gso_size pieces (a UDP send is whole or fails, never short).
 */
function segmentsOf(
  m: Pick<Measured, "requests" | "elapsedNs">,
  gso: Pick<Plan, "gsoSize" | "bufSize">,
): Pick<Measured, "segments" | "segmentsPerSecond"> {
  if (!gso.gsoSize) return {};
  const segments = m.requests * Math.ceil(gso.bufSize / gso.gsoSize);
  return {
    segments,
    segmentsPerSecond: m.elapsedNs > 0 ? segments / (m.elapsedNs / 1e9) : 0,
  };
}

function napiOf(
  raw: RawResult,
  plan: Pick<Plan, "napiBusyPollUs" | "napiPreferBusyPoll">,
): NapiView {
  return {
    rings: raw.napi_threads ?? 0,
    busyPollUs: plan.napiBusyPollUs,
    preferBusyPoll: plan.napiPreferBusyPoll,
    napiId: raw.napi_id ?? 0,
  };
}

/**
 * The receiving host's CPU per request: its busy rate over the window its marks bounded (a
 * progress poll and a launcher's hop off the sender's) applied to the sender's window.
 */
function withReceiverMachine(
  t: TargetCounters,
  m: { requests: number; elapsedNs: number },
): TargetCounters {
  const rx = t.rxMachine;
  if (!rx || rx.windowNs <= 0 || m.requests === 0) return t;
  const busy = busyNs(rx.all) * (m.elapsedNs / rx.windowNs);
  return { ...t, rxMachineCpuNsPerRequest: busy / m.requests };
}

/** Every thread's flows, thread by thread; empty for one flow per thread (or none reported). */
export function flowsOf(raw: Pick<RawResult, "threads">): FlowMeasured[] {
  return (raw.threads ?? []).flatMap((t, thread) =>
    (t.flows ?? 0) > 1
      ? (t.flow ?? []).slice(0, t.flows).map((f) => ({
          thread,
          port: f.port,
          requests: f.requests,
          bytes: f.bytes,
          sentBytes: f.sent_bytes,
        }))
      : [],
  );
}

/** The flows with what the receiver counted of each, and the fairness between them. */
function flowFigures(
  flows: FlowMeasured[],
  rxFlowBytes: readonly number[] | undefined,
): Pick<Measured, "flows" | "flowJain" | "flowMinShare" | "flowMaxShare"> {
  if (!flows.length) return {};
  const fair = fairness(flows.map((f) => f.bytes));
  return {
    flows: flows.map((f, i) =>
      rxFlowBytes?.[i] !== undefined ? { ...f, rxBytes: rxFlowBytes[i] } : f,
    ),
    ...(fair
      ? { flowJain: fair.jain, flowMinShare: fair.minShare, flowMaxShare: fair.maxShare }
      : {}),
  };
}

/** The figures of a case run; `plan` adds those its settings imply (GSO segments). */
export function measure(
  raw: RawResult,
  target: TargetCounters = {},
  plan?: Pick<
    Plan,
    "gsoSize" | "bufSize" | "napiBusyPollUs" | "napiPreferBusyPoll" | "rate" | "batch" | "threads"
  >,
): Measured {
  let prev = { elapsedNs: 0, requests: 0 };
  const intervals = (raw.samples ?? []).map((s) => {
    const dt = (s.elapsedNs - prev.elapsedNs) / 1e9;
    const rps = dt > 0 ? (s.requests - prev.requests) / dt : 0;
    prev = s;
    return { ...s, rps };
  });
  const totals = measureThread(raw);
  // the machine's figures are the whole window's, so the total's alone
  const machine = machineOf(raw.machine);
  const { rxFlowBytes, ...counters } = target;
  return {
    ...totals,
    ...(machine ? { ...machineFigures(machine, totals.requests), machine } : {}),
    ...(plan ? segmentsOf(totals, plan) : {}),
    ...(plan && raw.napi_threads ? { napi: napiOf(raw, plan) } : {}),
    ...flowFigures(flowsOf(raw), rxFlowBytes),
    ...(plan ? scheduleOf(plan, totals.rps, totals.latency.lateness) : {}),
    interrupted: raw.interrupted !== 0,
    threads: (raw.threads ?? []).map(measureThread),
    intervals,
    target: withReceiverMachine(counters, totals),
  };
}
