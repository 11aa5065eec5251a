import type { Case } from "../model/case.js";
import { createLoopback } from "./loopback.js";
import { reapStaleOnce } from "./netns.js";
import { createPair, pairSysctls } from "./pair.js";
import { createRemote } from "./remote.js";
import { createSink } from "./sink.js";
import type { Target } from "./target.js";

/**
 * Set up the target a case asks for. The first namespace target of a
 * process first removes what killed runs left behind.
 */
export async function openTarget(c: Case): Promise<Target> {
  const family = c.socket.family;
  switch (c.target) {
    case "sink":
      await reapStaleOnce();
      return createSink(family, c.sink.mtu);
    case "pair":
      await reapStaleOnce();
      return createPair(family, pairSysctls(c), c.pair.mtu, c.pair.gro);
    case "loopback":
      return createLoopback(family);
    case "remote":
      return createRemote(c);
  }
}

/** The key under which one run shares a target between cases. */
export function targetKey(c: Case): string {
  const r = c.remote;
  // a pair is set up with its sysctls, MTU and GRO, a sink with its MTU: other values, another target
  if (c.target === "pair")
    return (
      `pair/${c.socket.family}/${Object.values(pairSysctls(c)).join(",")}/mtu=${c.pair.mtu}` +
      `/gro=${c.pair.gro ? "on" : "off"}`
    );
  if (c.target === "sink") return `sink/${c.socket.family}/mtu=${c.sink.mtu}`;
  if (c.target !== "remote" || !r) return `${c.target}/${c.socket.family}`;
  // one host with and without a receiver: two targets, each with its own topology
  return `remote/${r.address}${r.receiver ? "/receiver" : ""}`;
}
