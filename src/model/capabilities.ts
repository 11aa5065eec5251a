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
