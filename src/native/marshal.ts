import type { Plan } from "../model/plan.js";
import type { Destination } from "../model/target.js";
import {
  AF_INET,
  AF_INET6,
  type NativePlan,
  ZC_ABI_VERSION,
  ZC_CORK,
  ZC_CPU_SET_BYTES,
  ZC_DEVICE_MAX,
  ZC_FLOW_ORDER,
  ZC_KIND,
  ZC_KINDS,
  ZC_MAX_THREADS,
  ZC_MIX_ORDER,
  ZC_MODE,
  ZC_NETNS_PATH_MAX,
  ZC_PATTERN,
  ZC_PLAN_ASYNC,
  ZC_PLAN_BACKGROUND_POLL,
  ZC_PLAN_CONNECT,
  ZC_PLAN_CORRUPT_PATTERN,
  ZC_PLAN_FIXED_BUF,
  ZC_PLAN_FIXED_FILES,
  ZC_PLAN_HUGETLB,
  ZC_PLAN_MIXED_BUF,
  ZC_PLAN_NODELAY,
  ZC_PLAN_POLL_FIRST,
  ZC_PLAN_REG_RING_FD,
  ZC_PLAN_REPORT_USAGE,
  ZC_PLAN_SO_ZEROCOPY,
  ZC_PLAN_SUBMIT_AND_WAIT,
  ZC_PLAN_TCP,
  ZC_REUSE,
  ZC_RING,
  ZC_TS_VIA,
} from "./abi.js";

/** timestamps.via as enum zc_ts_via */
const TSTAMP_VIA = {
  auto: ZC_TS_VIA.auto,
  io_uring: ZC_TS_VIA.uring,
  error_queue: ZC_TS_VIA.errqueue,
};

/**
 * Test hook: ZCSPEC_TEST_CORRUPT_PATTERN=1 flips one byte of every payload, so receivers can show
 * they catch it.
 */
export const CORRUPT_PATTERN_ENV = "ZCSPEC_TEST_CORRUPT_PATTERN";

function planFlags(plan: Plan): number {
  const bits: [boolean, number][] = [
    [plan.fixedBuf, ZC_PLAN_FIXED_BUF],
    [plan.registerRingFd, ZC_PLAN_REG_RING_FD],
    [plan.fixedFiles, ZC_PLAN_FIXED_FILES],
    [plan.mixedBuf, ZC_PLAN_MIXED_BUF],
    [plan.tcp, ZC_PLAN_TCP],
    [plan.connect, ZC_PLAN_CONNECT],
    [plan.nodelay, ZC_PLAN_NODELAY],
    [plan.pollFirst, ZC_PLAN_POLL_FIRST],
    [plan.async, ZC_PLAN_ASYNC],
    [plan.submitAndWait, ZC_PLAN_SUBMIT_AND_WAIT],
    [plan.reportUsage, ZC_PLAN_REPORT_USAGE],
    [plan.hugetlb, ZC_PLAN_HUGETLB],
    [plan.soZerocopy, ZC_PLAN_SO_ZEROCOPY],
    [plan.backgroundPoll, ZC_PLAN_BACKGROUND_POLL],
    [process.env[CORRUPT_PATTERN_ENV] === "1", ZC_PLAN_CORRUPT_PATTERN],
  ];
  return bits.reduce((acc, [on, bit]) => (on ? acc | bit : acc), 0);
}

/**
 * A compiled plan aimed at a target, as the struct zc_plan the executor reads.
 * Only for plans with nothing unsupported (the runner skips the others).
 */
