import type { Case, TargetKind } from "../model/case.js";
import type { TargetCounters, Topology } from "../model/target.js";

/** One case on a target: where to send, and what the target saw. */
export interface CaseSession {
  /** destination port (on loopback, the free port the receiver was given) */
  dstPort: number;
  /**
   * The sender's measured window began or ended (as its progress poll saw it): a remote
   * receiver reads its host's CPU then. Absent on targets on this machine.
   */
  mark?(edge: "begin" | "end"): void;
  /**
   * Called after the case; waits until its traffic has settled. flowPorts:
   * the source ports of the sender's flows, for a receiver that counts per
   * flow (rxFlowBytes, in their order).
   */
  collect(flowPorts?: readonly number[]): Promise<TargetCounters>;
}

/** A place packets go, set up for one run and torn down after it. */
export interface Target {
  kind: TargetKind;
  /** /run/netns/NAME for the sender to enter; "" for the caller's namespace */
  netnsPath: string;
  family: Case["socket"]["family"];
  /** destination address bytes (network order) */
  dstAddr: number[];
  topology: Topology;
  /** Called before each case (the receiver switches to the case's pattern here). */
  beginCase(c: Case): Promise<CaseSession>;
  /** Remove everything the target created; safe to call twice. */
  close(): Promise<void>;
}
