import type { Case } from "../../model/case.js";
import { MODES } from "../../model/modes.js";
import type { Rule } from "./rule.js";

export const soZerocopyWithIoUring: Rule = {
  code: "ZC_SO_ZEROCOPY",
  param: "socket.zerocopy",
  severity: "error",
  check: (c) => c.socket.zerocopy && MODES[c.mode].api === "io_uring",
  message: (c) => `socket.zerocopy (SO_ZEROCOPY) must not be set with io_uring mode ${c.mode}`,
  hint:
    "io_uring zerocopy needs no SO_ZEROCOPY; remove socket.zerocopy (msg_zerocopy mode sets " +
    "it itself)",
};

/** round robin over at least `batch` flows: each socket takes one request of a batch at most */
const onePerSocket = (c: Case) =>
  c.socket.flow_order === "round_robin" && c.batch <= c.socket.flows;

export const tcpBatchOrder: Rule = {
  code: "ZC_TCP_ORDER",
  param: "batch",
  severity: "warning",
  check: (c) => c.socket.type === "tcp" && c.batch > 1 && c.inflight !== 1 && !onePerSocket(c),
  message: (c) =>
    `TCP with batch ${c.batch}: requests in flight together can reach the stream out of order`,
  hint:
    "set inflight: 1 (one request in flight) or batch: 1 to keep the byte order, or spread " +
    "each batch over as many socket.flows (round robin)",
};

export const corkOnTcp: Rule = {
  code: "ZC_SOCKET_OPTION",
  param: "socket.cork",
  severity: "error",
  check: (c) => c.socket.type === "tcp" && c.socket.cork !== "none",
  message: "socket.cork is UDP only",
  hint: "remove cork for TCP",
};

export const tcpUnconnected: Rule = {
  code: "ZC_SOCKET_OPTION",
  param: "socket.connect",
  severity: "error",
  check: (c) => c.socket.type === "tcp" && !c.socket.connect,
  message: "TCP needs a connected socket",
  hint: "remove connect: false for TCP",
};

export const nodelayOnUdp: Rule = {
  code: "ZC_SOCKET_OPTION",
  param: "socket.nodelay",
  severity: "error",
  check: (c) => c.socket.type === "udp" && c.socket.nodelay,
  message: "socket.nodelay is TCP only",
  hint: "remove nodelay for UDP",
};

/** flows (issue 24): msg_zerocopy's ids and error queue, and a corked batch, are one socket's */
export const flowsOneSocketOnly: Rule = {
  code: "ZC_FLOWS",
  param: "socket.flows",
  severity: "error",
  check: (c) =>
    c.socket.flows > 1 &&
    (c.mode === "msg_zerocopy" || c.socket.cork !== "none" || c.timestamps.every > 0),
  message: (c) =>
    `socket.flows ${c.socket.flows} with ${
      c.mode === "msg_zerocopy"
        ? "mode msg_zerocopy"
        : c.socket.cork !== "none"
          ? `cork: ${c.socket.cork}`
          : `timestamps.every ${c.timestamps.every}`
    }: it keeps to one socket`,
  hint:
    "msg_zerocopy numbers its notifications per socket, a corked batch is one socket's " +
    "datagram and transmit timestamps are keyed per socket: use an io_uring mode or sendto, " +
    "cork: none, timestamps off, or flows: 1",
};

export const backgroundPollWithSyscall: Rule = {
  code: "ZC_BACKGROUND_POLL",
  param: "socket.background_poll",
  severity: "error",
  check: (c) => c.socket.background_poll && MODES[c.mode].api !== "io_uring",
  message: (c) => `socket.background_poll with mode ${c.mode}, which has no io_uring ring`,
  hint:
    "the poll is an io_uring request (IORING_OP_POLL_ADD): use an io_uring mode, or remove " +
    "background_poll",
};
