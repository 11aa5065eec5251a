/**
 * `zcspec receive --stdio`: the built-in receiver as a process another
 * host's zcspec starts through a launcher (ssh, kubectl exec -i, ip netns
 * exec). It reads one listen request on its input, listens where it is
 * told (nothing else), answers with the port, and when told to stop (a stop
 * message, its input closing, a signal or its own time limit) reports what
 * arrived, what the kernel dropped, and the host it ran on. One request per
 * process: the sender starts one per run of a case.
 */
import { once } from "node:events";
import { isIP } from "node:net";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { type Receiver, startReceiver } from "../../native/receiver.js";
import { toolVersion } from "../../version.js";
import { addressBytes } from "../addresses.js";
import { type CpuLines, readCpuLines } from "../procstat.js";
import { settle } from "../receiving.js";
import { RECEIVER_RCVBUF } from "../settings.js";
import {
  clockTicks,
  interfaceOf,
  machineBetween,
  nicCounters,
  readUdpCounters,
  receiverHost,
} from "./host.js";
import {
  encodeMessage,
  type ListenRequest,
  parseMessage,
  type ReceiveMessage,
  type ReceiveResult,
  spokenProtocol,
} from "./protocol.js";

/** How long the request may take to arrive after start (a launcher writes it at once). */
export const REQUEST_TIMEOUT_MS = 60_000;
/**
 * The receiver stops by itself this long after the case was due to end, whatever the sender says.
 */
export const LIMIT_MARGIN_MS = 20_000;

export interface ServeOptions {
  input: Readable;
  output: Writable;
  /** stops it as a stop message would (SIGINT/SIGTERM in the CLI) */
  signal?: AbortSignal;
  /** where to say what went wrong besides the error message (the CLI's stderr) */
  log?: (line: string) => void;
}

/** Exit codes, as the CLI's: 0 reported, 2 a request it cannot take, 3 it could not listen. */
const EXIT = { ok: 0, invalid: 2, runtime: 3 } as const;

/** Wait for one of several things; the losers are left pending (the process ends soon after). */
function race<T>(...ps: Promise<T>[]): Promise<T> {
  return Promise.race(ps);
}

