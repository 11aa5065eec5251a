import type { Case, TargetKind } from "./case.js";
import type { MachineCpu } from "./measured/machine.js";

/** What a target itself saw during one case (absent where the target cannot tell). */
export interface TargetCounters {
  /** packets the sending device dropped (the veth sink's packet counter) */
  txDropped?: number;
  /** packets the sending device's driver took (the dummy sink's packet counter) */
  txPackets?: number;
  /** datagrams the built-in receiver got (loopback, pair; UDP only) */
  rxDatagrams?: number;
  /** payload bytes the built-in receiver got */
  rxBytes?: number;
  /** received bytes that differ from the spec's pattern */
  rxMismatches?: number;
  /** received bytes compared with the pattern (receiver.verify: all, a sample, or 0) */
  rxChecked?: number;
  /** the built-in receiver's reads (recv or recvmmsg calls that returned data) during the case */
  rxReads?: number;
  /** the built-in receiver thread's CPU time (user + sys) during the case, ns */
  rxCpuNs?: number;
  /** that CPU time per payload received (rxCpuNs × buffers.size / rxBytes), ns */
  rxCpuNsPerRequest?: number;
  /** payload Gbit/s received, from the case's start to its last byte (warmup included) */
  rxGbps?: number;
  /**
   * UDP datagrams the receiving host's kernel dropped during the case for a
   * full receive buffer (remote receiver: its namespace's /proc/net/snmp
   * RcvbufErrors; 0 for TCP, which retransmits). Reported, not a failure:
   * bytes sent = bytes received + these datagrams' bytes.
   */
  rxDrops?: number;
  /**
   * Packets the receiving host's interface dropped or missed during the case
   * (rx_dropped + rx_missed of `ip -s link`, all its traffic, remote
   * receiver only): losses before UDP, which rxDrops does not see.
   */
  rxNicDrops?: number;
  /**
   * Remote receiver: the receiving host's whole-machine CPU between the sender's window marks
   * (its /proc/stat, read when each mark arrived there)
   */
  rxMachine?: MachineCpu;
  /**
   * that host's busy CPU per request, its rate over its marked window times the sender's
   * measured window, over the requests, ns
   */
  rxMachineCpuNsPerRequest?: number;
  /**
   * the built-in receiver's bytes from each of the sender's flows, keyed by
   * their source ports (collect's argument), in that order; measure() moves
   * them into measured.flows
   */
  rxFlowBytes?: number[];
}

/** The interface of the receiving host that holds the address a remote receiver listened on. */
export interface ReceiverInterface {
  name: string;
  mtu: number;
  /** `ethtool -i`: the driver ("veth" for a veth), its version, the NIC's firmware and bus */
  driver?: string;
  driverVersion?: string;
  firmware?: string;
  bus?: string;
  /** `ethtool -k`: the state of the offloads that shape receiving ("on", "off", "on [fixed]") */
  offloads?: Record<string, string>;
  /** why driver or offloads are missing (ethtool not installed, or it refused) */
  note?: string;
}

/** The host a remote receiver ran on, as its `zcspec receive --stdio` described it. */
export interface ReceiverHost {
  hostname: string;
  /** kernel release (uname -r) */
  kernel: string;
  cpu: { model: string; count: number };
  /** the zcspec and Node that ran the receiver */
  zcspec: string;
  node: string;
  /** the address it listened on ("any": every address of the host) */
  address: string;
  /** the interface holding that address, when one does */
  interface?: ReceiverInterface;
  /** its sysctls that bound receiving (net.core.rmem_max, netdev_max_backlog, ...) */
  sysctls: Record<string, string>;
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
  /** pair: GRO turned on on both veth ends (pair.gro), so they receive through NAPI */
  gro?: boolean;
  /** sysctls set inside its namespaces (the host's are never changed) */
  sysctls?: Readonly<Record<string, number>>;
  /**
   * remote: the command that starts the receiver on the other host
   * (`remote.receiver.launch`); absent when nothing there verifies delivery
   */
  launch?: string[];
  /** remote with a receiver: the receiving host, as its latest case's receiver reported it */
  receiver?: ReceiverHost;
}

/** Where a plan is sent: what a target provides (tests may aim at their own loopback peer). */
export interface Destination {
  /** /run/netns/NAME for the sender to enter; "" for the caller's namespace */
  netnsPath: string;
  family: Case["socket"]["family"];
  /** destination address bytes (network order) */
  dstAddr: number[];
}
