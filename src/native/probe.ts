import { readFileSync } from "node:fs";
import { release } from "node:os";
import { effectiveCaps } from "../env/caps.js";
import type { Plan } from "../plan/types.js";
import { type Feature, ZC_FEAT } from "./abi.js";
import { loadNative, type NativeLibrary } from "./library.js";
import { errnoName } from "./result.js";

/** io_uring opcodes by number (include/uapi/linux/io_uring.h, Linux 6.18). */
// biome-ignore format: a table, in opcode order
const OP_NAMES = [
  "NOP", "READV", "WRITEV", "FSYNC", "READ_FIXED", "WRITE_FIXED", "POLL_ADD", "POLL_REMOVE",
  "SYNC_FILE_RANGE", "SENDMSG", "RECVMSG", "TIMEOUT", "TIMEOUT_REMOVE", "ACCEPT", "ASYNC_CANCEL",
  "LINK_TIMEOUT", "CONNECT", "FALLOCATE", "OPENAT", "CLOSE", "FILES_UPDATE", "STATX", "READ",
  "WRITE", "FADVISE", "MADVISE", "SEND", "RECV", "OPENAT2", "EPOLL_CTL", "SPLICE",
  "PROVIDE_BUFFERS", "REMOVE_BUFFERS", "TEE", "SHUTDOWN", "RENAMEAT", "UNLINKAT", "MKDIRAT",
  "SYMLINKAT", "LINKAT", "MSG_RING", "FSETXATTR", "SETXATTR", "FGETXATTR", "GETXATTR", "SOCKET",
  "URING_CMD", "SEND_ZC", "SENDMSG_ZC", "READ_MULTISHOT", "WAITID", "FUTEX_WAIT", "FUTEX_WAKE",
  "FUTEX_WAITV", "FIXED_FD_INSTALL", "FTRUNCATE", "BIND", "LISTEN", "RECV_ZC", "EPOLL_WAIT",
  "READV_FIXED", "WRITEV_FIXED", "PIPE",
];

/** What each probed feature is, as `zcspec probe` prints it. */
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

export interface Capabilities {
  kernel: string;
  /** liburing version the library was built against */
  liburing: string;
  /** io_uring opcodes the kernel supports (IORING_REGISTER_PROBE), or why the probe failed */
  ops: string[];
  opsError?: string;
  features: Record<Feature, FeatureState>;
  /** RLIMIT_MEMLOCK in bytes, null for unlimited */
  memlock: { soft: number | null; hard: number | null };
  capNetAdmin: boolean;
}

function memlock(): Capabilities["memlock"] {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith("Max locked memory"));
  const [soft, hard] = (line ?? "").replace("Max locked memory", "").trim().split(/\s+/);
  const bytes = (v: string | undefined) =>
    v === undefined || v === "unlimited" ? null : Number(v);
  return { soft: bytes(soft), hard: bytes(hard) };
}

/** Try everything (about 10 ms of tiny requests on loopback). */
export function probeCapabilities(native: NativeLibrary = loadNative()): Capabilities {
  const raw = native.probe();
  const features = {} as Record<Feature, FeatureState>;
  for (const [name, index] of Object.entries(ZC_FEAT) as [Feature, number][]) {
    const r = raw.works[index] ?? 0;
    features[name] = r === 0 ? { ok: true } : { ok: false, error: errnoName(r) };
  }
  const ops: string[] = [];
  for (let op = 0; op < raw.ops_last; op++) if (raw.ops[op]) ops.push(OP_NAMES[op] ?? `OP_${op}`);
  return {
    kernel: release(),
    liburing: raw.liburing,
    ops,
    ...(raw.probe_status ? { opsError: errnoName(raw.probe_status) } : {}),
    features,
    memlock: memlock(),
    capNetAdmin: Boolean((effectiveCaps() >> 12n) & 1n),
  };
}

const cached = new Map<string, Capabilities>();

/** probeCapabilities, once per library per process. */
export function capabilities(native: NativeLibrary = loadNative()): Capabilities {
  let caps = cached.get(native.path);
  if (!caps) {
    caps = probeCapabilities(native);
    cached.set(native.path, caps);
  }
  return caps;
}

/** The features a plan needs, each with the spec setting that needs it. */
function needs(plan: Plan): [Feature, string][] {
  const out: [Feature, string][] = [];
  const modeFeature: Partial<Record<Plan["mode"], Feature>> = {
    send_zc: "send_zc",
    sendmsg_zc: "sendmsg_zc",
    msg_zerocopy: "msg_zerocopy",
  };
  const mf = modeFeature[plan.mode];
  if (mf) out.push([mf, `mode: ${plan.mode}`]);
  const fixedFeature: Partial<Record<Plan["mode"], Feature>> = {
    send: "fixed_buf_send",
    send_zc: "fixed_buf_send_zc",
    sendmsg_zc: "fixed_buf_sendmsg_zc",
  };
  const ff = fixedFeature[plan.mode];
  if (plan.fixedBuf && ff) out.push([ff, `registered buffers with mode: ${plan.mode}`]);
  if (plan.reportUsage) out.push(["report_usage", "notifications.report_usage"]);
  for (const f of plan.ringFlags) out.push([f, `ring.flags: ${f}`]);
  if (plan.pollFirst) out.push(["poll_first", "ring.poll_first"]);
  if (plan.registerRingFd) out.push(["reg_ring_fd", "ring.register_ring_fd"]);
  if (plan.hugetlb) out.push(["hugetlb", "buffers.hugetlb"]);
  return out;
}

const HINTS: Partial<Record<Feature, string>> = {
  hugetlb: "reserve huge pages first: sysctl vm.nr_hugepages=16",
  fixed_buf_send:
    "this kernel takes registered buffers only with send_zc/sendmsg_zc; use register: auto",
};

/** Why this kernel or process cannot run a plan (the case is skipped with it), or undefined. */
export function capabilitySkip(plan: Plan, caps: Capabilities): string | undefined {
  const missing = needs(plan)
    .filter(([f]) => !caps.features[f].ok)
    .map(([f, why]) => {
      const hint = HINTS[f] ? `; ${HINTS[f]}` : "";
      return `${why} needs ${FEATURE_TRIES[f]}, which fails here (${caps.features[f].error})${hint}`;
    });
  return missing.length ? missing.join("; ") : undefined;
}
