/**
 * The TypeScript mirror of native/zcspec.h. koffi lays its structs out (structs.ts) by
 * the platform C ABI; the loader compares koffi.sizeof with the sizes the
 * library reports, and test/unit/abi.test.ts compares the constants with
 * the header text, so the two sides cannot drift apart silently.
 */
import type { Feature } from "../model/capabilities.js";

export const ZC_ABI_VERSION = 7;

export const ZC_MODE = {
  send: 0,
  send_zc: 1,
  sendmsg: 2,
  sendmsg_zc: 3,
  msg_zerocopy: 4,
  sendto: 5,
  mixed: 6,
} as const;

/** enum zc_kind: bit 0 a registered buffer, bit 1 zerocopy, bit 2 the msghdr op */
export const ZC_KIND = {
  send: 0,
  send_fixed: 1,
  send_zc: 2,
  send_zc_fixed: 3,
  sendmsg: 4,
  sendmsg_fixed: 5,
  sendmsg_zc: 6,
  sendmsg_zc_fixed: 7,
} as const;
export const ZC_KINDS = 8;
export const ZC_MIX_ORDER = { random: 0, rotate: 1 } as const;
export const ZC_MIX_WEIGHT_MAX = 1000;
/** flows (issue 24): enum zc_flow_order, and the most sockets per thread */
export const ZC_FLOW_ORDER = { round_robin: 0, random: 1 } as const;
export const ZC_FLOWS_MAX = 64;

export const ZC_REUSE = { immediate: 0, after_batch: 1, after_notification: 2 } as const;
export const ZC_PATTERN = { alphabet: 0, zeros: 1, sequence: 2 } as const;
export const ZC_CORK = { none: 0, udp_cork: 1, msg_more: 2 } as const;

export const ZC_PLAN_FIXED_BUF = 1 << 0;
export const ZC_PLAN_REG_RING_FD = 1 << 1;
export const ZC_PLAN_FIXED_FILES = 1 << 2;
export const ZC_PLAN_MIXED_BUF = 1 << 3;
export const ZC_PLAN_TCP = 1 << 4;
export const ZC_PLAN_CONNECT = 1 << 5;
export const ZC_PLAN_NODELAY = 1 << 6;
export const ZC_PLAN_POLL_FIRST = 1 << 7;
export const ZC_PLAN_ASYNC = 1 << 8;
export const ZC_PLAN_SUBMIT_AND_WAIT = 1 << 9;
export const ZC_PLAN_REPORT_USAGE = 1 << 10;
export const ZC_PLAN_HUGETLB = 1 << 11;
export const ZC_PLAN_SO_ZEROCOPY = 1 << 12;
export const ZC_PLAN_CORRUPT_PATTERN = 1 << 13;
export const ZC_PLAN_BACKGROUND_POLL = 1 << 14;

export const ZC_RING = {
  coop_taskrun: 1 << 0,
  single_issuer: 1 << 1,
  defer_taskrun: 1 << 2,
  taskrun_flag: 1 << 3,
  sqpoll: 1 << 4,
  no_sqarray: 1 << 5,
  sq_aff: 1 << 6,
  submit_all: 1 << 7,
} as const;

export const ZC_PHASE = { setup: 0, warmup: 1, measure: 2, drain: 3, done: 4 } as const;

/** enum zc_feature: indexes of zc_probe.works */
export const ZC_FEAT: Readonly<Record<Feature, number>> = {
  send_zc: 0,
  sendmsg_zc: 1,
  report_usage: 2,
  coop_taskrun: 3,
  single_issuer: 4,
  defer_taskrun: 5,
  taskrun_flag: 6,
  sqpoll: 7,
  fixed_buf_send: 8,
  fixed_buf_send_zc: 9,
  fixed_buf_sendmsg_zc: 10,
  hugetlb: 11,
  netns: 12,
  msg_zerocopy: 13,
  reg_ring_fd: 14,
  poll_first: 15,
  udp_segment: 16,
  send_vectorized: 17,
  no_sqarray: 18,
  sq_aff: 19,
  cqsize: 20,
  submit_all: 21,
  iowq_aff: 22,
  background_poll: 23,
  napi: 24,
  tx_timestamp: 25,
};
export const ZC_FEAT_COUNT = 26;

export const ZC_NETNS_PATH_MAX = 128;
export const ZC_DEVICE_MAX = 16;
export const ZC_MESSAGE_MAX = 256;
export const ZC_MAX_THREADS = 256;
export const ZC_ERRNO_SLOTS = 8;
export const ZC_PROBE_OPS = 256;
export const ZC_IOV_MAX = 64;
export const ZC_GSO_SEGMENTS_MAX = 128;
/** zc_plan.iowq_cpus: a bitmap of CPUs 0..1023 */
export const ZC_CPU_SET_BYTES = 128;

