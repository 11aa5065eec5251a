import type { Rule } from "./rule.js";

/** A receiver with nothing to start it: zcspec could only fail when the case runs. */
export const receiverWithoutLaunch: Rule = {
  code: "ZC_RECEIVER_LAUNCH",
  param: "remote.receiver.launch",
  severity: "error",
  check: (c) => c.target === "remote" && c.remote?.receiver?.launch.length === 0,
  message: "remote.receiver.launch is empty: nothing would start the receiver on the other host",
  hint:
    "give the command that runs zcspec receive --stdio there, " +
    "e.g. launch: [ssh, -T, -o, BatchMode=yes, user@host, zcspec, receive, --stdio]",
};
