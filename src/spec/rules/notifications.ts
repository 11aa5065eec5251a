import type { Case } from "../../model/case.js";
import type { Rule } from "./rule.js";

/** requests in flight at once: the inflight cap, or one batch without it */
const inFlight = (c: Case) => c.inflight || c.batch;

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
