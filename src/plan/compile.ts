import type { Case } from "../model/case.js";
import { mixKinds } from "../model/mix.js";
import { MODES } from "../model/modes.js";
import type { Plan } from "../model/plan.js";
import { featureNeeds } from "./needs.js";

/**
 * `register: auto` registers where the mode takes registered buffers, as the
 * cover letter did; a vectored send_zc (IORING_SEND_VECTORIZED) takes none.
 */
function usesFixedBuffers(c: Case): boolean {
  // a mixed case registers (auto) when some of its kinds send from registered buffers
  if (c.mode === "mixed" && c.buffers.register !== "fixed")
    return c.buffers.register === "auto" && mixKinds(c).some((k) => k.endsWith("_fixed"));
  switch (c.buffers.register) {
    case "fixed":
    case "mixed":
      return true;
    case "auto":
      return MODES[c.mode].registration.auto && !(c.mode === "send_zc" && c.buffers.iov > 1);
    default:
      return false;
  }
}

/** What the executor of this build does not implement, as `path=value` for the skip reason. */
function unsupported(c: Case): string[] {
  const out: string[] = [];
  const not = (cond: boolean, path: string, value: unknown) => {
    if (cond) out.push(`${path}=${JSON.stringify(value)}`);
  };
  // the sink's peer is down: a TCP connect there could only time out
  not(c.target === "sink" && c.socket.type === "tcp", "socket.type", c.socket.type);
  // with no completion for successful requests the batch loop cannot count them
  not(c.ring.cqe_skip_success, "ring.cqe_skip_success", c.ring.cqe_skip_success);
  not(c.inflight !== 0 && c.inflight !== c.batch, "inflight", c.inflight);
  // the executor lays slots out at offset + size rounded up to align
  const { offset, size, align, slot } = c.buffers;
  not(slot !== Math.ceil((offset + size) / align) * align, "buffers.slot", slot);
  return out;
}

/** Thread i runs on cpus[i mod len]; an empty list pins nothing. */
function threadCpus(c: Case): number[] {
  const { count, cpus } = c.threads;
  return cpus.length
    ? Array.from({ length: count }, (_, i) => cpus[i % cpus.length] as number)
    : [];
}

/** A case in the executor's terms: its plan, and the kernel features it needs. */
export function compileCase(c: Case): Plan {
  const settings = {
    mode: c.mode,
    fixedBuf: usesFixedBuffers(c),
    mixedBuf: c.buffers.register === "mixed",
    registerRingFd: c.ring.register_ring_fd,
    fixedFiles: c.ring.fixed_files,
    ringEntries: c.ring.entries,
    ringFlags: [...c.ring.flags],
    sqpollIdleMs: Math.round(c.ring.sqpoll_idle_ns / 1e6),
    sqpollCpu: c.ring.sqpoll_cpu,
    cqEntries: c.ring.cqsize,
    iowqCpus: [...c.ring.iowq_cpus],
    backgroundPoll: c.socket.background_poll,
    napiBusyPollUs: c.ring.napi.busy_poll_us,
    napiPreferBusyPoll: c.ring.napi.busy_poll_us > 0 && c.ring.napi.prefer_busy_poll,
    flows: c.socket.flows,
    flowOrder: c.socket.flow_order,
    flowSeed: c.socket.flow_seed,
    pollFirst: c.ring.poll_first,
    async: c.ring.async,
    submitAndWait: c.submit === "submit_and_wait",
    batch: c.batch,
    bufSize: c.buffers.size,
    bufCount: c.buffers.count,
    bufOffset: c.buffers.offset,
    bufAlign: c.buffers.align,
    hugetlb: c.buffers.hugetlb,
    pattern: c.buffers.pattern,
    iov: c.buffers.iov,
    reuse: c.notifications.reuse,
    reportUsage: c.notifications.report_usage,
    timestamps: { ...c.timestamps },
    tcp: c.socket.type === "tcp",
    connect: c.socket.connect,
    nodelay: c.socket.nodelay,
    cork: c.socket.cork,
    soZerocopy: c.socket.zerocopy,
    // a remote target's interface is where its traffic leaves (SO_BINDTODEVICE)
    bindDevice: c.socket.bind_device ?? (c.target === "remote" ? c.remote?.interface : "") ?? "",
    sndbuf: c.socket.sndbuf,
    gsoSize: c.socket.gso_size,
    port: c.socket.port,
    threads: c.threads.count,
    cpus: threadCpus(c),
    durationNs: c.duration_ns,
    warmupNs: c.warmup_ns,
    // the cap is for the case: split across the threads, rounded up
    maxRequests: c.requests ? Math.ceil(c.requests / c.threads.count) : 0,
    latencyEvery: c.latency.every,
    rate: c.rate,
    ...(c.mode === "mixed" && c.mix ? { mix: structuredClone(c.mix) } : {}),
  };
  return {
    case: c.name,
    ...settings,
    needs: { target: c.target, family: c.socket.family, features: featureNeeds(settings) },
    unsupported: unsupported(c),
  };
}
