import { release } from "node:os";
import {
  type Capabilities,
  FEATURE_TRIES,
  type Feature,
  type FeatureLimit,
  type FeatureState,
  type MemlockLimit,
  type ProcessLimits,
} from "../model/capabilities.js";
import type { Plan } from "../model/plan.js";
import { loadNative, type NativeLibrary } from "../native/library.js";
import { runProbe } from "../native/probe.js";
import { effectiveCaps } from "./caps.js";
import { readProcessLimits } from "./limits.js";
import { NAMESPACE_SYSCTLS } from "./settings.js";

/**
 * Try everything (about 10 ms of tiny requests on loopback), and tell a
 * feature the kernel lacks from one a limit of this process stops.
 */
export function probeCapabilities(native: NativeLibrary = loadNative()): Capabilities {
  const limits = readProcessLimits();
  const probe = runProbe(native);
  for (const [f, state] of Object.entries(probe.features) as [Feature, FeatureState][]) {
    if (state.ok || !state.error) continue;
    const limit = classifyFailure(f, state.error, limits, probe.opsError ? undefined : probe.ops);
    if (limit) state.limit = limit;
  }
  return {
    kernel: release(),
    ...probe,
    memlock: limits.memlock,
    capNetAdmin: Boolean((effectiveCaps() >> 12n) & 1n),
  };
}

/** The io_uring op each feature's try submits: a kernel whose probe lists no such op lacks it. */
const FEATURE_OP: Partial<Record<Feature, string>> = {
  send_zc: "SEND_ZC",
  sendmsg_zc: "SENDMSG_ZC",
  report_usage: "SEND_ZC",
  fixed_buf_send: "SEND",
  fixed_buf_send_zc: "SEND_ZC",
  fixed_buf_sendmsg_zc: "SENDMSG_ZC",
  poll_first: "SEND",
  send_vectorized: "SEND_ZC",
  background_poll: "POLL_ADD",
  tx_timestamp: "URING_CMD",
};

/**
 * The features tried on an io_uring ring (its memory and pinned pages count against
 * RLIMIT_MEMLOCK).
 */
const NOT_IO_URING: ReadonlySet<Feature> = new Set<Feature>([
  "hugetlb",
  "netns",
  "msg_zerocopy",
  "udp_segment",
]);

/**
 * An empty skb, which MSG_ZEROCOPY takes from optmem for each send's
 * notification, is about 600 bytes on x86-64: below this no such send starts.
 */
const OPTMEM_FLOOR = 1024;

/** A size as `zcspec probe` prints it: "64 KiB", "unlimited". */
export function kib(bytes: number | null): string {
  if (bytes === null) return "unlimited";
  return bytes >= 1024 ? `${Math.floor(bytes / 1024)} KiB` : `${bytes} bytes`;
}

function memlockBinds(limits: ProcessLimits): boolean {
  return limits.memlock.soft !== null && !limits.ipcLock;
}

/** RLIMIT_MEMLOCK as a limit: its values here and how to raise it. */
export function memlockLimit(m: MemlockLimit): FeatureLimit {
  const raise =
    m.hard === null
      ? "raise it with `ulimit -l unlimited`"
      : m.soft !== null && m.hard > m.soft
        ? `raise it up to the hard limit with \`ulimit -l ${Math.floor(m.hard / 1024)}\``
        : "raise it as root with `ulimit -l` (or memlock in /etc/security/limits.conf)";
  return {
    what: "RLIMIT_MEMLOCK",
    value: `${kib(m.soft)} soft / ${kib(m.hard)} hard`,
    hint: `${raise}, or LimitMEMLOCK= for a systemd service (CAP_IPC_LOCK lifts it)`,
  };
}

/** net.core.optmem_max as a limit: MSG_ZEROCOPY keeps each send's notification in it. */
export function optmemLimit(optmemMax: number | null): FeatureLimit {
  return {
    what: "net.core.optmem_max",
    value: optmemMax === null ? "unreadable" : `${optmemMax} bytes`,
    hint:
      "raise it with `sysctl -w net.core.optmem_max=131072` (as root, in the network " +
      "namespace the sender runs in): each MSG_ZEROCOPY send's notification is held there",
  };
}

