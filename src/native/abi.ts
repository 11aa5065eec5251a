/**
 * The TypeScript mirror of native/zcspec.h. koffi lays these structs out by
 * the platform C ABI; the loader compares koffi.sizeof with the sizes the
 * library reports, and test/unit/abi-header.test.ts compares the constants
 * with the header text, so the two sides cannot drift apart silently.
 */
import koffi from "koffi";

export const ZC_ABI_VERSION = 1;

export const ZC_MODE = { send: 0, send_zc: 1 } as const;

export const ZC_PLAN_FIXED_BUF = 1 << 0;
export const ZC_PLAN_REG_RING_FD = 1 << 1;
export const ZC_PLAN_FIXED_FILES = 1 << 2;

export const ZC_RING = {
  coop_taskrun: 1 << 0,
  single_issuer: 1 << 1,
  defer_taskrun: 1 << 2,
} as const;

export const ZC_NETNS_PATH_MAX = 128;
export const ZC_MESSAGE_MAX = 256;

export const AF_INET = 2;
export const AF_INET6 = 10;

export const PlanStruct = koffi.struct("zc_plan", {
  abi_version: "uint32_t",
  mode: "uint32_t",
  family: "uint32_t",
  flags: "uint32_t",
  dst_addr: koffi.array("uint8_t", 16),
  dst_port: "uint16_t",
  reserved0: "uint16_t",
  ring_entries: "uint32_t",
  ring_flags: "uint32_t",
  batch: "uint32_t",
  buf_size: "uint32_t",
  buf_count: "uint32_t",
  sndbuf: "uint32_t",
  reserved1: "uint32_t",
  duration_ns: "uint64_t",
  warmup_ns: "uint64_t",
  max_requests: "uint64_t",
  netns_path: koffi.array("char", ZC_NETNS_PATH_MAX, "String"),
});

export const ResultStruct = koffi.struct("zc_result", {
  status: "int32_t",
  first_error: "int32_t",
  requests: "uint64_t",
  bytes: "uint64_t",
  elapsed_ns: "uint64_t",
  completions: "uint64_t",
  notifications: "uint64_t",
  errors: "uint64_t",
  short_sends: "uint64_t",
  user_ns: "uint64_t",
  sys_ns: "uint64_t",
  vol_ctxsw: "uint64_t",
  invol_ctxsw: "uint64_t",
  message: koffi.array("char", ZC_MESSAGE_MAX, "String"),
});

/** struct zc_plan as koffi takes it. */
export interface NativePlan {
  abi_version: number;
  mode: number;
  family: number;
  flags: number;
  dst_addr: number[];
  dst_port: number;
  reserved0: 0;
  ring_entries: number;
  ring_flags: number;
  batch: number;
  buf_size: number;
  buf_count: number;
  sndbuf: number;
  reserved1: 0;
  duration_ns: number;
  warmup_ns: number;
  max_requests: number;
  netns_path: string;
}

/** struct zc_result as koffi returns it. */
export interface RawResult {
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
  message: string;
}
