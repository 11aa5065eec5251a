import type { Case, Mode } from "../model/case.js";
import type { SpecDiagnostic } from "../model/diagnostic.js";
import type { ErrorCode } from "../model/errors.js";
import { at, type Source } from "./locate.js";
import type { CaseOrigin } from "./types.js";

/**
 * Largest UDP payload in one datagram: IPv4's 65535-byte total length less its
 * 20-byte header and UDP's 8; IPv6's 65535-byte payload length less UDP's 8.
 */
const UDP_MAX_PAYLOAD = { ipv4: 65507, ipv6: 65527 } as const;
/** the executor's own bound: every case stops by itself within this */
const MAX_DURATION_NS = 3600e9;

const IO_URING_MODES = new Set<Mode>(["send", "send_zc", "sendmsg", "sendmsg_zc"]);
const ZEROCOPY_OPS = new Set<Mode>(["send_zc", "sendmsg_zc"]);
/** plain syscalls: there is no registered buffer to use */
const SYSCALL_MODES = new Set<Mode>(["sendto", "msg_zerocopy"]);
/** io_uring ops whose fixed-buffer support is a kernel capability the executor probes */
const PROBED_FIXED = new Set<Mode>(["send", "sendmsg"]);

type Where = (origin: CaseOrigin, dotted: string) => Source;

interface Problem {
  code: ErrorCode;
  severity: "error" | "warning";
  /** the parameter whose value is at fault: the diagnostic points where it was set */
  param: string;
  message: string;
  hint: string;
}

/** What is wrong with one resolved case that the schema cannot express. */
function problemsOf(c: Case): Problem[] {
  const out: Problem[] = [];
  const add = (
    code: ErrorCode,
    param: string,
    message: string,
    hint: string,
    severity: Problem["severity"] = "error",
  ) => out.push({ code, severity, param, message, hint });
  const { socket, ring, buffers } = c;

  if (ring.cqe_skip_success && ZEROCOPY_OPS.has(c.mode))
    add(
      "ZC_CQE_SKIP_ZC",
      "ring.cqe_skip_success",
      `ring.cqe_skip_success cannot be used with mode ${c.mode}`,
      "the kernel rejects IOSQE_CQE_SKIP_SUCCESS on zerocopy sends (-EINVAL): set cqe_skip_success: false",
    );
  if (socket.zerocopy && IO_URING_MODES.has(c.mode))
    add(
      "ZC_SO_ZEROCOPY",
      "socket.zerocopy",
      `socket.zerocopy (SO_ZEROCOPY) must not be set with io_uring mode ${c.mode}`,
      "io_uring zerocopy needs no SO_ZEROCOPY; remove socket.zerocopy (msg_zerocopy mode sets it itself)",
    );
  const maxPayload = UDP_MAX_PAYLOAD[socket.family];
  if (buffers.size < 1)
    add(
      "ZC_PAYLOAD_SIZE",
      "buffers.size",
      "buffers.size must be at least 1 byte",
      "e.g. size: 4000",
    );
  else if (socket.type === "udp" && buffers.size > maxPayload)
    add(
      "ZC_PAYLOAD_SIZE",
      "buffers.size",
      `buffers.size ${buffers.size} does not fit one UDP/${socket.family === "ipv4" ? "IPv4" : "IPv6"} datagram`,
      `use 1..${maxPayload} bytes (the most one datagram carries over ${socket.family})`,
    );
  if (socket.type === "tcp" && c.batch > 1 && c.inflight !== 1)
    add(
      "ZC_TCP_ORDER",
      "batch",
      `TCP with batch ${c.batch}: requests in flight together can reach the stream out of order`,
      "set inflight: 1 (one request in flight) or batch: 1 to keep the byte order",
      "warning",
    );
  const inFlight = c.inflight || c.batch;
  if (c.notifications.reuse === "after_notification" && buffers.count < inFlight)
    add(
      "ZC_SLOTS_IN_FLIGHT",
      "buffers.count",
      `notifications.reuse: after_notification needs a buffer slot per request in flight: buffers.count ${buffers.count} < ${inFlight} in flight`,
      `raise buffers.count to at least ${inFlight}, or lower ${c.inflight ? "inflight" : "batch"}`,
    );
  if (buffers.register === "fixed" || buffers.register === "mixed") {
    if (SYSCALL_MODES.has(c.mode))
      add(
        "ZC_FIXED_BUF",
        "buffers.register",
        `buffers.register: ${buffers.register} means nothing for mode ${c.mode} (a plain syscall has no registered buffers)`,
        "use register: auto or none with sendto and msg_zerocopy",
      );
    else if (PROBED_FIXED.has(c.mode))
      add(
        "ZC_FIXED_SEND",
        "buffers.register",
        `registered buffers with mode ${c.mode}: some kernels refuse them (-EINVAL); the case is skipped there`,
        "use register: auto to register only where the mode accepts it (send_zc, sendmsg_zc)",
        "warning",
      );
  }
  if (buffers.offset + buffers.size > buffers.slot)
    add(
      "ZC_BUFFER_BOUNDS",
      "buffers.offset",
      `buffers.offset ${buffers.offset} + size ${buffers.size} runs past the ${buffers.slot}-byte slot`,
      `make buffers.slot at least ${buffers.offset + buffers.size} (or 0 to size it), or lower offset or size`,
    );
  if (buffers.align < 1 || (buffers.align & (buffers.align - 1)) !== 0)
    add(
      "ZC_ALIGN",
      "buffers.align",
      `buffers.align ${buffers.align} is not a power of two`,
      "e.g. align: 4096 (a page) or 64 (a cache line)",
    );
  if (c.batch > ring.entries)
    add(
      "ZC_BATCH_OVER_RING",
      "batch",
      `batch ${c.batch} is larger than ring.entries ${ring.entries}`,
      "a batch must fit in the submission queue: lower batch or raise ring.entries",
    );
  if (ring.flags.includes("defer_taskrun") && !ring.flags.includes("single_issuer"))
    add(
      "ZC_RING_FLAGS",
      "ring.flags",
      "defer_taskrun needs single_issuer",
      "add single_issuer to ring.flags (the kernel refuses DEFER_TASKRUN alone)",
    );
  if (
    ring.flags.includes("taskrun_flag") &&
    !ring.flags.includes("coop_taskrun") &&
    !ring.flags.includes("defer_taskrun")
  )
    add(
      "ZC_RING_FLAGS",
      "ring.flags",
      "taskrun_flag needs coop_taskrun or defer_taskrun",
      "add coop_taskrun to ring.flags (the kernel refuses TASKRUN_FLAG alone)",
    );
  if (c.duration_ns <= 0 || c.duration_ns > MAX_DURATION_NS)
    add(
      "ZC_DURATION",
      "duration",
      "duration must be more than 0 and at most 1h",
      "for example duration: 2s",
    );
  else if (c.duration_ns <= c.warmup_ns)
    add(
      "ZC_DURATION_WARMUP",
      "duration",
      `duration (${c.duration_ns / 1e6} ms) is not longer than warmup (${c.warmup_ns / 1e6} ms)`,
      "make duration longer than warmup, e.g. duration: 2s with warmup: 200ms",
    );
  if (c.warmup_ns > MAX_DURATION_NS)
    add("ZC_DURATION", "warmup", "warmup must be at most 1h", "for example warmup: 200ms");
  if (c.target === "remote" && !c.remote)
    add(
      "ZC_REMOTE_MISSING",
      "target",
      "target: remote needs remote.address, the receiving host",
      "add remote: { address: <the receiver's IP> } (runs only with --allow-remote)",
    );
  if (socket.type === "tcp" && socket.cork !== "none")
    add("ZC_SOCKET_OPTION", "socket.cork", "socket.cork is UDP only", "remove cork for TCP");
  if (socket.type === "tcp" && !socket.connect)
    add(
      "ZC_SOCKET_OPTION",
      "socket.connect",
      "TCP needs a connected socket",
      "remove connect: false for TCP",
    );
  if (socket.type === "udp" && socket.nodelay)
    add(
      "ZC_SOCKET_OPTION",
      "socket.nodelay",
      "socket.nodelay is TCP only",
      "remove nodelay for UDP",
    );
  return out;
}

