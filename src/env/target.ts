import type { Case, TargetKind } from "../spec/types.js";

/** What a target itself saw during one case (absent where the target cannot tell). */
export interface TargetCounters {
  /** packets the sending device dropped (the sink's packet counter) */
  txDropped?: number;
  /** what the built-in receiver got (loopback, pair) */
  rxDatagrams?: number;
  rxBytes?: number;
  /** received bytes that differ from the spec's pattern */
  rxMismatches?: number;
}

/** A place packets go, set up for one run and torn down after it. */
export interface Target {
  kind: TargetKind;
  /** /run/netns/NAME for the sender to enter; "" for the caller's namespace */
  netnsPath: string;
  family: Case["socket"]["family"];
  /** destination address bytes (network order) */
  dstAddr: number[];
  /** Called before each case; the returned function collects what the target saw during it. */
  beginCase(c: Case): Promise<() => Promise<TargetCounters>>;
  /** Remove everything the target created; safe to call twice. */
  close(): Promise<void>;
}
