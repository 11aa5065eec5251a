import type { FeatureNeed } from "./capabilities.js";
import type { Case, MixKind, Mode, Pattern, Reuse, RingFlag } from "./case.js";

/**
 * A case compiled to the executor's terms: the fields of struct zc_plan, minus the target's
 * address.
 */
export interface Plan {
  case: string;
  mode: Mode;
  /** registered buffers for (some of) the requests */
  fixedBuf: boolean;
  /** register: mixed — every other request unregistered */
  mixedBuf: boolean;
  registerRingFd: boolean;
  fixedFiles: boolean;
  ringEntries: number;
  ringFlags: RingFlag[];
  sqpollIdleMs: number;
  /** the SQ thread's CPU with the sq_aff flag, -1 for none */
  sqpollCpu: number;
  /** CQ entries, 0 for the kernel's default (twice ringEntries) */
  cqEntries: number;
  /** io-wq's CPUs, empty for any */
  iowqCpus: number[];
  /** NAPI busy poll (IORING_REGISTER_NAPI): µs per wait, 0 for none */
  napiBusyPollUs: number;
  napiPreferBusyPoll: boolean;
  /** a POLLIN poll on the socket left armed */
  backgroundPoll: boolean;
  /** sockets per thread, how requests spread over them, the seed of random */
  flows: number;
  flowOrder: "round_robin" | "random";
  flowSeed: number;
  pollFirst: boolean;
  async: boolean;
  submitAndWait: boolean;
  batch: number;
  bufSize: number;
  bufCount: number;
  bufOffset: number;
  bufAlign: number;
  hugetlb: boolean;
  pattern: Pattern;
  /** iovecs per request, 1..64 */
  iov: number;
  reuse: Reuse;
  reportUsage: boolean;
  /** tx-timestamps: one zerocopy request in this many stamped (0: off), and how they are read */
  timestamps: Case["timestamps"];
  tcp: boolean;
  connect: boolean;
  nodelay: boolean;
  cork: Case["socket"]["cork"];
  soZerocopy: boolean;
  bindDevice: string;
  sndbuf: number;
  /** UDP_SEGMENT size, 0 for no GSO */
  gsoSize: number;
  port: number;
  threads: number;
  /** CPU per thread (cpus[i mod len]), empty for no pinning */
  cpus: number[];
  durationNs: number;
  warmupNs: number;
  /** per thread, 0 for no cap */
  maxRequests: number;
  /** zc_plan.latency_every: 0 times no request, 1 every one, N one in N */
  latencyEvery: number;
  /** offered load (rate:): requests/s per thread, 0 for unpaced */
  rate: number;
  /** mode mixed: each kind's weight (absent: 0), their order, the seed of order random */
  mix?: { weights: Partial<Record<MixKind, number>>; order: "random" | "rotate"; seed: number };
  /** what the environment must provide before the plan can run */
  needs: {
    target: Case["target"];
    family: Case["socket"]["family"];
    /** kernel features it uses, each with the setting that asks for it */
    features: FeatureNeed[];
  };
  /**
   * Parameters this build cannot honour yet, each as `path=value`: a case
   * with any is skipped with them as the reason, never run half-right.
   */
  unsupported: string[];
}
