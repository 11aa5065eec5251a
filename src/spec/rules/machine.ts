import type { Case } from "../../model/case.js";
import type { MachineContext, Rule } from "./rule.js";

const missing = (c: Case, online: ReadonlySet<number>) =>
  c.threads.cpus.filter((n) => !online.has(n));

export const cpuMissing: Rule<MachineContext> = {
  code: "ZC_CPU_MISSING",
  param: "threads.cpus",
  severity: "warning",
  check: (c, { online }) => missing(c, online).length > 0,
  message: (c, { online }) =>
    `threads.cpus names CPU ${missing(c, online).join(", ")}, which this machine does not have`,
  hint: (_c, { online }) =>
    `this machine's online CPUs: ${[...online].sort((a, b) => a - b).join(", ")}; pinning to a ` +
    "missing CPU fails",
};
