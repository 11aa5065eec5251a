import type { TcpView } from "./measured/machine.js";
import type { Measured, NapiView } from "./measured/measured.js";
import type { TargetCounters } from "./target.js";

/**
 * How a report writes a figure's value; report/text/numbers.ts maps each kind
 * to its function (model/ imports no stage).
 */
export type FigureFormat = "integer" | "count" | "gbit" | "bytes" | "share" | "ratio";

/** What one measured figure is, wherever it appears. */
export interface FigureRow {
  /** its name in `expect` expressions (snake_case, like the spec language), and its CSV column */
  cel: string;
  /** its unit, as a results table would head it */
  unit: string;
  format: FigureFormat;
  /** for a figure two cases are compared on: which direction is the better one */
  better?: "higher" | "lower";
  /** a results table's column heading, for a figure the tables show */
  column?: string;
  /** what a sentence calls it, for a figure the reports compare on */
  words?: string;
  /** a CSV column added after the first release's columns, so that those keep their places */
  csvAppended?: true;
  /** a CSV column added later still, after TCP's, so that those keep theirs too */
  csvAfterTcp?: true;
}

/** The keys of T whose values are numbers, optional ones (absent where a case has none) too. */
type NumericKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends number ? K : never }[keyof T];

/**
 * Every numeric figure of a run, keyed by its JSON key in `measured`. Typed
 * against Measured, so a figure added there does not compile until it has a row.
 */
export const MEASURED_FIGURES = {
  requests: { cel: "requests", unit: "requests", format: "count" },
  bytes: { cel: "bytes", unit: "bytes", format: "count" },
  elapsedNs: { cel: "elapsed_ns", unit: "ns", format: "count" },
  rps: {
    cel: "rps",
    unit: "requests/s",
    format: "integer",
    better: "higher",
    column: "requests/s",
    words: "requests/s",
  },
  gbps: { cel: "gbps", unit: "Gbit/s", format: "gbit", better: "higher", column: "Gbit/s" },
  completions: { cel: "completions", unit: "CQEs", format: "count", column: "completions" },
  // short, so that the console table with CPU per request fits a terminal
  notifications: { cel: "notifications", unit: "notifications", format: "count", column: "notifs" },
  errors: { cel: "errors", unit: "requests", format: "count", column: "errors" },
  firstError: { cel: "first_error", unit: "errno", format: "count" },
  shortSends: { cel: "short_sends", unit: "requests", format: "count" },
  cpuNsPerRequest: {
    cel: "cpu_ns_per_request",
    unit: "ns",
    format: "integer",
    better: "lower",
    column: "CPU ns/req",
    words: "CPU per request (sender threads)",
  },
  userNs: { cel: "user_ns", unit: "ns", format: "count" },
  sysNs: { cel: "sys_ns", unit: "ns", format: "count" },
  volCtxsw: { cel: "vol_ctxsw", unit: "switches", format: "count" },
  involCtxsw: { cel: "invol_ctxsw", unit: "switches", format: "count" },
  zcCopied: { cel: "zc_copied", unit: "notifications", format: "count" },
  zcRequests: { cel: "zc_requests", unit: "requests", format: "count" },
  zcSent: { cel: "zc_sent", unit: "requests", format: "count" },
  owedNotifications: { cel: "owed_notifications", unit: "notifications", format: "count" },
  notifUnexpected: { cel: "notif_unexpected", unit: "notifications", format: "count" },
  moreOnNotif: { cel: "more_on_notif", unit: "CQEs", format: "count" },
  moreOnPlain: { cel: "more_on_plain", unit: "CQEs", format: "count" },
  maxOutstanding: { cel: "max_outstanding", unit: "notifications", format: "count" },
  reuseBusy: { cel: "reuse_busy", unit: "slots", format: "count" },
  cpu: { cel: "cpu", unit: "CPU", format: "count" },
  peakPinnedBytes: {
    cel: "peak_pinned_bytes",
    unit: "bytes",
    format: "bytes",
    column: "peak pinned",
    csvAppended: true,
  },
  latencyLost: { cel: "latency_lost", unit: "requests", format: "count" },
  segments: { cel: "segments", unit: "datagrams", format: "count", csvAppended: true },
  segmentsPerSecond: {
    cel: "segments_per_second",
    unit: "datagrams/s",
    format: "integer",
    column: "segments/s",
    csvAppended: true,
  },
  // the whole machine's CPU (/proc/stat over the window), appended after the older columns
  machineCpuNsPerRequest: {
    cel: "machine_cpu_ns_per_request",
    unit: "ns",
    format: "integer",
    better: "lower",
    column: "machine ns/req",
    words: "CPU per request (whole machine)",
    csvAppended: true,
  },
  softirqShare: {
    cel: "softirq_share",
    unit: "of busy CPU",
    format: "share",
    column: "softirq",
    csvAppended: true,
  },
  // flows (issue 24): fairness between a case's sockets, after TCP's CSV columns
  flowJain: {
    cel: "flow_jain",
    unit: "Jain's index",
    format: "ratio",
    better: "higher",
    words: "fairness between flows (Jain's index)",
    csvAfterTcp: true,
  },
  flowMinShare: { cel: "flow_min_share", unit: "of the bytes", format: "share", csvAfterTcp: true },
  flowMaxShare: { cel: "flow_max_share", unit: "of the bytes", format: "share", csvAfterTcp: true },
  // paced cases (rate:) only: the offered load and how well the schedule held (docs/latency.md)
  offeredRps: {
    cel: "offered_rps",
    unit: "requests/s",
    format: "integer",
    column: "offered/s",
    csvAfterTcp: true,
  },
  achievedShare: { cel: "achieved_share", unit: "of offered", format: "share", csvAfterTcp: true },
  lateBoundNs: { cel: "late_bound_ns", unit: "ns", format: "count", csvAfterTcp: true },
  lateShare: {
    cel: "late_share",
    unit: "of requests",
    format: "share",
    column: "late",
    csvAfterTcp: true,
  },
} as const satisfies Record<NumericKeys<Measured>, FigureRow>;

