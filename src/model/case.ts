/**
 * One runnable case as every stage after spec/ reads it: every parameter
 * resolved, sizes in bytes, times in nanoseconds. schema/zcspec.schema.json
 * is the truth for the written form (spec/types.ts).
 */

import type { KernelInfo } from "./kernel.js";

export type Mode =
  | "send"
  | "send_zc"
  | "sendmsg"
  | "sendmsg_zc"
  | "msg_zerocopy"
  | "sendto"
  | "mixed";
/** A kind of request `mode: mixed` chooses among, per request (`mix.weights`). */
export type MixKind =
  | "send"
  | "send_zc"
  | "send_zc_fixed"
  | "sendmsg"
  | "sendmsg_zc"
  | "sendmsg_zc_fixed";
/** How much of what arrives the built-in receiver compares with the pattern. */
export type Verify = "full" | "sample" | "off";
/** `latency.record`: every request timed, one in N, or none */
export type LatencyRecord = "full" | "sampled" | "off";
export type RingFlag =
  | "coop_taskrun"
  | "single_issuer"
  | "defer_taskrun"
  | "taskrun_flag"
  | "sqpoll"
  | "no_sqarray"
  | "sq_aff"
  | "submit_all";
export type Register = "auto" | "fixed" | "none" | "mixed";
export type TargetKind = "sink" | "loopback" | "pair" | "remote";
export type Reuse = "immediate" | "after_batch" | "after_notification";
export type Pattern = "alphabet" | "zeros" | "sequence";
/** How transmit timestamps are read: auto picks io_uring where the kernel has it. */
export type TimestampsVia = "auto" | "io_uring" | "error_queue";

export interface Reference {
  source?: string;
  rps?: number;
  note?: string;
  columns?: Record<string, number | string>;
}

/** One runnable case: every parameter resolved, sizes in bytes, times in ns. */
export interface Case {
  name: string;
  mode: Mode;
  target: TargetKind;
  /** only with target: remote */
  remote?: {
    address: string;
    port: number;
    interface?: string;
    /** a command that starts `zcspec receive --stdio` on the receiving host */
    receiver?: { launch: string[]; port?: number };
  };
  socket: {
    family: "ipv4" | "ipv6";
    type: "udp" | "tcp";
    connect: boolean;
    sndbuf: number;
    nodelay: boolean;
    cork: "none" | "udp_cork" | "msg_more";
    bind_device?: string;
    port: number;
    zerocopy: boolean;
    /** UDP_SEGMENT size in bytes, 0 for no GSO */
    gso_size: number;
    /** a POLLIN poll on the socket left armed in the background (the example's -y) */
    background_poll: boolean;
    /** sockets per sender thread (issue 24), 1..64 */
    flows: number;
    /** how requests spread over them; random draws from flow_seed + thread */
    flow_order: "round_robin" | "random";
    flow_seed: number;
  };
  ring: {
    entries: number;
    flags: RingFlag[];
    register_ring_fd: boolean;
    fixed_files: boolean;
    poll_first: boolean;
    async: boolean;
    cqe_skip_success: boolean;
    sqpoll_idle_ns: number;
    /** with the sq_aff flag: the SQ thread's CPU, -1 for none */
    sqpoll_cpu: number;
    /** CQ entries (IORING_SETUP_CQSIZE), 0 for the kernel's twice `entries` */
    cqsize: number;
    /** io-wq's CPUs (IORING_REGISTER_IOWQ_AFF), empty for any */
    iowq_cpus: number[];
    /** NAPI busy poll registered on the ring (IORING_REGISTER_NAPI); busy_poll_us 0 for none */
    napi: { busy_poll_us: number; prefer_busy_poll: boolean };
  };
  buffers: {
    register: Register;
    size: number;
    count: number;
    offset: number;
    /** bytes per slot, offset + size at most (resolved: never 0) */
    slot: number;
    hugetlb: boolean;
    align: number;
    pattern: Pattern;
    /** iovecs per request: the payload in this many nearly equal consecutive pieces */
    iov: number;
  };
  batch: number;
  submit: "submit_and_wait" | "submit";
  /** most requests in flight, 0 for one batch */
  inflight: number;
  notifications: { reuse: Reuse; report_usage: boolean };
  /**
   * tx-timestamps: SCHED/SOFTWARE/ACK stamps on one zerocopy request in `every` (0: off), read
   * through io_uring's SOCKET_URING_OP_TX_TIMESTAMP or the socket's error queue
   */
  timestamps: { every: number; via: TimestampsVia };
  threads: { count: number; cpus: number[] };
  duration_ns: number;
  warmup_ns: number;
  /** measured-request cap, 0 for none */
  requests: number;
  /** offered load (`rate:`): requests/s per thread, a byte rate divided by buffers.size; 0 unpaced */
  rate: number;
  /** repetitions that always run: `repeat` as written, or `repeat.min` of the adaptive form */
  repeat: number;
  /**
   * `repeat: {min, max, until}`: more rounds, up to `max` repetitions, until the intervals are
   * `until` tight (a fraction)
   */
  adaptive?: { max: number; until: number };
  reference?: Reference;
  /**
   * mode: mixed (or a spec that writes `mix`): each request's kind, drawn
   * by weight from a seeded stream (random) or in a fixed rotation
   */
  mix?: { weights: Partial<Record<MixKind, number>>; order: "random" | "rotate"; seed: number };
  /** the built-in receiver of loopback and pair */
  receiver: {
    verify: Verify;
    /** sample: bytes checked at the start of every datagram or read */
    sample_bytes: number;
    /** sample: one datagram or read in this many is checked in full */
    sample_every: number;
    /** SO_RCVBUF in bytes, 0 for the kernel's default */
    rcvbuf: number;
    /** CPU the receiver thread is pinned to, -1 for none */
    cpu: number;
  };
  /**
   * which requests the sender times into result.latency: all, one in `every` (sampled), or none;
   * every is 1 for full and 0 for off, as the executor takes it
   */
  latency: { record: LatencyRecord; every: number };
  /** target: sink: the MTU of its veth devices */
  sink: { mtu: number };
  /** target: pair: sysctls set inside its two namespaces, in bytes, its veth MTU, GRO on the veths */
  pair: {
    sysctls: { optmem_max: number; wmem_max: number; rmem_max: number };
    mtu: number;
    gro: boolean;
  };
  /** the matrix values that made this case, by dotted path */
  matrix: Record<string, unknown>;
  /**
   * the kernel a `--kernel` run booted for it (also `matrix.kernel`); absent in a run without
   * --kernel
   */
  kernel?: KernelInfo;
}

/** A case's parameter at a dotted path (a matrix key first, then the case's own fields). */
export function valueAt(c: Case, path: string): unknown {
  if (path in c.matrix) return c.matrix[path];
  return path
    .split(".")
    .reduce<unknown>(
      (o, seg) => (o && typeof o === "object" ? (o as Record<string, unknown>)[seg] : undefined),
      c,
    );
}

/** Parameter values compared as a spec writes them (4KiB is not 4096; CEL ints are bigints). */
export function sameValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (typeof v === "bigint" ? Number(v) : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}
