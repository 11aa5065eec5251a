import { release } from "node:os";
import type { Capabilities, Feature } from "../model/capabilities.js";
import type { Plan } from "../model/plan.js";
import { loadNative, type NativeLibrary } from "../native/library.js";
import { runProbe } from "../native/probe.js";
import { effectiveCaps } from "./caps.js";
import { readMemlock } from "./limits.js";

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

/** Try everything (about 10 ms of tiny requests on loopback). */
export function probeCapabilities(native: NativeLibrary = loadNative()): Capabilities {
  return {
    kernel: release(),
    ...runProbe(native),
    memlock: readMemlock(),
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

const HINTS: Partial<Record<Feature, string>> = {
  hugetlb: "reserve huge pages first: sysctl vm.nr_hugepages=16",
  fixed_buf_send:
    "this kernel takes registered buffers only with send_zc/sendmsg_zc; use register: auto",
};

/** Why this kernel or process cannot run a plan (the case is skipped with it), or undefined. */
export function capabilitySkip(plan: Plan, caps: Capabilities): string | undefined {
  const missing = plan.needs.features
    .filter(({ feature }) => !caps.features[feature].ok)
    .map(({ feature: f, why }) => {
      const hint = HINTS[f] ? `; ${HINTS[f]}` : "";
      return `${why} needs ${FEATURE_TRIES[f]}, which fails here (${caps.features[f].error})${hint}`;
    });
  return missing.length ? missing.join("; ") : undefined;
}
