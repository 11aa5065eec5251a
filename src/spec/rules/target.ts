import type { Rule } from "./rule.js";

export const remoteWithoutAddress: Rule = {
  code: "ZC_REMOTE_MISSING",
  param: "target",
  severity: "error",
  check: (c) => c.target === "remote" && !c.remote,
  message: "target: remote needs remote.address, the receiving host",
  hint: "add remote: { address: <the receiver's IP> } (runs only with --allow-remote)",
};
