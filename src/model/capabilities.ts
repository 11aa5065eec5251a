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
  | "poll_first";

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
};

export interface FeatureState {
  ok: boolean;
  /** errno name of the failed try ("EINVAL"), absent when ok */
  error?: string;
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