function after<T>(ms: number, value: T): { promise: Promise<T>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(value), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

function aborted(signal: AbortSignal | undefined): Promise<"signal"> {
  if (!signal) return new Promise(() => undefined);
  if (signal.aborted) return Promise.resolve("signal");
  return once(signal, "abort").then(() => "signal" as const);
}

/** Serve one listen request on `input`/`output`; resolves with the exit code. */
export async function serveReceiver(o: ServeOptions): Promise<number> {
  const protocol = spokenProtocol();
  const version = toolVersion();
  const log = o.log ?? (() => undefined);
  const send = (m: ReceiveMessage) =>
    new Promise<void>((resolve) => {
      // a sender that went away cannot read it: nothing more to do either way
      o.output.write(encodeMessage(m), () => resolve());
    });
  const refuse = async (error: string, code: number) => {
    log(`zcspec receive: ${error}`);
    await send({ zcspec: "receive", protocol, message: "error", version, error });
    return code;
  };

  const lines = createInterface({ input: o.input, crlfDelay: Number.POSITIVE_INFINITY });
  const it = lines[Symbol.asyncIterator]();
  const next = (): Promise<string | "eof"> =>
    it.next().then(
      (r) => (r.done ? "eof" : r.value),
      () => "eof" as const,
    );
  try {
    const wait = after(REQUEST_TIMEOUT_MS, "timeout" as const);
    const first = await race<string | "eof" | "timeout" | "signal">(
      next(),
      wait.promise,
      aborted(o.signal),
    );
    wait.cancel();
    if (first === "eof" || first === "timeout" || first === "signal")
      return await refuse(
        first === "timeout"
          ? `no listen request on stdin within ${REQUEST_TIMEOUT_MS / 1000} s`
          : "no listen request on stdin",
        EXIT.invalid,
      );
    const parsed = parseMessage(first, ["listen"], protocol);
    switch (parsed.kind) {
      case "garbage":
        return await refuse(
          `the first line on stdin is not a zcspec receive message: ${first.slice(0, 200)}`,
          EXIT.invalid,
        );
      case "version":
        return await refuse(
          `this zcspec ${version} speaks receive protocol ${protocol}; the sender asked for ` +
            `protocol ${parsed.protocol}`,
          EXIT.invalid,
        );
      case "invalid":
        return await refuse(parsed.problem, EXIT.invalid);
    }
    return await listen(parsed.message, {
      next,
      send,
      refuse,
      signal: o.signal,
      protocol,
      version,
    });
  } finally {
    lines.close();
  }
}

interface Session {
  next: () => Promise<string | "eof">;
  send: (m: ReceiveMessage) => Promise<void>;
  refuse: (error: string, code: number) => Promise<number>;
  signal: AbortSignal | undefined;
  protocol: number;
  version: string;
}

async function listen(req: ListenRequest, s: Session): Promise<number> {
  const any = req.bind === "any";
  if (!any && isIP(req.bind) !== (req.family === "ipv6" ? 6 : 4))
    return s.refuse(`bind ${req.bind} is not an ${req.family} address`, EXIT.invalid);
  let rx: Receiver;
  try {
    rx = startReceiver({
      family: req.family,
      proto: req.type,
      addr: any ? [] : addressBytes(req.bind),
      port: req.port,
      rcvbuf: RECEIVER_RCVBUF,
      netnsPath: "",
    });
  } catch (e) {
    const why = (e as Error).message;
    const hint = /EADDRNOTAVAIL|assign requested address/i.test(why)
      ? ` (this host has no address ${req.bind}: remote.address must be an address of the host ` +
        "the launcher reaches)"
      : "";
    return s.refuse(
      `cannot listen on ${req.bind} ${req.type} port ${req.port}: ${why}${hint}`,
      EXIT.runtime,
    );
  }
  try {
    rx.expect(req.pattern, req.size, req.segment ?? 0);
    const nic = await interfaceOf(req.bind);
    const udp0 = req.type === "udp" ? readUdpCounters(req.family) : undefined;
    const nic0 = nic ? await nicCounters(nic.name) : undefined;
    const started = Date.now();
    await s.send({
      zcspec: "receive",
      protocol: s.protocol,
      message: "ready",
      version: s.version,
      port: rx.port,
      pid: process.pid,
    });

    const limit = after(req.expectMs + LIMIT_MARGIN_MS, "limit" as const);
    const signal = aborted(s.signal);
    const clkTck = clockTicks();
    // /proc/stat at the sender's window edges, read the moment its marks arrive
    const edges: { begin?: CpuLines; end?: CpuLines } = {};
    let stoppedBy: ReceiveResult["stoppedBy"] | undefined;
    let flowPorts: readonly number[] = [];
    while (!stoppedBy) {
      const got = await race<string | "eof" | "limit" | "signal">(s.next(), limit.promise, signal);
      if (got === "eof" || got === "limit" || got === "signal") {
        stoppedBy = got;
        continue;
      }
      const parsed = parseMessage(got, ["stop", "mark"], s.protocol);
      if (got.trim() === "stop") stoppedBy = "stop";
      else if (parsed.kind === "ok" && parsed.message.message === "stop") {
        stoppedBy = "stop";
        flowPorts = parsed.message.flowPorts ?? [];
      } else if (parsed.kind === "ok" && parsed.message.message === "mark")
        edges[parsed.message.edge] ??= readCpuLines();
      // anything else is not for us: the sender speaks only listen, mark and stop
    }
    limit.cancel();
    // a window whose end mark did not come (the sender stopped early) ends at the stop
    if (edges.begin) edges.end ??= readCpuLines();

    const last = await settle(rx, req.type);
    // before the stop frees the counters: the sender's flows, by their source ports
    const flowBytes = flowPorts.length ? rx.flowBytes(flowPorts) : undefined;
    rx.stop();
    const udp1 = req.type === "udp" ? readUdpCounters(req.family) : undefined;
    const nic1 = nic ? await nicCounters(nic.name) : undefined;
    const result: ReceiveResult = {
      zcspec: "receive",
      protocol: s.protocol,
      message: "result",
      version: s.version,
      stoppedBy,
      elapsedMs: Date.now() - started,
      datagrams: last.datagrams,
      bytes: last.bytes,
      mismatches: last.mismatches,
      connections: last.connections,
      ...(flowBytes ? { flowBytes } : {}),
      host: await receiverHost(req.bind, nic),
    };
    if (udp0 && udp1)
      result.udp = {
        rcvbufErrors: udp1.rcvbufErrors - udp0.rcvbufErrors,
        inErrors: udp1.inErrors - udp0.inErrors,
      };
    if (nic0 && nic1)
      result.nic = {
        rxPackets: nic1.rxPackets - nic0.rxPackets,
        rxDropped: nic1.rxDropped - nic0.rxDropped,
        rxMissed: nic1.rxMissed - nic0.rxMissed,
      };
    if (edges.begin && edges.end)
      result.machine = machineBetween(edges.begin, edges.end, await clkTck);
    if (last.status !== 0) result.receiverError = last.message || `error ${last.status}`;
    await s.send(result);
    return EXIT.ok;
  } finally {
    rx.stop();
  }
}
