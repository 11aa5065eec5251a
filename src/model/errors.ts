/** What kind of problem a code names, and the exit code the CLI gives it. */
export const ERROR_GROUPS = {
  file: { title: "spec: the file itself", exit: 2 },
  shape: { title: "spec: its shape (the schema)", exit: 2 },
  rule: { title: "spec: rules the schema cannot express", exit: 2 },
  expectation: { title: "expectation: the spec's `expect` entries", exit: 2 },
  usage: { title: "usage", exit: 2 },
  environment: { title: "environment", exit: 3 },
  native: { title: "native library", exit: 3 },
} as const;

/**
 * Every code zcspec reports, with its group and what it means, in one place:
 * a caller branches on it with the compiler's help, and the error-code
 * reference (docs/reference/error-codes.md) and `zcspec explain` read it.
 * A meaning that starts with "warning" is reported without failing.
 */
export const ERROR_CODES = {
  // spec: the file itself
  ZC_YAML: ["file", "not valid YAML"],
  ZC_DUPLICATE_KEY: ["file", "a key given twice in one mapping"],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a spec's ${VAR}, not a template
  ZC_ENV_UNSET: ["file", "${VAR} names an unset variable and gives no default"],
  ZC_INTERPOLATION: ["file", "a `${` that is not a variable reference"],
  ZC_EXTENDS_MISSING: ["file", "the file named by `extends` cannot be read"],
  ZC_EXTENDS_CYCLE: ["file", "`extends` leads back to a file already in the chain"],
  // spec: its shape (the schema)
  ZC_UNKNOWN_KEY: ["shape", "a key the schema does not know (with did-you-mean)"],
  ZC_MISSING_KEY: ["shape", "a required key is absent"],
  ZC_BAD_VALUE: ["shape", "a value outside the allowed set (with did-you-mean)"],
  ZC_TYPE: ["shape", "a value of the wrong type"],
  ZC_FORMAT: ["shape", "a size, duration or name written in the wrong form"],
  ZC_RANGE: ["shape", "a number out of range, an empty list, and other schema limits"],
  ZC_MATRIX_PATH: [
    "shape",
    "a matrix key (or an include/exclude key) that names no parameter (with did-you-mean)",
  ],
  ZC_MATRIX_ENTRY: [
    "shape",
    "a matrix `include` or `exclude` entry that matches no combination, or an `exclude` key that " +
      "is not a matrix key",
  ],
  ZC_SEARCH_PATH: ["shape", "search.parameter names no parameter"],
  ZC_SEARCH_PARAM: ["shape", "search.parameter names a parameter that is not a number"],
  ZC_SEARCH_BOUNDS: [
    "shape",
    "`search.from`/`to` not values the parameter takes, equal or reversed; a `resolution` that " +
      "is not below the bounds' width, or relative with bounds at or below 0; `scale: log` with " +
      "`from` ≤ 0",
  ],
  ZC_SEARCH_SIDE: [
    "shape",
    "`search.compare`/`against`: a key that names no parameter, the searched parameter, " +
      "`repeat`, a value the parameter does not take, or two sides that are the same case",
  ],
  // spec: rules the schema cannot express
  ZC_CQE_SKIP_ZC: [
    "rule",
    "`ring.cqe_skip_success` with send_zc/sendmsg_zc (the kernel rejects it, -EINVAL)",
  ],
  ZC_SO_ZEROCOPY: ["rule", "`socket.zerocopy` (SO_ZEROCOPY) with an io_uring mode"],
  ZC_PAYLOAD_SIZE: ["rule", "UDP payload over 65507 bytes (IPv4) or 65527 (IPv6), or under 1"],
  ZC_TCP_ORDER: [
    "rule",
    "warning: TCP with batch > 1 and `inflight` not 1 (data can reorder), unless round robin " +
      "spreads each batch over as many `socket.flows`",
  ],
  ZC_SLOTS_IN_FLIGHT: [
    "rule",
    "`reuse: after_notification` with fewer `buffers.count` than requests in flight",
  ],
  ZC_FIXED_BUF: [
    "rule",
    "`register: fixed`/`mixed` with sendto or msg_zerocopy (no registered buffers there)",
  ],
  ZC_FIXED_SEND: [
    "rule",
    "warning: `register: fixed`/`mixed` with send/sendmsg (some kernels refuse it; probed at run " +
      "time)",
  ],
  ZC_BUFFER_BOUNDS: ["rule", "`buffers.offset + size` beyond `buffers.slot`"],
  ZC_ALIGN: ["rule", "`buffers.align` not a power of two"],
  ZC_IOV: ["rule", "`buffers.iov` more than `buffers.size` (a piece would be empty)"],
  ZC_IOV_FIXED: [
    "rule",
    "`buffers.iov` > 1 with `register: fixed`/`mixed` and send/send_zc, or with a " +
      "`send_zc_fixed` weight in a mix (`IORING_SEND_VECTORIZED` takes no registered buffer; " +
      "Linux refuses it, EINVAL)",
  ],
  ZC_IOV_FRAGS: [
    "rule",
    "UDP `sendmsg_zc` from registered buffers: the kernel gives every piece of every page an skb " +
      "fragment of its own and refuses a datagram of more than `MAX_SKB_FRAGS` with EMSGSIZE. An " +
      "error with `iov` over 45 (the most any kernel build allows), a warning where the pieces " +
      "span more than 17 (4 KiB) pages in all (the default build's limit)",
  ],
  ZC_BATCH_OVER_RING: ["rule", "batch larger than `ring.entries`"],
  ZC_RING_FLAGS: [
    "rule",
    "defer_taskrun without single_issuer; taskrun_flag without coop_taskrun or defer_taskrun; " +
      "sq_aff without sqpoll",
  ],
  ZC_SQPOLL_CPU: [
    "rule",
    "`sq_aff` in `ring.flags` without `ring.sqpoll_cpu`, or `ring.sqpoll_cpu` without `sq_aff`",
  ],
  ZC_CQSIZE: [
    "rule",
    "`ring.cqsize` below `ring.entries`, both rounded up to powers of two (the kernel refuses a " +
      "CQ smaller than the SQ, EINVAL)",
  ],
  ZC_NAPI: [
    "rule",
    "`ring.napi` with a syscall mode, on loopback or sink (no NAPI device), on pair without " +
      "`pair.gro`; or `prefer_busy_poll` without `busy_poll_us`. A warning without " +
      "`socket.background_poll`: the ring may never learn the socket's NAPI ID",
  ],
  ZC_BACKGROUND_POLL: [
    "rule",
    "`socket.background_poll` with a syscall mode (msg_zerocopy, sendto), which has no ring to " +
      "poll with",
  ],
  ZC_FLOWS: [
    "rule",
    "`socket.flows` over 1 with mode msg_zerocopy, a `socket.cork` or `timestamps`, which keep " +
      "to one socket",
  ],
  ZC_TIMESTAMPS: [
    "rule",
    "`timestamps.every` with a mode that sends no zerocopy request through io_uring (send, " +
      "sendmsg, msg_zerocopy, sendto): only io_uring's zerocopy requests are stamped",
  ],
  ZC_DURATION: ["rule", "duration or warmup not in (0, 1h]"],
  ZC_DURATION_WARMUP: ["rule", "duration not longer than warmup"],
  ZC_RATE: ["rule", "rate slower than one request per 1000 s per thread"],
  ZC_REMOTE_MISSING: ["rule", "target: remote without remote.address"],
  ZC_RECEIVER_LAUNCH: ["rule", "`remote.receiver.launch` is empty"],
  ZC_SOCKET_OPTION: ["rule", "a socket option the transport does not have"],
  ZC_GSO_TRANSPORT: ["rule", "`socket.gso_size` with TCP, or with `socket.cork`"],
  ZC_GSO_SEGMENTS: [
    "rule",
    "`socket.gso_size` cuts `buffers.size` into more than 128 segments (the kernel's " +
      "`UDP_MAX_SEGMENTS`)",
  ],
  ZC_GSO_MTU: [
    "rule",
    "`socket.gso_size` + 28 (IPv4) or 48 (IPv6) bytes of headers over `sink.mtu` or `pair.mtu`",
  ],
  ZC_GSO_SIZE: [
    "rule",
    "warning: `socket.gso_size` not below `buffers.size` (every request is one datagram)",
  ],
  ZC_MTU: ["rule", "`sink.mtu` or `pair.mtu` below 1280 with IPv6"],
  ZC_MIX: [
    "rule",
    "`mix` set but no case uses `mode: mixed`; all `mix.weights` 0; `register: none` with a " +
      "`_fixed` kind, or `register: mixed`, with `mode: mixed`",
  ],
  ZC_DUPLICATE_CASE: ["rule", "two cases with the same name (generated names included)"],
  ZC_CPU_MISSING: [
    "rule",
    "warning at plan and run time: `threads.cpus`, `ring.sqpoll_cpu`, `ring.iowq_cpus` or " +
      "`receiver.cpu` names a CPU this machine does not have",
  ],
  ZC_SPEC: [
    "rule",
    "an invalid spec whose diagnostics hold no error (SpecInvalidError's fallback)",
  ],
  // expectation: the spec's `expect` entries
  ZC_EXPECT_COMPILE: ["expectation", "a CEL expression that does not compile"],
  ZC_EXPECT_TYPE: ["expectation", "a CEL expression that compiles but is not a boolean"],
  ZC_WHERE_MATCHES_NONE: [
    "expectation",
    "warning (an error with --strict): an expectation's where matches no case of its spec, so it " +
      "checks nothing",
  ],
  ZC_PEER_NO_CASE: [
    "expectation",
    "peer() names a parameter value (or a parameter) that no case of the spec has",
  ],
  ZC_LATENCY_OFF: [
    "expectation",
    "an expectation reads result.latency on a case with latency: { record: off }, which times no " +
      "request",
  ],
  // usage
  ZC_USAGE: ["usage", "bad command-line flags or arguments"],
  // environment
  ZC_TOOL_MISSING: ["environment", "a command zcspec runs (ip) is not installed"],
  ZC_COMMAND_FAILED: ["environment", "a command zcspec runs failed"],
  ZC_REMOTE_ADDRESS: ["environment", "a remote case's address is missing or not an IP address"],
  ZC_REMOTE_REFUSED: ["environment", "a `target: remote` case in a run without `--allow-remote`"],
  ZC_RECEIVER: [
    "environment",
    "the receiver could not start, switch pattern, or stopped during a case",
  ],
  ZC_REMOTE_RECEIVER: [
    "environment",
    "a remote receiver's launcher could not start or log in, zcspec is missing on the other host " +
      "or speaks another protocol version, or the receiver died or sent no result in time (the " +
      "case errs, the run goes on)",
  ],
  ZC_OUTPUT: ["environment", "a report file cannot be written (the run itself finished)"],
  ZC_VM_LAUNCH: [
    "environment",
    "a VM could not start: qemu-system-x86_64, busybox-static or cpio missing, or a kernel image " +
      "that is not a bzImage",
  ],
  ZC_VM_PANIC: [
    "environment",
    "a kernel booted with --kernel panicked (the console's last lines say why)",
  ],
  ZC_VM_TIMEOUT: [
    "environment",
    "a VM did not finish in its time limit (a hung kernel or a guest too slow); QEMU was killed",
  ],
  ZC_VM_KERNEL_LACKS: [
    "environment",
    "a kernel booted with --kernel lacks what a run needs (io_uring, network namespaces, veth), " +
      "or its module is not in --modules",
  ],
  ZC_VM_GUEST: ["environment", "zcspec inside the VM failed or sent back no result"],
  // native library
  ZC_NATIVE_MISSING: ["native", "the library (or zcspec's package.json beside it) is not there"],
  ZC_NATIVE_LOAD: ["native", "the library is there but does not load"],
  ZC_ABI_MISMATCH: ["native", "the native library was built from another `zcspec.h`"],
  ZC_NATIVE_DEPS: ["native", "building the library needs packages this machine lacks"],
  ZC_NATIVE_CACHE: ["native", "the library's build cache directory cannot be created"],
  ZC_NATIVE_BUILD: ["native", "building the library failed"],
} as const satisfies Record<string, readonly [keyof typeof ERROR_GROUPS, string]>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem in a spec file, located at the node at fault (1-based line and column). */
export interface SpecDiagnostic {
  code: ErrorCode;
  severity: "error" | "warning";
  message: string;
  hint?: string;
  file: string;
  line: number;
  col: number;
  /** Characters to underline from col (at least 1). */
  length: number;
}