function permissionLimit(feature: Feature, errno: string, limits: ProcessLimits): FeatureLimit {
  if (feature === "netns")
    return {
      what: "CAP_SYS_ADMIN",
      value: "missing",
      hint:
        "a network namespace needs it: run as root (the pair and sink targets re-run zcspec " +
        "in a user namespace of its own where the kernel allows that)",
    };
  if (NOT_IO_URING.has(feature))
    return {
      what: "a permission",
      value: errno,
      hint: "the kernel refuses it to this process; try as root",
    };
  if (limits.ioUringDisabled === 2)
    return {
      what: "kernel.io_uring_disabled",
      value: "2",
      hint: "io_uring is off for everyone: `sysctl -w kernel.io_uring_disabled=0` as root",
    };
  if (limits.ioUringDisabled === 1)
    return {
      what: "kernel.io_uring_disabled",
      value: "1",
      hint:
        "io_uring is only for CAP_SYS_ADMIN and the group kernel.io_uring_group names: add " +
        "the user to that group, or `sysctl -w kernel.io_uring_disabled=0` as root",
    };
  return {
    what: "a seccomp filter or security module",
    value: errno,
    hint:
      "io_uring is refused to this process (container runtimes' default seccomp profiles " +
      "block it): allow io_uring_setup, io_uring_enter and io_uring_register",
  };
}

/**
 * What stops a feature whose try failed with `errno`, when that is a limit
 * or a permission of this process rather than the kernel lacking it; undefined
 * for a missing feature. `ops` is IORING_REGISTER_PROBE's list, when it answered.
 */
export function classifyFailure(
  feature: Feature,
  errno: string,
  limits: ProcessLimits,
  ops?: readonly string[],
): FeatureLimit | undefined {
  const op = FEATURE_OP[feature];
  if (op && ops && !ops.includes(op)) return undefined;
  if (errno === "EPERM" || errno === "EACCES") return permissionLimit(feature, errno, limits);
  // hugetlb's ENOMEM is "no huge pages reserved": the machine's setup, skipped with its hint
  if (errno === "ENOMEM" && !NOT_IO_URING.has(feature) && memlockBinds(limits))
    return memlockLimit(limits.memlock);
  if (errno === "ENOBUFS" && feature === "msg_zerocopy") {
    // the send pins its pages against RLIMIT_MEMLOCK and takes its notification from optmem
    const optmemLow = limits.optmemMax !== null && limits.optmemMax < OPTMEM_FLOOR;
    if (!optmemLow && memlockBinds(limits)) return memlockLimit(limits.memlock);
    return optmemLimit(limits.optmemMax);
  }
  return undefined;
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
  send_vectorized:
    "IORING_SEND_VECTORIZED came with Linux 6.17; sendmsg and sendmsg_zc take iovecs on any kernel",
  no_sqarray: "IORING_SETUP_NO_SQARRAY came with Linux 6.6; remove no_sqarray from ring.flags",
  submit_all: "IORING_SETUP_SUBMIT_ALL came with Linux 5.18; remove submit_all from ring.flags",
  iowq_aff: "IORING_REGISTER_IOWQ_AFF came with Linux 5.14; remove ring.iowq_cpus",
  sq_aff: "the kernel refuses an SQ thread pinned to a CPU this process may not run on",
  napi: "IORING_REGISTER_NAPI came with Linux 6.9 and needs CONFIG_NET_RX_BUSY_POLL; remove ring.napi",
};

/** Why this kernel cannot run a plan (the case is skipped with it), or undefined. */
export function capabilitySkip(plan: Plan, caps: Capabilities): string | undefined {
  const missing = plan.needs.features
    .filter(({ feature }) => !caps.features[feature].ok && !caps.features[feature].limit)
    .map(({ feature: f, why }) => {
      const hint = HINTS[f] ? `; ${HINTS[f]}` : "";
      return (
        `${why} needs ${FEATURE_TRIES[f]}, which fails here ` + `(${caps.features[f].error})${hint}`
      );
    });
  return missing.length ? missing.join("; ") : undefined;
}

/** What becomes of a case whose plan needs a feature that fails here. */
export interface CapabilityVerdict {
  /** skipped: the kernel lacks a feature; error: a limit stops one it has (raise it and it runs) */
  status: "skipped" | "error";
  reason: string;
}

/**
 * Whether a plan can run with what the probe found: undefined when it can;
 * skipped when the kernel lacks a feature it needs (no limit would help);
 * else an error naming the limit and how to raise it. No spec change is
 * offered there: the probe's own requests (an 8-entry ring, one registered
 * page, one 64-byte send) are about as small as a case can be. A case too
 * big for a limit the probe fits under fails as it runs (runtimeLimitHint).
 */
