import { isIP } from "node:net";
import type { Case } from "../model/case.js";

export type Family = Case["socket"]["family"];

/**
 * The addresses of namespace targets: the benchmarking ranges (RFC 2544's
 * 198.18.0.0/15, RFC 5180's 2001:2::/48), used only inside namespaces the
 * run created, so they never meet a real network.
 */
export const BENCH = {
  ipv4: { local: "198.18.0.1", peer: "198.18.0.2", prefix: 30 },
  ipv6: { local: "2001:2::1", peer: "2001:2::2", prefix: 64 },
} as const;

export const LOOPBACK = { ipv4: "127.0.0.1", ipv6: "::1" } as const;

/** An IPv4 or IPv6 address as network-order bytes (4 or 16). */
export function addressBytes(text: string): number[] {
  const kind = isIP(text);
  if (kind === 4) return text.split(".").map(Number);
  if (kind !== 6 || text.includes(".") || text.includes("%"))
    throw new RangeError(`not an IPv4 address or an IPv6 address in hex groups: ${text}`);
  const [head = "", tail] = text.split("::");
  const groups = (s: string) => (s ? s.split(":") : []);
  const left = groups(head);
  const right = groups(tail ?? "");
  const zeros = new Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].flatMap((g) => {
    const v = Number.parseInt(g, 16);
    return [v >> 8, v & 0xff];
  });
}

export function familyOf(text: string): Family {
  return isIP(text) === 6 ? "ipv6" : "ipv4";
}
