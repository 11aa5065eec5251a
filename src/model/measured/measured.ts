import type { RequestKind } from "../mix.js";
import type { TargetCounters } from "../target.js";
import type { Latency, TxTimestamps } from "./latency.js";
import type { MachineCpu, TcpView } from "./machine.js";

/** One point of the interval series (cumulative figures, and the rate since the previous point). */
export interface Interval {
  elapsedNs: number;
  requests: number;
  bytes: number;
  /** requests per second between the previous point and this one */
  rps: number;
}

/** One socket of a sender thread (socket.flows, issue 24). */
export interface FlowMeasured {
  /** the sender thread it belongs to, 0-based */
  thread: number;
  /** its source port: the built-in receiver's key for it */
  port: number;
  /** successful requests and their bytes, measured window */
  requests: number;
  bytes: number;
  /** every byte it sent, warmup included: what a receiver gets from it */
  sentBytes: number;
  /** bytes the built-in receiver got from its port (loopback, pair), warmup included */
  rxBytes?: number;
}

/** The figures of one sender thread (or of all of them: Measured extends this). */
export interface ThreadMeasured {
  requests: number;
  bytes: number;
  elapsedNs: number;
  /** requests per second over the measured window */
  rps: number;
  /** payload gigabits per second */
  gbps: number;
  completions: number;
  notifications: number;
  errors: number;
  firstError: number;
  /** errors by errno name ("EINVAL": 3) */
  errnos: Record<string, number>;
  shortSends: number;
  /** sender-thread CPU (user + sys) per request, ns */
  cpuNsPerRequest: number;
  userNs: number;
  sysNs: number;
  volCtxsw: number;
  involCtxsw: number;
  /** notifications whose data the kernel copied (report_usage, msg_zerocopy) */
  zcCopied: number;
  /** completions that owed a notification (F_MORE; MSG_ZEROCOPY ids) */
  zcRequests: number;
  /** successful requests the executor sent as zerocopy (mode mixed: the zerocopy kinds drawn) */
  zcSent: number;
  /** io_uring modes: successful requests by kind (a kind with none left out) */
  requestsByKind?: Partial<Record<RequestKind, number>>;
  /** invariant counters: each must be 0 */
  owedNotifications: number;
  notifUnexpected: number;
  moreOnNotif: number;
  moreOnPlain: number;
  /** most notifications owed at once (after_batch keeps it <= batch) */
  maxOutstanding: number;
  /** buffer slots handed out while the kernel still held them (after_notification keeps it 0) */
  reuseBusy: number;
  /** CPU the thread was pinned to, -1 for none */
  cpu: number;
  /** per-request latency histograms of the measured window (model/measured/latency.ts) */
  latency: Latency;
  /**
   * most zerocopy payload bytes submitted and not yet notified at once; of
   * several threads the sum of their peaks (at most: they need not coincide)
   */
  peakPinnedBytes: number;
  /** requests timed at submit whose record was overwritten before their notification */
  latencyLost: number;
  /** TCP: its connection's TCP_INFO over the window (absent for UDP or without it) */
  tcp?: TcpView;
  /** tx-timestamps: how the sampled requests' stamps went (their spans are in latency.tx_*) */
  timestamps?: TxTimestamps;
}

/** NAPI busy poll (ring.napi) as the sender threads' rings registered it. */
export interface NapiView {
  /** rings that took IORING_REGISTER_NAPI: one per sender thread */
  rings: number;
  /** the settings registered */
  busyPollUs: number;
  preferBusyPoll: boolean;
  /**
   * the sending socket's NAPI ID (SO_INCOMING_NAPI_ID) at the window's end,
   * the highest of the threads'; 0: its packets came through no NAPI
   * instance, so busy poll had nothing of it to poll
   */
  napiId: number;
}

/** The figures of one case run, derived from what the executor counted. */
export interface Measured extends ThreadMeasured {
  /**
   * UDP GSO (socket.gso_size) only: datagrams that left as segments, each
   * request's bytes cut into gso_size pieces, and their rate per second
   */
  segments?: number;
  segmentsPerSecond?: number;
  /**
   * the whole machine's busy CPU (user, nice, system, irq, softirq: not
   * idle, iowait or steal) over the window per request, ns; absent without
   * /proc/stat. The sender's own CPU is inside it, with the receiver's, the
   * softirqs and whatever else ran
   */
  machineCpuNsPerRequest?: number;
  /** the machine's softirq time over its busy time in the window (0..1) */
  softirqShare?: number;
  /** the per-CPU detail behind machineCpuNsPerRequest */
  machine?: MachineCpu;
  /** ring.napi: NAPI busy poll was registered on the rings (absent when it was not asked for) */
  napi?: NapiView;
  /** socket.flows over 1: every thread's sockets, thread by thread */
  flows?: FlowMeasured[];
  /**
   * socket.flows over 1: how evenly the flows shared the window's bytes
   * (stats/fairness.ts): Jain's index (1 = even, 1/n = one flow took all),
   * and the smallest and largest flow's part of the total
   */
  flowJain?: number;
  flowMinShare?: number;
  flowMaxShare?: number;
  /** paced (rate:) only: every thread's offered requests/s */
  offeredRps?: number;
  /** paced only: the achieved requests/s (rps) over offeredRps */
  achievedShare?: number;
  /** paced only: how late a request may start and still be on time, ns (docs/latency.md) */
  lateBoundNs?: number;
  /** paced only: the share of requests that started more than lateBoundNs after they were due */
  lateShare?: number;
  /** paced only: achievedShare >= 0.99 and lateShare <= 0.01 (stats/schedule.ts) */
  scheduleKept?: boolean;
  /** the caller stopped the case early (SIGINT): the figures cover the part that ran */
  interrupted: boolean;
  threads: ThreadMeasured[];
  intervals: Interval[];
  /** what the target saw during the case, warmup included */
  target: TargetCounters;
}

/** A paced run's schedule figures, all present. */
export type Schedule = Required<
  Pick<Measured, "offeredRps" | "achievedShare" | "lateBoundNs" | "lateShare" | "scheduleKept">
>;

/** A case's repetitions as the relation helpers (faster, cheaper, ratio_interval) see them. */
export interface RepetitionSample {
  runs: readonly Measured[];
  /** the round each of `runs` ran in, parallel to it; absent when the runner recorded none */
  rounds?: readonly number[];
  /**
   * where the figures come from: two cases of this run are paired by round
   * (a round's load hits both); a saved baseline's runs pair with nothing here
   */
  origin: "run" | "baseline";
}
