import type { Case } from "../../model/case.js";
import type { Rule } from "./rule.js";

/** requests in flight at once: the inflight cap, or one batch without it */
const inFlight = (c: Case) => c.inflight || c.batch;

/** modes that send zerocopy requests through io_uring (mixed: where its weights draw one) */
const ZC_URING_MODES = new Set(["send_zc", "sendmsg_zc", "mixed"]);

export const timestampsWithoutZerocopy: Rule = {
  code: "ZC_TIMESTAMPS",
  param: "timestamps.every",
  severity: "error",
  check: (c) => c.timestamps.every > 0 && !ZC_URING_MODES.has(c.mode),
  message: (c) =>
    `timestamps.every with mode ${c.mode}, which sends no zerocopy request through io_uring`,
  hint:
    "transmit timestamps split a zerocopy buffer's submit -> notification time: use send_zc, " +
    "sendmsg_zc or mixed, or remove timestamps",
};

export const slotsBelowInFlight: Rule = {
  code: "ZC_SLOTS_IN_FLIGHT",
  param: "buffers.count",
  severity: "error",
  check: (c) => c.notifications.reuse === "after_notification" && c.buffers.count < inFlight(c),
  message: (c) =>
    "notifications.reuse: after_notification needs a buffer slot per request in flight: " +
    `buffers.count ${c.buffers.count} < ${inFlight(c)} in flight`,
  hint: (c) =>
    `raise buffers.count to at least ${inFlight(c)}, or lower ${c.inflight ? "inflight" : "batch"}`,
};
