import type { MemlockLimit } from "./capabilities.js";

/** Where and with what a run was taken: captured once per run, attached to every result. */
export interface Environment {
  zcspec: string;
  node: string;
  /** run as root of a user namespace of zcspec's own (an ordinary user's namespace targets) */
  userNamespace: boolean;
  /** kernel release (uname -r) */
  kernel: string;
  /** the liburing the native library was built against */
  liburing: string;
  cpu: { model: string; count: number };
  /** RLIMIT_MEMLOCK in bytes (registered buffers count against it); null = unlimited */
  memlock: MemlockLimit;
  /** the host's sysctls that bound socket buffers and zerocopy; absent where the kernel has none */
  sysctls: Record<string, string>;
  spec: {
    file: string;
    /** HEAD of the git repository holding the spec, if it is in one */
    commit?: string;
    /** the spec file differs from that commit */
    dirty?: boolean;
  };
}