export function toNativePlan(plan: Plan, target: Destination): NativePlan {
  if (plan.unsupported.length)
    throw new RangeError(`plan has unsupported parts: ${plan.unsupported.join(", ")}`);
  if (Buffer.byteLength(target.netnsPath) >= ZC_NETNS_PATH_MAX) {
    throw new RangeError(`namespace path too long for the ABI: ${target.netnsPath}`);
  }
  if (Buffer.byteLength(plan.bindDevice) >= ZC_DEVICE_MAX) {
    throw new RangeError(`device name too long: ${plan.bindDevice}`);
  }
  if (plan.threads < 1 || plan.threads > ZC_MAX_THREADS) {
    throw new RangeError(`threads must be 1..${ZC_MAX_THREADS}: ${plan.threads}`);
  }
  const dst = new Array<number>(16).fill(0);
  target.dstAddr.forEach((b, i) => {
    dst[i] = b;
  });
  const cpus = new Array<number>(ZC_MAX_THREADS).fill(-1);
  plan.cpus.forEach((cpu, i) => {
    cpus[i] = cpu;
  });
  return {
    abi_version: ZC_ABI_VERSION,
    mode: ZC_MODE[plan.mode],
    family: target.family === "ipv6" ? AF_INET6 : AF_INET,
    flags: planFlags(plan),
    dst_addr: dst,
    dst_port: plan.port,
    gso_size: plan.gsoSize,
    ring_entries: plan.ringEntries,
    ring_flags: plan.ringFlags.reduce((acc, f) => acc | ZC_RING[f], 0),
    batch: plan.batch,
    buf_size: plan.bufSize,
    buf_count: plan.bufCount,
    sndbuf: plan.sndbuf,
    buf_offset: plan.bufOffset,
    buf_align: plan.bufAlign,
    pattern: ZC_PATTERN[plan.pattern],
    reuse: ZC_REUSE[plan.reuse],
    cork: ZC_CORK[plan.cork],
    threads: plan.threads,
    sqpoll_idle_ms: plan.sqpollIdleMs,
    duration_ns: plan.durationNs,
    warmup_ns: plan.warmupNs,
    max_requests: plan.maxRequests,
    cpus,
    bind_device: plan.bindDevice,
    netns_path: target.netnsPath,
    iov: plan.iov,
    ...mixFields(plan),
    sqpoll_cpu: plan.sqpollCpu,
    cq_entries: plan.cqEntries,
    iowq_cpus: cpuSet(plan.iowqCpus),
    napi_busy_poll_us: plan.napiBusyPollUs,
    napi_prefer_busy_poll: plan.napiPreferBusyPoll ? 1 : 0,
    napi_pad: [0, 0, 0],
    latency_every: plan.latencyEvery,
    reserved_lat: 0,
    flows: plan.flows,
    flow_order: ZC_FLOW_ORDER[plan.flowOrder],
    flow_seed: plan.flowSeed,
    interval_ps: plan.rate > 0 ? Math.round(1e12 / plan.rate) : 0,
    tstamp_every: plan.timestamps.every,
    tstamp_via: TSTAMP_VIA[plan.timestamps.via],
  };
}

/** CPU numbers as zc_plan's bitmap: bit n of byte n / 8. */
function cpuSet(cpus: readonly number[]): number[] {
  const bytes = new Array<number>(ZC_CPU_SET_BYTES).fill(0);
  for (const cpu of cpus) {
    if (cpu >= ZC_CPU_SET_BYTES * 8)
      throw new RangeError(`CPU ${cpu} is past the ABI's ${ZC_CPU_SET_BYTES * 8}`);
    bytes[cpu >> 3] = (bytes[cpu >> 3] as number) | (1 << (cpu & 7));
  }
  return bytes;
}

/** zc_plan's mix: a weight per enum zc_kind, the order, the seed (all 0 unless mode mixed). */
function mixFields(plan: Plan): Pick<NativePlan, "mix" | "mix_order" | "mix_seed"> {
  const mix = new Array<number>(ZC_KINDS).fill(0);
  for (const [kind, weight] of Object.entries(plan.mix?.weights ?? {}))
    mix[ZC_KIND[kind as keyof typeof ZC_KIND]] = weight ?? 0;
  return {
    mix,
    mix_order: ZC_MIX_ORDER[plan.mix?.order ?? "random"],
    mix_seed: plan.mix?.seed ?? 0,
  };
}
