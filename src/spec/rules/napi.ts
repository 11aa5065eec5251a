import type { Case } from "../../model/case.js";
import { MODES } from "../../model/modes.js";
import type { Rule } from "./rule.js";

/** ring.napi asks for busy poll */
const napiOn = (c: Case) => c.ring.napi.busy_poll_us > 0;

export const napiWithSyscall: Rule = {
  code: "ZC_NAPI",
  param: "ring.napi.busy_poll_us",
  severity: "error",
  check: (c) => napiOn(c) && MODES[c.mode].api !== "io_uring",
  message: (c) => `ring.napi with mode ${c.mode}, which has no io_uring ring`,
  hint: "NAPI busy poll is registered on a ring (IORING_REGISTER_NAPI): use an io_uring mode, or remove ring.napi",
};

export const napiWithoutNapiDevice: Rule = {
  code: "ZC_NAPI",
  param: "ring.napi.busy_poll_us",
  severity: "error",
  check: (c) => napiOn(c) && (c.target === "loopback" || c.target === "sink"),
  message: (c) =>
    `ring.napi on target ${c.target}, where the socket receives through no NAPI instance`,
  hint: "busy poll needs a device with NAPI: use target pair with pair.gro: true, or remote",
};

export const napiWithoutGro: Rule = {
  code: "ZC_NAPI",
  param: "ring.napi.busy_poll_us",
  severity: "error",
  check: (c) => napiOn(c) && c.target === "pair" && !c.pair.gro,
  message: "ring.napi on target pair without pair.gro",
  hint: "a veth receives through NAPI only with GRO on: add pair.gro: true (and keep it in the cases you compare with, so GRO is not the difference)",
};

export const preferWithoutNapi: Rule = {
  code: "ZC_NAPI",
  param: "ring.napi.prefer_busy_poll",
  severity: "error",
  check: (c) => c.ring.napi.prefer_busy_poll && !napiOn(c),
  message: "ring.napi.prefer_busy_poll without ring.napi.busy_poll_us",
  hint: "set ring.napi.busy_poll_us above 0 (0 registers no busy poll), or remove prefer_busy_poll",
};

export const napiWithoutPoll: Rule = {
  code: "ZC_NAPI",
  param: "ring.napi.busy_poll_us",
  severity: "warning",
  check: (c) => napiOn(c) && !c.socket.background_poll && MODES[c.mode].api === "io_uring",
  message: "ring.napi without socket.background_poll: the ring may never learn what to poll",
  hint: "io_uring adds a socket's NAPI ID to the ring only when it arms a poll on it (a send that would block, or the background poll): add socket.background_poll: true, on the cases you compare with too",
};
