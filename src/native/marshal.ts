import type { Target } from "../env/target.js";
import type { Plan } from "../plan/types.js";
import {
  AF_INET,
  type NativePlan,
  ZC_ABI_VERSION,
  ZC_MODE,
  ZC_NETNS_PATH_MAX,
  ZC_PLAN_FIXED_BUF,
  ZC_PLAN_FIXED_FILES,
  ZC_PLAN_REG_RING_FD,
  ZC_RING,
} from "./abi.js";

/**
 * A compiled plan aimed at a target, as the struct zc_plan the executor reads.
 * Only for plans with nothing unsupported (the runner skips the others).
 */
export function toNativePlan(plan: Plan, target: Target): NativePlan {
  if (plan.unsupported.length)
    throw new RangeError(`plan has unsupported parts: ${plan.unsupported.join(", ")}`);
  if (Buffer.byteLength(target.netnsPath) >= ZC_NETNS_PATH_MAX) {
    throw new RangeError(`namespace path too long for the ABI: ${target.netnsPath}`);
  }
  const dst = new Array<number>(16).fill(0);
  target.dstAddr.forEach((b, i) => {
    dst[i] = b;
  });
  return {
    abi_version: ZC_ABI_VERSION,
    mode: ZC_MODE[plan.mode as keyof typeof ZC_MODE],
    family: AF_INET,
    flags:
      (plan.fixedBuf ? ZC_PLAN_FIXED_BUF : 0) |
      (plan.registerRingFd ? ZC_PLAN_REG_RING_FD : 0) |
      (plan.fixedFiles ? ZC_PLAN_FIXED_FILES : 0),
    dst_addr: dst,
    dst_port: plan.port,
    reserved0: 0,
    ring_entries: plan.ringEntries,
    ring_flags: plan.ringFlags.reduce((acc, f) => acc | ZC_RING[f as keyof typeof ZC_RING], 0),
    batch: plan.batch,
    buf_size: plan.bufSize,
    buf_count: plan.bufCount,
    sndbuf: plan.sndbuf,
    reserved1: 0,
    duration_ns: plan.durationNs,
    warmup_ns: plan.warmupNs,
    max_requests: plan.maxRequests,
    netns_path: target.netnsPath,
  };
}
