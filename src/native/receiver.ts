/**
 * The koffi binding of the built-in receiver (native/receiver.c): start one
 * per target, switch its expected pattern per case, copy its counters. All
 * calls are short and synchronous; the receiving runs on the receiver's own
 * pthread, so nothing per packet crosses into JavaScript.
 */
import type { Pattern, Verify } from "../model/case.js";
import { NativeError } from "../model/errors.js";
import {
  AF_INET,
  AF_INET6,
  ZC_ABI_VERSION,
  ZC_NETNS_PATH_MAX,
  ZC_PATTERN,
  ZC_PROTO,
  ZC_VERIFY,
} from "./abi.js";
import { defaultLibraryPath, loadNative } from "./library.js";

/** struct zc_rx_stats as koffi returns it. */
export interface RxStats {
  status: number;
  /** the port it listens on */
  port: number;
  reserved0: number;
  /** UDP datagrams (0 for TCP) */
  datagrams: number;
  bytes: number;
  /** received bytes that differ from the pattern */
  mismatches: number;
  /** TCP connections accepted */
  connections: number;
  /** since the last byte arrived */
  idle_ns: number;
  /** received bytes compared with the pattern */
  checked: number;
  /** the receiver thread's CPU time (user + sys) since start */
  cpu_ns: number;
  /** CLOCK_MONOTONIC when these were read */
  now_ns: number;
  message: string;
  /** recv/recvmmsg calls that returned data */
  reads: number;
}

export interface ReceiverOptions {
  family: "ipv4" | "ipv6";
  proto: keyof typeof ZC_PROTO;
  /** bind address bytes, network order */
  addr: number[];
  /** 0: any free port */
  port: number;
  /** SO_RCVBUF, 0 for the default */
  rcvbuf: number;
  /** /run/netns/NAME to listen in, "" for this process's namespace */
  netnsPath: string;
  /** how much to compare with the pattern (default full) */
  verify?: Verify;
  /** sample: bytes compared at the start of every datagram or read (default 64) */
  sampleBytes?: number;
  /** sample: one datagram or read in this many compared in full (default 64) */
  sampleEvery?: number;
  /** pin the receiver thread to this CPU (default -1: not pinned) */
  cpu?: number;
}

/** A receiver's defaults, as the schema's receiver block states them. */
export const RECEIVER_DEFAULTS = {
  verify: "full",
  sampleBytes: 64,
  sampleEvery: 64,
  cpu: -1,
} as const;

/** A running receiver. */
export interface Receiver {
  port: number;
  /**
   * Verify what arrives from now on against this pattern and payload size;
   * segment > 0 (UDP): the sender cuts each payload into datagrams of that
   * size (socket.gso_size), read with UDP_GRO and checked as consecutive pieces.
   */
  expect(pattern: Pattern, size: number, segment?: number): void;
  /** Counters since start. */
  read(): RxStats;
  /** Bytes received from each of these source ports (the sender's flows) since the last expect. */
  flowBytes(ports: readonly number[]): number[];
  /** Stop and free it; returns the last counters. Safe to call twice. */
  stop(): RxStats;
}

/** Start a receiver; throws NativeError with the receiver's own message when it cannot listen. */
export function startReceiver(o: ReceiverOptions, path: string = defaultLibraryPath()): Receiver {
  if (Buffer.byteLength(o.netnsPath) >= ZC_NETNS_PATH_MAX)
    throw new RangeError(`namespace path too long for the ABI: ${o.netnsPath}`);
  const b = loadNative(path).receiver;
  const addr = new Array<number>(16).fill(0);
  o.addr.forEach((v, i) => {
    addr[i] = v;
  });
  const cfg = {
    abi_version: ZC_ABI_VERSION,
    family: o.family === "ipv6" ? AF_INET6 : AF_INET,
    proto: ZC_PROTO[o.proto],
    port: o.port,
    reserved0: 0,
    addr,
    rcvbuf: o.rcvbuf,
    verify: ZC_VERIFY[o.verify ?? RECEIVER_DEFAULTS.verify],
    sample_bytes: o.sampleBytes ?? RECEIVER_DEFAULTS.sampleBytes,
    sample_every: o.sampleEvery ?? RECEIVER_DEFAULTS.sampleEvery,
    cpu: o.cpu ?? RECEIVER_DEFAULTS.cpu,
    reserved1: 0,
    netns_path: o.netnsPath,
  };
  const handle: unknown[] = [null];
  const first = {} as RxStats;
  const ret = b.start(cfg, handle, first) as number;
  if (ret !== 0) {
    throw new NativeError(
      "ZC_RECEIVER",
      `the receiver could not start: ${first.message} (${ret})`,
      "see the message; another program may hold the port",
    );
  }
  let rx: unknown = handle[0];
  let last = first;
  const read = (): RxStats => {
    if (rx === null) return last;
    const out = {} as RxStats;
    b.read(rx, out);
    last = out;
    return last;
  };
  return {
    port: first.port,
    expect(pattern, size, segment = 0) {
      if (rx === null) throw new RangeError("receiver already stopped");
      const r = b.expect(rx, ZC_PATTERN[pattern], size, segment) as number;
      if (r !== 0) {
        const s = read();
        throw new NativeError(
          "ZC_RECEIVER",
          "the receiver could not switch to pattern " +
            `${pattern}/${size}${segment ? ` in ${segment}-byte segments` : ""}: ` +
            `${s.message || `error ${r}`}`,
        );
      }
    },
    read,
    flowBytes(ports) {
      if (rx === null || ports.length === 0) return ports.map(() => 0);
      // typed arrays: koffi hands C their memory, which it fills in place
      const out = new BigUint64Array(ports.length);
      b.flowBytes(rx, Uint16Array.from(ports), ports.length, out);
      return Array.from(out, Number);
    },
    stop() {
      if (rx === null) return last;
      const out = {} as RxStats;
      b.stop(rx, out);
      rx = null;
      last = out;
      return last;
    },
  };
}
