import type { Case } from "../spec/types.js";
import type { Plan } from "./types.js";

/** Modes whose io_uring op accepts registered buffers on every kernel zcspec supports. */
const FIXED_BUF_MODES = new Set<Case["mode"]>(["send_zc"]);

/** `register: auto` registers where the mode takes registered buffers, as the cover letter did. */
function usesFixedBuffers(c: Case): boolean {
  switch (c.buffers.register) {
    case "fixed":
      return true;
    case "none":
      return false;
    case "auto":
      return FIXED_BUF_MODES.has(c.mode);
  }
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
    durationNs: c.duration_ns,
    warmupNs: c.warmup_ns,
    maxRequests: c.requests,
    needs: { target: c.target, family: c.socket.family },
  };
}
