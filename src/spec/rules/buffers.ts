import type { Case } from "../../model/case.js";
import { MODES } from "../../model/modes.js";
import type { Rule } from "./rule.js";

/**
 * Largest UDP payload in one datagram: IPv4's 65535-byte total length less its
 * 20-byte header and UDP's 8; IPv6's 65535-byte payload length less UDP's 8.
 */
const UDP_MAX_PAYLOAD = { ipv4: 65507, ipv6: 65527 } as const;

const registered = (c: Case) => c.buffers.register === "fixed" || c.buffers.register === "mixed";

export const emptyPayload: Rule = {
  code: "ZC_PAYLOAD_SIZE",
  param: "buffers.size",
  severity: "error",
  check: (c) => c.buffers.size < 1,
  message: "buffers.size must be at least 1 byte",
  hint: "e.g. size: 4000",
};

export const payloadOverDatagram: Rule = {
  code: "ZC_PAYLOAD_SIZE",
  param: "buffers.size",
  severity: "error",
  check: (c) => c.socket.type === "udp" && c.buffers.size > UDP_MAX_PAYLOAD[c.socket.family],
  message: (c) =>
    `buffers.size ${c.buffers.size} does not fit one ` +
    `UDP/${c.socket.family === "ipv4" ? "IPv4" : "IPv6"} datagram`,
  hint: (c) =>
    `use 1..${UDP_MAX_PAYLOAD[c.socket.family]} bytes (the most one datagram carries over ` +
    `${c.socket.family})`,
};

export const fixedWithSyscall: Rule = {
  code: "ZC_FIXED_BUF",
  param: "buffers.register",
  severity: "error",
  check: (c) => registered(c) && MODES[c.mode].api === "syscall",
  message: (c) =>
    `buffers.register: ${c.buffers.register} means nothing for mode ${c.mode} (a plain syscall ` +
    "has no registered buffers)",
  hint: "use register: auto or none with sendto and msg_zerocopy",
};

export const fixedWithProbedOp: Rule = {
  code: "ZC_FIXED_SEND",
  param: "buffers.register",
  severity: "warning",
  check: (c) => registered(c) && MODES[c.mode].registration.refused === true,
  message: (c) =>
    `registered buffers with mode ${c.mode}: some kernels refuse them (-EINVAL); the case is ` +
    "skipped there",
  hint: "use register: auto to register only where the mode accepts it (send_zc, sendmsg_zc)",
};

export const payloadPastSlot: Rule = {
  code: "ZC_BUFFER_BOUNDS",
  param: "buffers.offset",
  severity: "error",
  check: (c) => c.buffers.offset + c.buffers.size > c.buffers.slot,
  message: (c) =>
    `buffers.offset ${c.buffers.offset} + size ${c.buffers.size} runs past the ` +
    `${c.buffers.slot}-byte slot`,
  hint: (c) =>
    `make buffers.slot at least ${c.buffers.offset + c.buffers.size} (or 0 to size it), or lower ` +
    "offset or size",
};

export const alignNotPowerOfTwo: Rule = {
  code: "ZC_ALIGN",
  param: "buffers.align",
  severity: "error",
  check: (c) => c.buffers.align < 1 || (c.buffers.align & (c.buffers.align - 1)) !== 0,
  message: (c) => `buffers.align ${c.buffers.align} is not a power of two`,
  hint: "e.g. align: 4096 (a page) or 64 (a cache line)",
};
