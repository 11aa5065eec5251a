/**
 * The messages between a sending zcspec and `zcspec receive --stdio` on the
 * receiving host (schema/receive.schema.json): one JSON object per line,
 * sender to receiver over the launcher's stdin (listen, then stop), receiver
 * to sender over its stdout (ready or error, then result or error). Both
 * sides validate every message they read with the precompiled validators.
 */
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import {
  validateReceiveEnvelope,
  validateReceiveError,
  validateReceiveListen,
  validateReceiveMark,
  validateReceiveReady,
  validateReceiveResult,
  validateReceiveStop,
} from "../../../schema/zcspec.validators.js";
import type { Pattern } from "../../model/case.js";
import type { MachineCpu } from "../../model/measured/machine.js";
import type { ReceiverHost } from "../../model/target.js";

/**
 * The protocol version this zcspec speaks; a message of another one is refused, naming both.
 * 2: the mark message and the result's machine.
 */
export const RECEIVE_PROTOCOL = 2;

/** Test hook: `zcspec receive` speaks this protocol version instead, so a mismatch can be shown. */
export const TEST_PROTOCOL_ENV = "ZCSPEC_TEST_RECEIVE_PROTOCOL";

interface Envelope<M extends string> {
  zcspec: "receive";
  protocol: number;
  message: M;
}

/** Sender to receiver, first line: listen there and verify what arrives. */
export interface ListenRequest extends Envelope<"listen"> {
  family: "ipv4" | "ipv6";
  type: "udp" | "tcp";
  /** 0: any free port */
  port: number;
  /** an address of the receiving host, or "any" */
  bind: string;
  pattern: Pattern;
  /** payload size the pattern repeats over, bytes */
  size: number;
  /** UDP GSO: the segment size each payload is cut into (absent: whole datagrams) */
  segment?: number;
  /** warmup + duration of the case, ms: the receiver stops by itself a margin after it */
  expectMs: number;
}

/**
 * Sender to receiver: its measured window began or ended (as its progress poll saw it); the
 * receiver reads its host's /proc/stat then.
 */
export interface MarkMessage extends Envelope<"mark"> {
  edge: "begin" | "end";
}

/** Sender to receiver: the case has ended. */
export interface StopMessage extends Envelope<"stop"> {
  /** socket.flows: the sender's flows' source ports, whose bytes the result is to give */
  flowPorts?: number[];
}

/** Receiver to sender: listening. */
export interface ReadyAnswer extends Envelope<"ready"> {
  version: string;
  port: number;
  pid: number;
}

/** Receiver to sender: it cannot do what was asked, and exits. */
export interface ErrorAnswer extends Envelope<"error"> {
  version: string;
  error: string;
}

/** Receiver to sender, last line. */
export interface ReceiveResult extends Envelope<"result"> {
  version: string;
  stoppedBy: "stop" | "eof" | "limit" | "signal";
  elapsedMs: number;
  datagrams: number;
  bytes: number;
  mismatches: number;
  connections: number;
  /** the bytes received from each of the stop's flowPorts, in their order */
  flowBytes?: number[];
  /** UDP: the namespace's receive-buffer drops and input errors over the case */
  udp?: { rcvbufErrors: number; inErrors: number };
  /** the receiving interface's counters over the case (all its traffic) */
  nic?: { rxPackets: number; rxDropped: number; rxMissed: number };
  /** the receiving host's CPU between the marks; absent when no begin mark came */
  machine?: MachineCpu;
  /** the receiver stopped with this error during the case */
  receiverError?: string;
  host: ReceiverHost;
}

export type ReceiveMessage =
  | ListenRequest
  | MarkMessage
  | StopMessage
  | ReadyAnswer
  | ErrorAnswer
  | ReceiveResult;
type Kind = ReceiveMessage["message"];

const VALIDATORS: Record<Kind, ValidateFunction> = {
  listen: validateReceiveListen,
  stop: validateReceiveStop,
  mark: validateReceiveMark,
  ready: validateReceiveReady,
  error: validateReceiveError,
  result: validateReceiveResult,
};

/** What one line read from the other side turned out to be. */
export type Parsed<M> =
  | { kind: "ok"; message: M }
  /** not a message of this protocol at all (a shell's banner, a stray print) */
  | { kind: "garbage"; line: string }
  /** a message of this protocol, but of another version */
  | { kind: "version"; protocol: number; version?: string; error?: string }
  /** a message of this protocol and version that is not what was expected here, or invalid */
  | { kind: "invalid"; problem: string };

function problems(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
    .join("; ");
}

/** The protocol a process speaks: RECEIVE_PROTOCOL unless the test hook says otherwise. */
export function spokenProtocol(env: NodeJS.ProcessEnv = process.env): number {
  const forced = Number(env[TEST_PROTOCOL_ENV]);
  return Number.isInteger(forced) && forced > 0 ? forced : RECEIVE_PROTOCOL;
}

/** Parse and validate one line as one of the `expected` messages of protocol version `protocol`. */
export function parseMessage<K extends Kind>(
  line: string,
  expected: readonly K[],
  protocol: number = RECEIVE_PROTOCOL,
): Parsed<Extract<ReceiveMessage, { message: K }>> {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { kind: "garbage", line };
  }
  if (!validateReceiveEnvelope(data)) return { kind: "garbage", line };
  const m = data as Envelope<Kind> & { version?: unknown; error?: unknown };
  if (m.protocol !== protocol) {
    return {
      kind: "version",
      protocol: m.protocol,
      ...(typeof m.version === "string" ? { version: m.version } : {}),
      ...(typeof m.error === "string" ? { error: m.error } : {}),
    };
  }
  if (!(expected as readonly Kind[]).includes(m.message))
    return {
      kind: "invalid",
      problem:
        `a "${m.message}" message where ` + `${expected.map((k) => `"${k}"`).join(" or ")} was due`,
    };
  const validate = VALIDATORS[m.message];
  if (!validate(data))
    return {
      kind: "invalid",
      problem: `invalid "${m.message}" message: ${problems(validate.errors)}`,
    };
  return { kind: "ok", message: data as Extract<ReceiveMessage, { message: K }> };
}

/** A message as the line that carries it. */
export function encodeMessage(m: ReceiveMessage): string {
  return `${JSON.stringify(m)}\n`;
}