export function capabilityVerdict(plan: Plan, caps: Capabilities): CapabilityVerdict | undefined {
  const skip = capabilitySkip(plan, caps);
  if (skip) return { status: "skipped", reason: skip };
  const limited = plan.needs.features.filter(({ feature }) => {
    const limit = caps.features[feature].limit;
    return limit && !setInSendersNamespace(limit, plan);
  });
  if (!limited.length) return undefined;
  const limits = new Map<string, FeatureLimit>();
  const reasons = limited.map(({ feature: f, why }) => {
    const state = caps.features[f];
    const limit = state.limit as FeatureLimit;
    limits.set(limit.what, limit);
    return (
      `${why} needs ${FEATURE_TRIES[f]}, which this kernel has but ${limit.what} ` +
      `(${limit.value}) stops here (${state.error})`
    );
  });
  const hints = [...limits.values()].map((l) => l.hint);
  return { status: "error", reason: [...reasons, ...hints].join("; ") };
}

/**
 * A per-namespace sysctl the pair and sink targets set in the namespace
 * their sender runs in (NAMESPACE_SYSCTLS): the probe's value, read in this
 * process's namespace, does not bind there.
 */
function setInSendersNamespace(limit: FeatureLimit, plan: Plan): boolean {
  const own = plan.needs.target === "pair" || plan.needs.target === "sink";
  return own && limit.what in NAMESPACE_SYSCTLS;
}

const URING_MODES: ReadonlySet<Plan["mode"]> = new Set([
  "send",
  "send_zc",
  "sendmsg",
  "sendmsg_zc",
]);

const PAGE = 4096;
const pages = (bytes: number) => Math.ceil(bytes / PAGE) * PAGE;

/**
 * About what a ring of this many entries locks: its SQE array and its SQ/CQ rings (CQ twice the
 * entries).
 */
export function ringBytes(entries: number): number {
  return pages(entries * 64) + pages(256 + entries * 4 + 2 * entries * 16);
}

/**
 * What the spec could change to lock less memory without privileges, for
 * this plan: the ring, its registered buffers, or its zerocopy sends from
 * plain buffers (each pins its pages plus two until its notification).
 */
export function lockLessAdvice(plan: Plan): string | undefined {
  const out: string[] = [];
  const uring = URING_MODES.has(plan.mode);
  if (uring)
    out.push(
      `a smaller ring.entries (${plan.ringEntries}: about ${kib(ringBytes(plan.ringEntries))})`,
    );
  if (plan.fixedBuf) {
    const align = plan.bufAlign || 1;
    const stride = Math.ceil((plan.bufOffset + plan.bufSize) / align) * align;
    const bytes = pages(plan.bufCount * stride);
    const none =
      plan.mode === "send" || plan.mode === "sendmsg" ? ", or buffers.register: none" : "";
    out.push(
      `fewer or smaller registered buffers (buffers.count × buffers.size = ${plan.bufCount} × ` +
        `${plan.bufSize} B, about ${kib(bytes)} pinned for the whole run)${none}`,
    );
  }
  const plainZc =
    plan.mode === "msg_zerocopy" ||
    ((plan.mode === "send_zc" || plan.mode === "sendmsg_zc") && (!plan.fixedBuf || plan.mixedBuf));
  if (plainZc) {
    const held = `${plan.batch} × (${plan.bufSize} B + 2 pages)`;
    out.push(
      uring
        ? `buffers.register: fixed, or a smaller batch or buffers.size (each zerocopy send from ` +
            `a plain buffer pins its pages plus two until its notification: ${held} a batch)`
        : `a smaller batch or buffers.size (each MSG_ZEROCOPY send pins its pages plus two ` +
            `until its notification: ${held} a batch)`,
    );
  }
  return out.length ? `or, without privileges, lock less: ${out.join("; ")}` : undefined;
}

/**
 * The limit behind a case that failed at run time with `errno`, as a hint
 * for its reason (the probe's small requests fit, the case did not), or
 * undefined when the errno is not a limit's. `said` is what the failure
 * already says: a hint it gives is not repeated.
 */
export function runtimeLimitHint(
  errno: string,
  plan: Plan,
  limits: ProcessLimits,
  said = "",
): string | undefined {
  let limit: FeatureLimit | undefined;
  if (errno === "ENOMEM" && URING_MODES.has(plan.mode) && memlockBinds(limits))
    limit = memlockLimit(limits.memlock);
  else if (errno === "ENOBUFS" && plan.mode === "msg_zerocopy")
    limit = classifyFailure("msg_zerocopy", errno, limits);
  if (!limit) return undefined;
  const lockLess = limit.what === "RLIMIT_MEMLOCK" ? lockLessAdvice(plan) : undefined;
  const how = said.includes("`ulimit -l`") ? "" : `: ${limit.hint}`;
  return [`${limit.what} is ${limit.value} here${how}`, ...(lockLess ? [lockLess] : [])].join("; ");
}