/** What the target counted (`measured.target`); absent where the target cannot tell. */
export const TARGET_FIGURES = {
  txDropped: { cel: "tx_dropped", unit: "packets", format: "count" },
  txPackets: { cel: "tx_packets", unit: "packets", format: "count" },
  rxDatagrams: { cel: "rx_datagrams", unit: "datagrams", format: "count" },
  rxBytes: { cel: "rx_bytes", unit: "bytes", format: "count" },
  rxMismatches: { cel: "rx_mismatches", unit: "bytes", format: "count" },
  rxChecked: { cel: "rx_checked", unit: "bytes", format: "count" },
  rxReads: { cel: "rx_reads", unit: "reads", format: "count" },
  rxCpuNs: { cel: "rx_cpu_ns", unit: "ns", format: "count" },
  rxCpuNsPerRequest: {
    cel: "rx_cpu_ns_per_request",
    unit: "ns",
    format: "integer",
    better: "lower",
    column: "rx CPU ns/req",
  },
  rxGbps: { cel: "rx_gbps", unit: "Gbit/s", format: "gbit" },
  rxDrops: { cel: "rx_drops", unit: "datagrams", format: "count" },
  rxNicDrops: { cel: "rx_nic_drops", unit: "packets", format: "count" },
  rxMachineCpuNsPerRequest: {
    cel: "rx_machine_cpu_ns_per_request",
    unit: "ns",
    format: "integer",
    better: "lower",
    column: "rx host ns/req",
    words: "CPU per request (receiving host, whole machine)",
  },
} as const satisfies Record<NumericKeys<TargetCounters>, FigureRow>;

/** TCP's view of the sending connections (`measured.tcp`); absent for UDP. Appended to the CSV. */
export const TCP_FIGURES = {
  connections: { cel: "tcp_connections", unit: "connections", format: "count" },
  rttUs: { cel: "tcp_rtt_us", unit: "µs", format: "count" },
  rttvarUs: { cel: "tcp_rttvar_us", unit: "µs", format: "count" },
  sndCwnd: { cel: "tcp_snd_cwnd", unit: "segments", format: "count" },
  sndMss: { cel: "tcp_snd_mss", unit: "bytes", format: "count" },
  unacked: { cel: "tcp_unacked", unit: "segments", format: "count" },
  lost: { cel: "tcp_lost", unit: "segments", format: "count" },
  retrans: { cel: "tcp_retrans", unit: "segments", format: "count" },
  retransBytes: { cel: "tcp_retrans_bytes", unit: "bytes", format: "count" },
  deliveryRate: { cel: "tcp_delivery_rate", unit: "bytes/s", format: "count" },
  notsentBytes: { cel: "tcp_notsent_bytes", unit: "bytes", format: "count" },
  inFlightBytes: { cel: "tcp_in_flight_bytes", unit: "bytes", format: "count" },
  busyUs: { cel: "tcp_busy_us", unit: "µs", format: "count" },
  rwndLimitedUs: { cel: "tcp_rwnd_limited_us", unit: "µs", format: "count" },
  sndbufLimitedUs: { cel: "tcp_sndbuf_limited_us", unit: "µs", format: "count" },
} as const satisfies Record<NumericKeys<TcpView>, FigureRow>;

/** NAPI busy poll as the rings registered it (`measured.napi`); absent without ring.napi. */
export const NAPI_FIGURES = {
  rings: { cel: "napi_rings", unit: "rings", format: "count" },
  busyPollUs: { cel: "napi_busy_poll_us", unit: "µs", format: "count" },
  napiId: { cel: "napi_id", unit: "ID", format: "count" },
} as const satisfies Record<NumericKeys<NapiView>, FigureRow>;

export type MeasuredFigure = keyof typeof MEASURED_FIGURES;
export type TargetFigure = keyof typeof TARGET_FIGURES;
export type TcpFigure = keyof typeof TCP_FIGURES;
export type NapiFigure = keyof typeof NAPI_FIGURES;
export type AnyFigure = MeasuredFigure | TargetFigure | TcpFigure | NapiFigure;

/** A figure's value in one run: a measured one, one the target counted, or TCP's. */
export function figureValue(m: Measured, key: AnyFigure): number | undefined {
  const v =
    key in TARGET_FIGURES
      ? m.target[key as TargetFigure]
      : key in TCP_FIGURES
        ? m.tcp?.[key as TcpFigure]
        : key in NAPI_FIGURES
          ? m.napi?.[key as NapiFigure]
          : m[key as MeasuredFigure];
  return typeof v === "number" ? v : undefined;
}

/** A figure's row, measured, the target's or TCP's. */
export function figureRow(key: AnyFigure): FigureRow {
  return key in TARGET_FIGURES
    ? TARGET_FIGURES[key as TargetFigure]
    : key in TCP_FIGURES
      ? TCP_FIGURES[key as TcpFigure]
      : key in NAPI_FIGURES
        ? NAPI_FIGURES[key as NapiFigure]
        : MEASURED_FIGURES[key as MeasuredFigure];
}
