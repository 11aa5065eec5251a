/** A place packets go, set up for one run and torn down after it. */
export interface Target {
  kind: "sink";
  /** /run/netns/NAME for the executor to enter; "" for the caller's namespace */
  netnsPath: string;
  family: "ipv4";
  /** destination address bytes (network order) */
  dstAddr: number[];
  /** packets the sending device dropped so far (the sink's packet counter) */
  txDropped(): Promise<number>;
  /** Remove everything the target created; safe to call twice. */
  close(): Promise<void>;
}
