/** What the running kernel and this process can do, as the probe found it. */

/** The features the native probe tries, by name (enum zc_feature). */
export type Feature =
  | "send_zc"
  | "sendmsg_zc"
  | "report_usage"
  | "coop_taskrun"
  | "single_issuer"
  | "defer_taskrun"
  | "taskrun_flag"
  | "sqpoll"
  | "fixed_buf_send"
  | "fixed_buf_send_zc"
  | "fixed_buf_sendmsg_zc"
  | "hugetlb"
  | "netns"
  | "msg_zerocopy"
  | "reg_ring_fd"
  | "poll_first"
  | "udp_segment"
  | "send_vectorized"
  | "no_sqarray"
  | "sq_aff"
  | "cqsize"
  | "submit_all"
  | "iowq_aff"
  | "background_poll"
  | "napi"
  | "tx_timestamp";

/** What each probed feature is: how the probe tries it, as `zcspec probe` prints it. */
export const FEATURE_TRIES: Record<Feature, string> = {
  send_zc: "IORING_OP_SEND_ZC, one request to loopback",
  sendmsg_zc: "IORING_OP_SENDMSG_ZC, one request to loopback",
  report_usage: "SEND_ZC with IORING_SEND_ZC_REPORT_USAGE",
  coop_taskrun: "ring with IORING_SETUP_COOP_TASKRUN",
  single_issuer: "ring with IORING_SETUP_SINGLE_ISSUER",
  defer_taskrun: "ring with SINGLE_ISSUER|DEFER_TASKRUN",
  taskrun_flag: "ring with COOP_TASKRUN|TASKRUN_FLAG",
  sqpoll: "ring with IORING_SETUP_SQPOLL, one NOP",
  fixed_buf_send: "IORING_OP_SEND with a registered buffer",
  fixed_buf_send_zc: "IORING_OP_SEND_ZC with a registered buffer",
  fixed_buf_sendmsg_zc: "IORING_OP_SENDMSG_ZC with a registered buffer",
  hugetlb: "mmap of one 2 MiB MAP_HUGETLB page",
  netns: "unshare(CLONE_NEWNET) on a thread",
  msg_zerocopy: "sendmsg MSG_ZEROCOPY, completion from the error queue",
  reg_ring_fd: "io_uring_register_ring_fd",
  poll_first: "IORING_OP_SEND with IORING_RECVSEND_POLL_FIRST",
  udp_segment: "UDP_SEGMENT (GSO): one 2-segment datagram to loopback",
  send_vectorized: "IORING_OP_SEND_ZC with IORING_SEND_VECTORIZED, two iovecs",
  no_sqarray: "ring with IORING_SETUP_NO_SQARRAY, one NOP",
  sq_aff: "ring with SQPOLL|SQ_AFF on this thread's CPU, one NOP",
  cqsize: "ring with IORING_SETUP_CQSIZE, its CQ as large as asked",
  submit_all: "ring with IORING_SETUP_SUBMIT_ALL, one NOP",
  iowq_aff: "io_uring_register_iowq_aff with this thread's CPUs",
  background_poll: "IORING_OP_POLL_ADD POLLIN, armed, then fired by a datagram",
  napi: "IORING_REGISTER_NAPI (busy poll 1 µs), then IORING_UNREGISTER_NAPI",
  tx_timestamp:
    "IORING_OP_URING_CMD SOCKET_URING_OP_TX_TIMESTAMP on a CQE32 ring, fired by a stamped datagram",
};

/**
 * How one feature's try ended, one of three outcomes:
 * - it works: `ok: true`;
 * - missing: `ok: false` without `limit`. This kernel or machine does not
 *   offer it (EINVAL, EOPNOTSUPP, an op IORING_REGISTER_PROBE does not list,
 *   no huge pages reserved); a case that needs it is skipped with the reason.
 * - limited: `ok: false` with `limit`. The kernel has it, but a limit or a
 *   permission of this process stops it (RLIMIT_MEMLOCK, net.core.optmem_max,
 *   a capability, kernel.io_uring_disabled); a case that needs it ends as an
 *   error with `limit.hint`, since raising the limit lets it run.
 */
export interface FeatureState {
  ok: boolean;
  /** errno name of the failed try ("EINVAL"), absent when ok */
  error?: string;
  /** what stops a feature the kernel has; absent when ok or missing */
  limit?: FeatureLimit;
}

/** The limit or permission that stops a feature the kernel has. */
export interface FeatureLimit {
  /** "RLIMIT_MEMLOCK", "net.core.optmem_max", "kernel.io_uring_disabled", "CAP_SYS_ADMIN", ... */
  what: string;
  /** its value here, as a user reads it: "64 KiB soft / 64 KiB hard", "512 bytes" */
  value: string;
  /** how to lift it */
  hint: string;
}

/** What can stop a feature the kernel has, as this process finds it. */
export interface ProcessLimits {
  memlock: MemlockLimit;
  /** CAP_IPC_LOCK in the initial user namespace: RLIMIT_MEMLOCK does not bind */
  ipcLock: boolean;
  /** net.core.optmem_max of this network namespace in bytes; null if unreadable */
  optmemMax: number | null;
  /** kernel.io_uring_disabled (0, 1 or 2); null where the kernel has no such sysctl */
  ioUringDisabled: number | null;
}

/** RLIMIT_MEMLOCK in bytes; null = unlimited */
export interface MemlockLimit {
  soft: number | null;
  hard: number | null;
}

export interface Capabilities {
  kernel: string;
  /** liburing version the library was built against */
  liburing: string;
  /** io_uring opcodes the kernel supports (IORING_REGISTER_PROBE), or why the probe failed */
  ops: string[];
  opsError?: string;
  features: Record<Feature, FeatureState>;
  memlock: MemlockLimit;
  capNetAdmin: boolean;
}

/** A feature a plan cannot run without, and the spec setting that asks for it. */
export interface FeatureNeed {
  feature: Feature;
  why: string;
}
