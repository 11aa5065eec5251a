import { constants } from "node:os";
import type { TargetCounters } from "../env/target.js";
import type { RawResult, RawThreadResult } from "./abi.js";

/** One point of the interval series (cumulative figures, and the rate since the previous point). */
export interface Interval {
  elapsedNs: number;
  requests: number;
  bytes: number;
  /** requests per second between the previous point and this one */
  rps: number;
}

/** The figures of one sender thread (or of all of them: Measured extends this). */
export interface ThreadMeasured {
  requests: number;
  bytes: number;
  elapsedNs: number;
  /** requests per second over the measured window */
  rps: number;
  /** payload gigabits per second */
  gbps: number;
  completions: number;
  notifications: number;
  errors: number;
  firstError: number;
  /** errors by errno name ("EINVAL": 3) */
  errnos: Record<string, number>;
  shortSends: number;
  /** sender-thread CPU (user + sys) per request, ns */
  cpuNsPerRequest: number;
  userNs: number;
  sysNs: number;
  volCtxsw: number;
  involCtxsw: number;
  /** notifications whose data the kernel copied (report_usage, msg_zerocopy) */
  zcCopied: number;
  /** completions that owed a notification (F_MORE; MSG_ZEROCOPY ids) */
  zcRequests: number;
  /** invariant counters: each must be 0 */
  owedNotifications: number;
  notifUnexpected: number;
  moreOnNotif: number;
  moreOnPlain: number;
  /** most notifications owed at once (after_batch keeps it <= batch) */
  maxOutstanding: number;
  /** buffer slots handed out while the kernel still held them (after_notification keeps it 0) */
  reuseBusy: number;
  /** CPU the thread was pinned to, -1 for none */
  cpu: number;
}

/** The figures of one case run, derived from what the executor counted. */
export interface Measured extends ThreadMeasured {
  /** the caller stopped the case early (SIGINT): the figures cover the part that ran */
  interrupted: boolean;
  threads: ThreadMeasured[];
  intervals: Interval[];
  /** what the target saw during the case, warmup included */
  target: TargetCounters;
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
    owedNotifications: raw.owed_notifications,
    notifUnexpected: raw.notif_unexpected,
    moreOnNotif: raw.more_on_notif,
    moreOnPlain: raw.more_on_plain,
    maxOutstanding: raw.max_outstanding,
    reuseBusy: raw.reuse_busy,
    cpu: raw.cpu,
  };
}

export function measure(raw: RawResult, target: TargetCounters = {}): Measured {
  let prev = { elapsedNs: 0, requests: 0 };
  const intervals = (raw.samples ?? []).map((s) => {
    const dt = (s.elapsedNs - prev.elapsedNs) / 1e9;
    const rps = dt > 0 ? (s.requests - prev.requests) / dt : 0;
    prev = s;
    return { ...s, rps };
  });
  return {
    ...measureThread(raw),
    interrupted: raw.interrupted !== 0,
    threads: (raw.threads ?? []).map(measureThread),
    intervals,
    target,
  };
}
