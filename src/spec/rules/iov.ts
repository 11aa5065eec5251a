import type { Case } from "../../model/case.js";
import type { Rule } from "./rule.js";

/** MAX_SKB_FRAGS, the fragments one datagram holds: CONFIG_MAX_SKB_FRAGS's default, and its most */
const FRAGS_DEFAULT = 17;
const FRAGS_MOST = 45;
const PAGE = 4096;

export const iovOverSize: Rule = {
  code: "ZC_IOV",
  param: "buffers.iov",
  severity: "error",
  check: (c) => c.buffers.iov > c.buffers.size,
  message: (c) =>
    `buffers.iov ${c.buffers.iov} is more than buffers.size ${c.buffers.size}: some pieces of ` +
    "the payload would be empty",
  hint: (c) => `use at most ${c.buffers.size} iovecs (every piece holds at least 1 byte)`,
};

/** The vectored send kind of the case that would send from a registered buffer, if any. */
function vectoredFixedSend(c: Case): string | undefined {
  if (c.buffers.iov < 2) return undefined;
  if (c.mode === "mixed")
    return c.mix?.weights.send_zc_fixed ? "mix.weights.send_zc_fixed" : undefined;
  const registered = c.buffers.register === "fixed" || c.buffers.register === "mixed";
  return registered && (c.mode === "send" || c.mode === "send_zc")
    ? `mode: ${c.mode} and register: ${c.buffers.register}`
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
    `buffers.iov ${c.buffers.iov} with ${vectoredFixedSend(c)}: a vectored send ` +
    "(IORING_SEND_VECTORIZED) takes no registered buffer (Linux refuses it, EINVAL)",
  hint: (c) =>
    c.mode === "mixed"
      ? "use sendmsg_zc_fixed in the mix instead of send_zc_fixed (its iovecs may lie in a " +
        "registered buffer), or iov: 1"
      : "use register: auto or none (auto registers none for a vectored send_zc), mode " +
        "sendmsg_zc (whose iovecs may lie in a registered buffer), or iov: 1",
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

/** some UDP request of the case is a vectored sendmsg_zc from a registered buffer */
const udpVectoredFixed = (c: Case) =>
  c.socket.type === "udp" && c.buffers.iov > 1 && registeredSendmsgZc(c);

const FRAGS_HINT =
  "use fewer iovecs, register: none (the kernel merges the pieces of plain pages), or TCP (a " +
  "stream spreads them over packets)";

/**
 * A fragment per piece at least, over what any kernel build lets a datagram hold: EMSGSIZE always.
 */
export const iovOverAnyFrags: Rule = {
  code: "ZC_IOV_FRAGS",
  param: "buffers.iov",
  severity: "error",
  check: (c) => udpVectoredFixed(c) && c.buffers.iov > FRAGS_MOST,
  message: (c) =>
    `buffers.iov ${c.buffers.iov}: a UDP sendmsg_zc from a registered buffer takes an skb ` +
    "fragment per piece at least, and no kernel build lets a datagram hold more than " +
    `${FRAGS_MOST}: every such request would fail (EMSGSIZE)`,
  hint: FRAGS_HINT,
};

/** Over MAX_SKB_FRAGS of a default kernel build: EMSGSIZE for every such request there. */
export const iovOverFrags: Rule = {
  code: "ZC_IOV_FRAGS",
  param: "buffers.iov",
  severity: "warning",
  check: (c) =>
    udpVectoredFixed(c) && c.buffers.iov <= FRAGS_MOST && registeredFrags(c) > FRAGS_DEFAULT,
  message: (c) =>
    `buffers.iov ${c.buffers.iov}: a UDP sendmsg_zc from a registered buffer takes an skb ` +
    `fragment per piece and 4 KiB page, up to ${registeredFrags(c)} here; kernels built with the ` +
    `default MAX_SKB_FRAGS (${FRAGS_DEFAULT}) refuse such a datagram (EMSGSIZE)`,
  hint: FRAGS_HINT,
};