/** struct zc_hist: log-linear latency buckets (see native/zcspec.h) */
export const ZC_HIST = { linear: 32, subBits: 4, topBit: 36, buckets: 528 } as const;
/** enum zc_latency: indexes of zc_result.latency */
export const ZC_LAT = {
  completion: 0,
  notif: 1,
  pinned: 2,
  intended_completion: 3,
  intended_notif: 4,
  lateness: 5,
} as const;
export const ZC_LAT_COUNT = 6;
/** tx-timestamps: enum zc_ts_via, how the stamps are read (zc_plan.tstamp_via, zc_tstamp.via) */
export const ZC_TS_VIA = { auto: 0, uring: 1, errqueue: 2 } as const;
/** enum zc_ts_span: indexes of zc_tstamp.hist */
export const ZC_TS_SPAN = { sched: 0, driver: 1, ack: 2, notif: 3, total: 4 } as const;
export const ZC_TS_SPANS = 5;

/** struct zc_machine: per-CPU rows of /proc/stat at most */
export const ZC_MACHINE_CPUS = 64;
/** enum zc_cpu_state: the columns of a /proc/stat cpu line, indexes of zc_cpu_ticks */
export const ZC_CPU = {
  user: 0,
  nice: 1,
  system: 2,
  idle: 3,
  iowait: 4,
  irq: 5,
  softirq: 6,
  steal: 7,
} as const;
export const ZC_CPU_STATES = 8;

export const AF_INET = 2;
export const AF_INET6 = 10;

/** struct zc_control: stop flag, then one struct zc_progress per thread. */
export const CONTROL = {
  stopOffset: 0,
  progressOffset: 8,
  progressSize: 32,
  /** zc_progress fields, in uint64 words from the record's start */
  words: { requests: 0, bytes: 1, elapsedNs: 2 },
  phaseOffset: 24,
  size: 8 + 32 * ZC_MAX_THREADS,
} as const;

/** struct zc_plan as koffi takes it. */
export interface NativePlan {
  abi_version: number;
  mode: number;
  family: number;
  flags: number;
  dst_addr: number[];
  dst_port: number;
  /** UDP_SEGMENT size, 0 = no GSO */
  gso_size: number;
  ring_entries: number;
  ring_flags: number;
  batch: number;
  buf_size: number;
  buf_count: number;
  sndbuf: number;
  buf_offset: number;
  buf_align: number;
  pattern: number;
  reuse: number;
  cork: number;
  threads: number;
  sqpoll_idle_ms: number;
  duration_ns: number;
  warmup_ns: number;
  /** per thread */
  max_requests: number;
  /** ZC_MAX_THREADS entries, -1 = not pinned */
  cpus: number[];
  bind_device: string;
  netns_path: string;
  /** mode mixed: weight per ZC_KIND index (ZC_KINDS entries), else all 0 */
  mix: number[];
  mix_order: number;
  /** iovecs per request, 1..ZC_IOV_MAX */
  iov: number;
  /** a uint64: a number up to 2^53, or a bigint */
  mix_seed: number | bigint;
  /** with ZC_RING.sq_aff: every thread's SQ thread on this CPU, else -1 */
  sqpoll_cpu: number;
  /** IORING_SETUP_CQSIZE with this many CQ entries, 0 = the kernel's 2 x SQ */
  cq_entries: number;
  /** io-wq's CPUs: ZC_CPU_SET_BYTES bytes, bit n of byte n / 8; all 0 = any */
  iowq_cpus: number[];
  /** napi: IORING_REGISTER_NAPI's busy_poll_to in µs, 0 = not registered */
  napi_busy_poll_us: number;
  /** napi: prefer_busy_poll, 0 or 1 */
  napi_prefer_busy_poll: number;
  napi_pad: number[];
  /** lat-modes: 0 times no request, 1 every one, N one in N */
  latency_every: number;
  reserved_lat: number;
  /** flows (issue 24): sockets per thread, 1..ZC_FLOWS_MAX; their order; its seed (a uint64) */
  flows: number;
  flow_order: number;
  flow_seed: number | bigint;
  /** pacing (rate:): ps between a thread's requests, 0 = unpaced */
  interval_ps: number;
  /** tx-timestamps: one zerocopy request in this many stamped, 0 = off */
  tstamp_every: number;
  /** ZC_TS_VIA */
  tstamp_via: number;
}

