import type { TargetCounters } from "../env/target.js";
import type { RawResult } from "./abi.js";

/** The figures of one case run, derived from what the executor counted. */
export interface Measured {
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
  shortSends: number;
  /** sender-thread CPU (user + sys) per request, ns */
  cpuNsPerRequest: number;
  userNs: number;
  sysNs: number;
  volCtxsw: number;
  involCtxsw: number;
  /** what the target saw during the case, warmup included */
  target: TargetCounters;
}

export function measure(raw: RawResult, target: TargetCounters = {}): Measured {
  const seconds = raw.elapsed_ns / 1e9;
  const cpu = raw.user_ns + raw.sys_ns;
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
    shortSends: raw.short_sends,
    cpuNsPerRequest: raw.requests > 0 ? cpu / raw.requests : 0,
    userNs: raw.user_ns,
    sysNs: raw.sys_ns,
    volCtxsw: raw.vol_ctxsw,
    involCtxsw: raw.invol_ctxsw,
    target,
  };
}
