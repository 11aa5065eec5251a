import type { Case } from "../../model/case.js";
import type { Rule } from "./rule.js";

/** The kernel's UDP_MAX_SEGMENTS since Linux 6.11 (64 before): segments per GSO send. */
export const GSO_SEGMENTS_MAX = 128;
/**
 * IP and UDP headers in front of every segment: what udp_send_skb() adds to gso_size against the
 * MTU
 */
const SEGMENT_HEADERS = { ipv4: 20 + 8, ipv6: 40 + 8 } as const;

const gso = (c: Case) => c.socket.gso_size > 0;
const segments = (c: Case) => Math.ceil(c.buffers.size / c.socket.gso_size);

/**
 * The MTU of the veth a namespace target sends through: zcspec sets it.
 * Loopback's (65536) fits any datagram; a remote host's path is not known.
 */
function targetMtu(c: Case): number | undefined {
  if (c.target === "sink") return c.sink.mtu;
  return c.target === "pair" ? c.pair.mtu : undefined;
}

/**
 * The largest datagram the kernel checks against the MTU: a segment, or a payload shorter than one.
 */
const largestSegment = (c: Case) =>
  Math.min(c.buffers.size, c.socket.gso_size) + SEGMENT_HEADERS[c.socket.family];

export const gsoOnTcp: Rule = {
  code: "ZC_GSO_TRANSPORT",
  param: "socket.gso_size",
  severity: "error",
  check: (c) => gso(c) && c.socket.type === "tcp",
  message: "socket.gso_size (UDP_SEGMENT) is UDP only: TCP segments its stream itself",
  hint: "remove gso_size for TCP, or use socket.type: udp",
};

export const gsoWithCork: Rule = {
  code: "ZC_GSO_TRANSPORT",
  param: "socket.gso_size",
  severity: "error",
  check: (c) => gso(c) && c.socket.type === "udp" && c.socket.cork !== "none",
  message: (c) =>
    `socket.gso_size with cork: ${c.socket.cork} is not supported (a corked datagram's segments ` +
    "would straddle its payloads)",
  hint: "use cork: none with gso_size, or leave gso_size out",
};

export const gsoTooManySegments: Rule = {
  code: "ZC_GSO_SEGMENTS",
  param: "socket.gso_size",
  severity: "error",
  check: (c) => gso(c) && segments(c) > GSO_SEGMENTS_MAX,
  message: (c) =>
    `buffers.size ${c.buffers.size} in segments of ${c.socket.gso_size} is ${segments(c)} ` +
    `segments, over the kernel's ${GSO_SEGMENTS_MAX} per send (UDP_MAX_SEGMENTS; the kernel ` +
    "refuses it with EINVAL)",
  hint: (c) =>
    `use gso_size ${Math.ceil(c.buffers.size / GSO_SEGMENTS_MAX)} or more, or buffers.size ` +
    `${c.socket.gso_size * GSO_SEGMENTS_MAX} or less`,
};

export const gsoOverMtu: Rule = {
  code: "ZC_GSO_MTU",
  param: "socket.gso_size",
  severity: "error",
  check: (c) => {
    const mtu = targetMtu(c);
    return gso(c) && mtu !== undefined && largestSegment(c) > mtu;
  },
  message: (c) =>
    `a ${c.socket.gso_size}-byte segment with its ${SEGMENT_HEADERS[c.socket.family]} bytes of ` +
    `IP and UDP headers is ${largestSegment(c)} bytes, over the ${c.target}'s MTU ` +
    `${targetMtu(c)} (the kernel refuses it with EMSGSIZE)`,
  hint: (c) =>
    `use gso_size ${(targetMtu(c) ?? 0) - SEGMENT_HEADERS[c.socket.family]} or less, or raise ` +
    `${c.target}.mtu`,
};

export const gsoNothingToCut: Rule = {
  code: "ZC_GSO_SIZE",
  param: "socket.gso_size",
  severity: "warning",
  check: (c) => gso(c) && c.socket.type === "udp" && c.socket.gso_size >= c.buffers.size,
  message: (c) =>
    `socket.gso_size ${c.socket.gso_size} is not below buffers.size ${c.buffers.size}: every ` +
    "request is one datagram, so GSO changes nothing",
  hint: (c) =>
    `use a gso_size below ${c.buffers.size} (e.g. 1400 for a 1500-byte MTU), or leave it out`,
};

/** IPv6 needs 1280 bytes: below it the kernel takes IPv6 off the device. */
const mtuBelowIpv6 = (target: "sink" | "pair"): Rule => ({
  code: "ZC_MTU",
  param: `${target}.mtu`,
  severity: "error",
  check: (c) => c.socket.family === "ipv6" && c.target === target && c[target].mtu < 1280,
  message: (c) =>
    `IPv6 needs an MTU of at least 1280 bytes; ${target}.mtu is ${c[target].mtu} (the kernel ` +
    "takes IPv6 off such a device)",
  hint: `set ${target}.mtu to 1280 or more, or use socket.family: ipv4`,
});

export const sinkMtuBelowIpv6 = mtuBelowIpv6("sink");
export const pairMtuBelowIpv6 = mtuBelowIpv6("pair");