/** struct zc_result as koffi returns it: one thread, or all of them. */
export interface RawThreadResult {
  status: number;
  first_error: number;
  requests: number;
  bytes: number;
  elapsed_ns: number;
  completions: number;
  notifications: number;
  errors: number;
  short_sends: number;
  user_ns: number;
  sys_ns: number;
  vol_ctxsw: number;
  invol_ctxsw: number;
  zc_copied: number;
  zc_requests: number;
  owed_notifications: number;
  max_outstanding: number;
  reuse_busy: number;
  notif_unexpected: number;
  more_on_notif: number;
  more_on_plain: number;
  zc_sent: number;
  /** successful requests per ZC_KIND index (io_uring modes) */
  kinds: number[];
  interrupted: number;
  cpu: number;
  errnos: { err: number; reserved: number; count: number }[];
  message: string;
  peak_pinned_bytes: number;
  latency_lost: number;
  /** ZC_LAT_COUNT histograms, by ZC_LAT index */
  latency: RawHistogram[];
  /** absent from results made before ABI 5 (saved raw results in tests) */
  machine?: RawMachine;
  tcp?: RawTcp;
  /** napi: rings that took IORING_REGISTER_NAPI; absent before ABI 7 */
  napi_threads?: number;
  /** napi: the socket's SO_INCOMING_NAPI_ID at the window's end, 0 = none */
  napi_id?: number;
  /** flows (issue 24): the thread's sockets (0 in the total); absent before ABI 7 */
  flows?: number;
  /** ZC_FLOWS_MAX records, the first `flows` filled */
  flow?: RawFlow[];
  /** tx-timestamps; absent from results made before ABI 7 */
  tstamp?: RawTstamp;
}

/** struct zc_flow: one socket of a thread */
export interface RawFlow {
  /** its local (source) port */
  port: number;
  /** successful requests and their bytes, measured window */
  requests: number;
  bytes: number;
  /** every byte it sent, warmup included: what the receiver counts */
  sent_bytes: number;
}

/** struct zc_tstamp as koffi returns it (tx-timestamps). */
export interface RawTstamp {
  via: number;
  reserved: number;
  sampled: number;
  timed: number;
  incomplete: number;
  unmatched: number;
  disordered: number;
  mismatched: number;
  early: number;
  /** stamps received: SCHED, SOFTWARE, ACK */
  stamps: number[];
  /** ZC_TS_SPANS histograms, by ZC_TS_SPAN index */
  hist: RawHistogram[];
}

/** struct zc_cpu_ticks: one /proc/stat cpu line's counters (ZC_CPU order) at the window's edges */
export interface RawCpuTicks {
  start: number[];
  end: number[];
}

/** struct zc_machine as koffi returns it. */
export interface RawMachine {
  cpus: number;
  clk_tck: number;
  more_cpus: number;
  reserved: number;
  start_ns: number;
  end_ns: number;
  all: RawCpuTicks;
  /** ZC_MACHINE_CPUS rows, the first `cpus` filled */
  cpu: RawCpuTicks[];
  cpu_id: number[];
}

/** struct zc_tcp as koffi returns it. */
export interface RawTcp {
  connections: number;
  rtt_us: number;
  rttvar_us: number;
  snd_cwnd: number;
  snd_mss: number;
  unacked: number;
  lost: number;
  retrans: number;
  delivery_rate: number;
  notsent_bytes: number;
  in_flight_bytes: number;
  retrans_bytes: number;
  busy_us: number;
  rwnd_limited_us: number;
  sndbuf_limited_us: number;
}

/** struct zc_hist as koffi returns it. */
export interface RawHistogram {
  count: number;
  sum_ns: number;
  min_ns: number;
  max_ns: number;
  buckets: number[];
}

/** One point of the interval series: the executor's own counters at that moment. */
export interface Sample {
  elapsedNs: number;
  requests: number;
  bytes: number;
}

/** What one runCase call returns: the total (the struct's fields), every thread, the series. */
export interface RawResult extends RawThreadResult {
  threads: RawThreadResult[];
  samples: Sample[];
}

/** struct zc_probe as koffi returns it. */
export interface RawProbe {
  ops_last: number;
  probe_status: number;
  works: number[];
  ops: number[];
  liburing: string;
}

// ---- the built-in receiver (native/receiver.c) ----

export const ZC_PROTO = { udp: 0, tcp: 1 } as const;
export const ZC_VERIFY = { full: 0, sample: 1, off: 2 } as const;
export const ZC_RX_SAMPLE_MAX = 65536;
