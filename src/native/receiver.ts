/**
 * The koffi binding of the built-in receiver (native/receiver.c): start one
 * per target, switch its expected pattern per case, copy its counters. All
 * calls are short and synchronous; the receiving runs on the receiver's own
 * pthread, so nothing per packet crosses into JavaScript.
 */
import koffi from "koffi";
import { NativeError } from "../errors.js";
import type { Pattern } from "../model/case.js";
import {
  AF_INET,
  AF_INET6,
  ZC_ABI_VERSION,
  ZC_MESSAGE_MAX,
  ZC_NETNS_PATH_MAX,
  ZC_PATTERN,
} from "./abi.js";
import { defaultLibraryPath } from "./library.js";

export const ZC_PROTO = { udp: 0, tcp: 1 } as const;

export const RxConfigStruct = koffi.struct("zc_rx_config", {
  abi_version: "uint32_t",
  family: "uint32_t",
  proto: "uint32_t",
  port: "uint16_t",
  reserved0: "uint16_t",
  addr: koffi.array("uint8_t", 16),
  rcvbuf: "uint32_t",
  reserved1: "uint32_t",
  netns_path: koffi.array("char", ZC_NETNS_PATH_MAX, "String"),
});

export const RxStatsStruct = koffi.struct("zc_rx_stats", {
  status: "int32_t",
  port: "uint16_t",
  reserved0: "uint16_t",
  datagrams: "uint64_t",
  bytes: "uint64_t",
  mismatches: "uint64_t",
  connections: "uint64_t",
  idle_ns: "uint64_t",
  message: koffi.array("char", ZC_MESSAGE_MAX, "String"),
});

// the prototypes below name this opaque type
koffi.opaque("zc_rx");

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
  message: string;
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
}

/** A running receiver. */
export interface Receiver {
  port: number;
  /** Verify what arrives from now on against this pattern and payload size. */
  expect(pattern: Pattern, size: number): void;
  /** Counters since start. */
  read(): RxStats;
  /** Stop and free it; returns the last counters. Safe to call twice. */
  stop(): RxStats;
}

type NativeFn = ReturnType<ReturnType<typeof koffi.load>["func"]>;

interface Bound {
  start: NativeFn;
  expect: NativeFn;
  read: NativeFn;
  stop: NativeFn;
}

const bound = new Map<string, Bound>();

function bind(path: string): Bound {
  const cached = bound.get(path);
  if (cached) return cached;
  let lib: ReturnType<typeof koffi.load>;
  let sizes: [number, number];
  try {
    lib = koffi.load(path);
    sizes = [
      lib.func("uint32_t zc_rx_config_size(void)")() as number,
      lib.func("uint32_t zc_rx_stats_size(void)")() as number,
    ];
  } catch (e) {
    throw new NativeError(
      "ZC_NATIVE_LOAD",
      `cannot load the receiver from ${path}: ${(e as Error).message}`,
      "rebuild it with `npm run build:native`",
    );
  }
  const want = [koffi.sizeof(RxConfigStruct), koffi.sizeof(RxStatsStruct)];
  if (sizes[0] !== want[0] || sizes[1] !== want[1]) {
    throw new NativeError(
      "ZC_ABI_MISMATCH",
      `native library ${path} does not match this zcspec: struct zc_rx_config/zc_rx_stats are ${sizes.join("/")} bytes, expected ${want.join("/")}`,
      "rebuild it from this checkout with `npm run build:native` (or unset ZCSPEC_NATIVE_LIB)",
    );
  }
  const b: Bound = {
    start: lib.func(
      "int zc_rx_start(const zc_rx_config *cfg, _Out_ zc_rx **rx, _Out_ zc_rx_stats *st)",
    ),
    expect: lib.func("int zc_rx_expect(zc_rx *rx, uint32_t pattern, uint32_t size)"),
    read: lib.func("void zc_rx_read(zc_rx *rx, _Out_ zc_rx_stats *st)"),
    stop: lib.func("void zc_rx_stop(zc_rx *rx, _Out_ zc_rx_stats *st)"),
  };
  bound.set(path, b);
  return b;
}

/** Start a receiver; throws NativeError with the receiver's own message when it cannot listen. */
export function startReceiver(o: ReceiverOptions, path: string = defaultLibraryPath()): Receiver {
  if (Buffer.byteLength(o.netnsPath) >= ZC_NETNS_PATH_MAX)
    throw new RangeError(`namespace path too long for the ABI: ${o.netnsPath}`);
  const b = bind(path);
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
    expect(pattern, size) {
      if (rx === null) throw new RangeError("receiver already stopped");
      const r = b.expect(rx, ZC_PATTERN[pattern], size) as number;
      if (r !== 0) {
        const s = read();
        throw new NativeError(
          "ZC_RECEIVER",
          `the receiver could not switch to pattern ${pattern}/${size}: ${s.message || `error ${r}`}`,
        );
      }
    },
    read,
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
