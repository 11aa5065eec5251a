import type { Case, TargetKind } from "./case.js";

/** What a target itself saw during one case (absent where the target cannot tell). */
export interface TargetCounters {
  /** packets the sending device dropped (the sink's packet counter) */
  txDropped?: number;
  /** datagrams the built-in receiver got (loopback, pair; UDP only) */
  rxDatagrams?: number;
  /** payload bytes the built-in receiver got */
  rxBytes?: number;
  /** received bytes that differ from the spec's pattern */
  rxMismatches?: number;
}

/** Where a target sends and receives, for the environment record of every result. */
export interface Topology {
  kind: TargetKind;
  family: Case["socket"]["family"];
  /** the network namespaces the run created for it (none for loopback and remote) */
  namespaces: string[];
  /** where the sender's packets leave from */
  sender: string;
  /** where they go, and what receives them */
  destination: string;
  /** MTU of the devices it created */
  mtu?: number;
  /** sysctls set inside its namespaces (the host's are never changed) */
  sysctls?: Readonly<Record<string, number>>;
}

/** Where a plan is sent: what a target provides (tests may aim at their own loopback peer). */
export interface Destination {
  /** /run/netns/NAME for the sender to enter; "" for the caller's namespace */
  netnsPath: string;
  family: Case["socket"]["family"];
  /** destination address bytes (network order) */
  dstAddr: number[];
}