/**
 * Every case's problems, each located where its value was set. A value set
 * once (in defaults, say) and wrong for many cases is reported once.
 */
export function caseProblems(cases: Case[], origins: CaseOrigin[], where: Where): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const seen = new Set<string>();
  const push = (d: SpecDiagnostic) => {
    const key = `${d.code}|${d.file}|${d.line}|${d.col}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(d);
  };
  const names = new Map<string, number>();
  cases.forEach((c, i) => {
    const origin = origins[i] as CaseOrigin;
    for (const p of problemsOf(c)) {
      const { param, ...rest } = p;
      push(at(where(origin, param), rest));
    }
    if (names.has(c.name)) {
      push(
        at(where(origin, "name"), {
          code: "ZC_DUPLICATE_CASE",
          severity: "error",
          message: `case name "${c.name}" is used twice`,
          hint: "give each case a unique name (matrix cases are named after their values)",
        }),
      );
    }
    names.set(c.name, i);
  });
  return out;
}

/**
 * CPUs to pin to that this machine does not have. A warning, and only at plan
 * or run time: the spec may be validated on a smaller box than it runs on.
 */
export function cpuProblems(
  cases: Case[],
  origins: CaseOrigin[],
  where: Where,
  online: ReadonlySet<number>,
): SpecDiagnostic[] {
  const out: SpecDiagnostic[] = [];
  const seen = new Set<string>();
  cases.forEach((c, i) => {
    const missing = c.threads.cpus.filter((n) => !online.has(n));
    if (missing.length === 0) return;
    const d = at(where(origins[i] as CaseOrigin, "threads.cpus"), {
      code: "ZC_CPU_MISSING",
      severity: "warning",
      message: `threads.cpus names CPU ${missing.join(", ")}, which this machine does not have`,
      hint: `this machine's online CPUs: ${[...online].sort((a, b) => a - b).join(", ")}; pinning to a missing CPU fails`,
    });
    const key = `${d.file}|${d.line}|${d.col}`;
    if (!seen.has(key)) out.push(d);
    seen.add(key);
  });
  return out;
}
