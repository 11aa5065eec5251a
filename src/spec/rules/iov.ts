import type { Case } from "../../model/case.js";
import type { Rule } from "./rule.js";

/** MAX_SKB_FRAGS of a kernel built with the default CONFIG_MAX_SKB_FRAGS */
const MAX_SKB_FRAGS = 17;
const PAGE = 4096;

export const iovOverSize: Rule = {
  code: "ZC_IOV",
  param: "buffers.iov",
  severity: "error",
  check: (c) => c.buffers.iov > c.buffers.size,
  message: (c) =>
    `buffers.iov ${c.buffers.iov} is more than buffers.size ${c.buffers.size}: some pieces of the payload would be empty`,
  hint: (c) => `use at most ${c.buffers.size} iovecs (every piece holds at least 1 byte)`,
};

/** The vectored send kind of the case that would send from a registered buffer, if any. */
function vectoredFixedSend(c: Case): string | undefined {
  if (c.buffers.iov < 2) return undefined;
  if (c.mode === "mixed")
    return c.mix?.weights.send_zc_fixed ? "mix.weights.send_zc_fixed" : undefined;
  const registered = c.buffers.register === "fixed" || c.buffers.register === "mixed";
  return registered && (c.mode === "send" || c.mode === "send_zc")
    ? `register: ${c.buffers.register} with mode: ${c.mode}`
    : undefined;
}

/**
 * IORING_SEND_VECTORIZED beside IORING_RECVSEND_FIXED_BUF: Linux 6.17 read
 * the iovec array's address as the payload's, later kernels refuse it (EINVAL).
 */
export const iovWithFixedSend: Rule = {
  code: "ZC_IOV_FIXED",
  param: "buffers.iov",
  severity: "error",
  check: (c) => vectoredFixedSend(c) !== undefined,
  message: (c) =>
    `buffers.iov ${c.buffers.iov} with ${vectoredFixedSend(c)}: a vectored send (IORING_SEND_VECTORIZED) takes no registered buffer (Linux refuses it, EINVAL)`,
  hint: (c) =>
    c.mode === "mixed"
      ? "use sendmsg_zc_fixed in the mix instead of send_zc_fixed (its iovecs may lie in a registered buffer), or iov: 1"
      : "use register: auto or none (auto registers none for a vectored send_zc), mode sendmsg_zc (whose iovecs may lie in a registered buffer), or iov: 1",
};

/** Whether some request of the case is a sendmsg_zc from a registered buffer. */
function registeredSendmsgZc(c: Case): boolean {
  if (c.mode === "mixed") return (c.mix?.weights.sendmsg_zc_fixed ?? 0) > 0;
  return c.mode === "sendmsg_zc" && c.buffers.register !== "none";
}

/**
 * The most skb fragments one request's payload takes when it is sent from a
 * registered buffer of 4 KiB pages: the kernel gives every piece of every
 * page a fragment of its own (it merges neighbours only for plain memory;
 * a buffer it registered as larger folios takes fewer). Each slot starts
 * `slot` bytes after the last in a page-aligned mapping.
 */
export function registeredFrags(c: Case): number {
  const { iov, size, offset, slot, count } = c.buffers;
  let most = 0;
  for (let s = 0; s < count; s++) {
    let at = s * slot + offset;
    let frags = 0;
    for (let k = 0; k < iov; k++) {
      const len = Math.floor(size / iov) + (k < size % iov ? 1 : 0);
      frags += Math.floor((at + len - 1) / PAGE) - Math.floor(at / PAGE) + 1;
      at += len;
    }
    most = Math.max(most, frags);
  }
  return most;
}

/** A UDP datagram holds at most MAX_SKB_FRAGS fragments: more is EMSGSIZE for every request. */
export const iovOverFrags: Rule = {
  code: "ZC_IOV_FRAGS",
  param: "buffers.iov",
  severity: "warning",
  check: (c) =>
    c.socket.type === "udp" &&
    c.buffers.iov > 1 &&
    registeredSendmsgZc(c) &&
    registeredFrags(c) > MAX_SKB_FRAGS,
  message: (c) =>
    `buffers.iov ${c.buffers.iov}: a UDP sendmsg_zc from a registered buffer takes a fragment per piece and 4 KiB page, up to ${registeredFrags(c)} here; kernels built with the default MAX_SKB_FRAGS (${MAX_SKB_FRAGS}) refuse such a datagram (EMSGSIZE)`,
  hint: "use fewer iovecs, register: none (the kernel merges the pieces of plain pages), or TCP (a stream spreads them over packets)",
};
