import type { Measured } from "../../model/measured.js";
import type { TargetCounters } from "../../model/target.js";

/** The keys of T whose values are numbers, optional ones (absent where a case has none) too. */
type NumericKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends number ? K : never }[keyof T];

/**
 * The name every numeric figure of a run has in `expect` expressions
 * (snake_case, like the spec language). Typed against Measured, so a figure
 * added there does not compile until it is named here too.
 */
const MEASURED_NAMES = {
  requests: "requests",
  bytes: "bytes",
  elapsedNs: "elapsed_ns",
  rps: "rps",
  gbps: "gbps",
  completions: "completions",
  notifications: "notifications",
  errors: "errors",
  firstError: "first_error",
  shortSends: "short_sends",
  cpuNsPerRequest: "cpu_ns_per_request",
  userNs: "user_ns",
  sysNs: "sys_ns",
  volCtxsw: "vol_ctxsw",
  involCtxsw: "invol_ctxsw",
  zcCopied: "zc_copied",
  zcRequests: "zc_requests",
  zcSent: "zc_sent",
  owedNotifications: "owed_notifications",
  notifUnexpected: "notif_unexpected",
  moreOnNotif: "more_on_notif",
  moreOnPlain: "more_on_plain",
  maxOutstanding: "max_outstanding",
  reuseBusy: "reuse_busy",
  cpu: "cpu",
  peakPinnedBytes: "peak_pinned_bytes",
  latencyLost: "latency_lost",
  segments: "segments",
  segmentsPerSecond: "segments_per_second",
} as const satisfies Record<NumericKeys<Measured>, string>;

/** What the target counted; absent where the target cannot tell (then the expression fails). */
const TARGET_NAMES = {
  txDropped: "tx_dropped",
  rxDatagrams: "rx_datagrams",
  rxBytes: "rx_bytes",
  rxMismatches: "rx_mismatches",
  rxChecked: "rx_checked",
  rxCpuNs: "rx_cpu_ns",
  rxCpuNsPerRequest: "rx_cpu_ns_per_request",
  rxGbps: "rx_gbps",
  rxDrops: "rx_drops",
  rxNicDrops: "rx_nic_drops",
} as const satisfies Record<NumericKeys<TargetCounters>, string>;

/** Every figure name an expression may read from `result`, `peer(...)` or `baseline(...)`. */
export const FIGURE_NAMES: readonly string[] = [
  ...Object.values(MEASURED_NAMES),
  ...Object.values(TARGET_NAMES),
];

/** One run's figures under their expression names (plain numbers). */
export function figuresOf(m: Measured): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, name] of Object.entries(MEASURED_NAMES)) {
    const v = m[key as keyof typeof MEASURED_NAMES];
    if (typeof v === "number") out[name] = v;
  }
  for (const [key, name] of Object.entries(TARGET_NAMES)) {
    const v = m.target[key as keyof typeof TARGET_NAMES];
    if (typeof v === "number") out[name] = v;
  }
  return out;
}