/**
 * Every error zcspec raises on purpose is a ZcspecError with a stable code,
 * so callers (and the CLI's exit codes) can branch on `code`, never on text.
 */
export class ZcspecError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad command-line usage (exit code 2). */
export class UsageError extends ZcspecError {
  constructor(message: string, hint?: string) {
    super("ZC_USAGE", message, hint);
  }
}

/** The environment cannot run what was asked (exit code 3). */
export class EnvError extends ZcspecError {}

/** A VM of --kernel did not give its result; `console`: the guest console's last lines. */
export class VmError extends EnvError {
  constructor(
    code: ErrorCode,
    message: string,
    hint: string,
    readonly console: string[],
  ) {
    super(
      code,
      console.length
        ? `${message}\n  console's last lines:\n    ${console.join("\n    ")}`
        : message,
      hint,
    );
  }
}

/** The native library is missing, or was built for another ABI (exit code 3). */
export class NativeError extends ZcspecError {}

/** A spec that cannot run: carries every diagnostic found, not just the first. */
export class SpecInvalidError extends ZcspecError {
  constructor(
    readonly diagnostics: SpecDiagnostic[],
    /** Source text per file, for code frames. */
    readonly sources: ReadonlyMap<string, string>,
  ) {
    const errors = diagnostics.filter((d) => d.severity === "error");
    const first = errors[0];
    super(
      first?.code ?? "ZC_SPEC",
      `${errors.length} problem${errors.length === 1 ? "" : "s"} in spec` +
        (first ? ` (first: ${first.file}:${first.line}:${first.col} ${first.message})` : ""),
    );
  }
}

/** A helper's answer cannot be had: the peer or baseline case did not run or does not exist. */
export class LookupError extends Error {
  constructor(
    message: string,
    /** true when the case exists but has no figures (skipped, filtered out, not in the baseline) */
    readonly missing: boolean,
  ) {
    super(message);
  }
}
