import type { SpecDiagnostic } from "./diagnostic.js";

/**
 * Every code zcspec reports, in one place so a caller can branch on it with
 * the compiler's help and README's list can be checked against it.
 */
export type ErrorCode =
  // spec: the file itself
  | "ZC_YAML" // not valid YAML
  | "ZC_DUPLICATE_KEY" // a key given twice in one mapping
  | "ZC_ENV_UNSET" // ${VAR} names an unset variable and gives no default
  | "ZC_INTERPOLATION" // a `${` that is not a variable reference
  | "ZC_EXTENDS_MISSING" // the file named by `extends` cannot be read
  | "ZC_EXTENDS_CYCLE" // `extends` leads back to a file already in the chain
  // spec: its shape (the schema)
  | "ZC_UNKNOWN_KEY" // a key the schema does not know (with did-you-mean)
  | "ZC_MISSING_KEY" // a required key is absent
  | "ZC_BAD_VALUE" // a value outside the allowed set (with did-you-mean)
  | "ZC_TYPE" // a value of the wrong type
  | "ZC_FORMAT" // a size, duration or name written in the wrong form
  | "ZC_RANGE" // a number out of range, an empty list, and other schema limits
  | "ZC_MATRIX_PATH" // a matrix key that names no parameter
  | "ZC_MATRIX_ENTRY" // a matrix include/exclude entry that matches no combination
  | "ZC_SEARCH_PATH" // search.parameter names no parameter
  | "ZC_SEARCH_PARAM" // search.parameter names a parameter that is not a number
  | "ZC_SEARCH_BOUNDS" // search.from/to not values of the parameter, reversed, or a resolution or scale they cannot take
  | "ZC_SEARCH_SIDE" // search.compare/against: an unknown parameter, the searched one, repeat, or two sides alike
  // spec: rules the schema cannot express
  | "ZC_CQE_SKIP_ZC" // ring.cqe_skip_success with a zerocopy op (the kernel refuses it)
  | "ZC_SO_ZEROCOPY" // socket.zerocopy with an io_uring mode
  | "ZC_PAYLOAD_SIZE" // a payload under 1 byte or over one UDP datagram
  | "ZC_TCP_ORDER" // warning: TCP requests in flight together can reorder the stream
  | "ZC_SLOTS_IN_FLIGHT" // reuse: after_notification with fewer buffer slots than requests in flight
  | "ZC_FIXED_BUF" // registered buffers with a plain-syscall mode
  | "ZC_FIXED_SEND" // warning: registered buffers with send/sendmsg, refused by some kernels
  | "ZC_BUFFER_BOUNDS" // buffers.offset + size past the slot
  | "ZC_ALIGN" // buffers.align not a power of two
  | "ZC_IOV" // buffers.iov more than buffers.size
  | "ZC_IOV_FIXED" // buffers.iov > 1 on a send/send_zc from registered buffers (IORING_SEND_VECTORIZED takes none)
  | "ZC_IOV_FRAGS" // warning: a UDP sendmsg_zc from registered buffers needs more skb fragments than a datagram holds
  | "ZC_BATCH_OVER_RING" // a batch larger than the submission queue
  | "ZC_RING_FLAGS" // a ring flag without the flag the kernel requires beside it
  | "ZC_DURATION" // duration or warmup not in (0, 1h]
  | "ZC_DURATION_WARMUP" // duration not longer than warmup
  | "ZC_REMOTE_MISSING" // target: remote without remote.address
  | "ZC_RECEIVER_LAUNCH" // remote.receiver.launch is empty
  | "ZC_SOCKET_OPTION" // a socket option the transport does not have
  | "ZC_GSO_TRANSPORT" // socket.gso_size with TCP, or with cork
  | "ZC_GSO_SEGMENTS" // a request cut into more segments than the kernel's UDP_MAX_SEGMENTS
  | "ZC_GSO_MTU" // a GSO segment with its IP and UDP headers over the target's MTU
  | "ZC_GSO_SIZE" // warning: gso_size not below buffers.size, so nothing is segmented
  | "ZC_MTU" // sink.mtu or pair.mtu below IPv6's 1280 with socket.family ipv6
  | "ZC_MIX" // a request mix no mixed case uses, with no weight, or with a register setting of its own
  | "ZC_DUPLICATE_CASE" // two cases with one name
  | "ZC_CPU_MISSING" // warning at plan and run time: threads.cpus names a CPU this machine lacks
  | "ZC_SPEC" // an invalid spec whose diagnostics hold no error (SpecInvalidError's fallback)
  // expectation: the spec's `expect` entries
  | "ZC_EXPECT_COMPILE" // a CEL expression that does not compile
  | "ZC_EXPECT_TYPE" // a CEL expression that compiles but is not a boolean
  | "ZC_WHERE_MATCHES_NONE" // warning (an error with --strict): an expectation's where matches no case of its spec, so it checks nothing
  | "ZC_PEER_NO_CASE" // peer() names a parameter value (or a parameter) that no case of the spec has
  // usage
  | "ZC_USAGE" // bad command-line flags or arguments
  // environment
  | "ZC_TOOL_MISSING" // a command zcspec runs (ip) is not installed
  | "ZC_COMMAND_FAILED" // a command zcspec runs failed
  | "ZC_REMOTE_ADDRESS" // a remote case's address is missing or not an IP address
  | "ZC_REMOTE_REFUSED" // a remote case in a run without --allow-remote
  | "ZC_RECEIVER" // the receiver could not start, switch pattern, or stopped during a case
  | "ZC_REMOTE_RECEIVER" // a remote receiver's launcher failed, or its receiver refused, died or went silent
  | "ZC_OUTPUT" // a report file cannot be written
  // native library
  | "ZC_NATIVE_MISSING" // the library (or zcspec's package.json beside it) is not there
  | "ZC_NATIVE_LOAD" // the library is there but does not load
  | "ZC_ABI_MISMATCH" // the library was built from another zcspec.h
  | "ZC_NATIVE_DEPS" // building the library needs packages this machine lacks
  | "ZC_NATIVE_CACHE" // the library's build cache directory cannot be created
  | "ZC_NATIVE_BUILD"; // building the library failed

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
