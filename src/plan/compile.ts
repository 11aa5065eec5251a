import type { Case } from "../spec/types.js";
import type { Plan } from "./types.js";

/** Modes whose io_uring op accepts registered buffers on every kernel zcspec supports. */
const FIXED_BUF_MODES = new Set<Case["mode"]>(["send_zc", "sendmsg_zc"]);

/** `register: auto` registers where the mode takes registered buffers, as the cover letter did. */
function usesFixedBuffers(c: Case): boolean {
  switch (c.buffers.register) {
    case "fixed":
      return true;
    case "auto":
      return FIXED_BUF_MODES.has(c.mode);
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
  not(c.mode !== "send" && c.mode !== "send_zc", "mode", c.mode);
  not(c.target !== "sink", "target", c.target);
  not(c.socket.family !== "ipv4", "socket.family", c.socket.family);
  not(c.socket.type !== "udp", "socket.type", c.socket.type);
  not(!c.socket.connect, "socket.connect", c.socket.connect);
  not(c.socket.nodelay, "socket.nodelay", c.socket.nodelay);
  not(c.socket.cork !== "none", "socket.cork", c.socket.cork);
  not(c.socket.bind_device !== undefined, "socket.bind_device", c.socket.bind_device);
  not(c.socket.zerocopy, "socket.zerocopy", c.socket.zerocopy);
  for (const f of c.ring.flags) {
    not(!["coop_taskrun", "single_issuer", "defer_taskrun"].includes(f), "ring.flags", f);
  }
  not(c.ring.poll_first, "ring.poll_first", c.ring.poll_first);
  not(c.ring.async, "ring.async", c.ring.async);
  not(c.ring.cqe_skip_success, "ring.cqe_skip_success", c.ring.cqe_skip_success);
  not(c.buffers.register === "mixed", "buffers.register", c.buffers.register);
  not(c.buffers.offset !== 0, "buffers.offset", c.buffers.offset);
  not(c.buffers.hugetlb, "buffers.hugetlb", c.buffers.hugetlb);
  // slots are laid out back to back: only an alignment the size keeps is honoured
  not(
    c.buffers.count > 1 && c.buffers.size % c.buffers.align !== 0,
    "buffers.align",
    c.buffers.align,
  );
  not(c.buffers.pattern !== "alphabet", "buffers.pattern", c.buffers.pattern);
  not(c.submit !== "submit", "submit", c.submit);
  not(c.inflight !== 0 && c.inflight !== c.batch, "inflight", c.inflight);
  not(c.notifications.reuse !== "immediate", "notifications.reuse", c.notifications.reuse);
  not(c.notifications.report_usage, "notifications.report_usage", c.notifications.report_usage);
  not(c.threads.count !== 1, "threads.count", c.threads.count);
  not(c.threads.cpus.length > 0, "threads.cpus", c.threads.cpus);
  not(c.repeat !== 1, "repeat", c.repeat);
  return out;
}

export function compileCase(c: Case): Plan {
  return {
    case: c.name,
    mode: c.mode,
    fixedBuf: usesFixedBuffers(c),
    registerRingFd: c.ring.register_ring_fd,
    fixedFiles: c.ring.fixed_files,
    ringEntries: c.ring.entries,
    ringFlags: [...c.ring.flags],
    batch: c.batch,
    bufSize: c.buffers.size,
    bufCount: c.buffers.count,
    sndbuf: c.socket.sndbuf,
    port: c.socket.port,
    durationNs: c.duration_ns,
    warmupNs: c.warmup_ns,
    maxRequests: c.requests,
    needs: { target: c.target, family: c.socket.family },
    unsupported: unsupported(c),
  };
}
