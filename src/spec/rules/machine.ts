import type { Case } from "../../model/case.js";
import type { MachineContext, Rule } from "./rule.js";

const missing = (cpus: readonly number[], online: ReadonlySet<number>) =>
  cpus.filter((n) => !online.has(n));

const onlineHint = (_c: Case, { online }: MachineContext) =>
  `this machine's online CPUs: ${[...online].sort((a, b) => a - b).join(", ")}; pinning to a ` +
  "missing CPU fails";

export const cpuMissing: Rule<MachineContext> = {
  code: "ZC_CPU_MISSING",
  param: "threads.cpus",
  severity: "warning",
  check: (c, { online }) => missing(c.threads.cpus, online).length > 0,
  message: (c, { online }) =>
    `threads.cpus names CPU ${missing(c.threads.cpus, online).join(", ")}, which this machine ` +
    "does not have",
  hint: onlineHint,
};

export const sqpollCpuMissing: Rule<MachineContext> = {
  code: "ZC_CPU_MISSING",
  param: "ring.sqpoll_cpu",
  severity: "warning",
  check: (c, { online }) => c.ring.sqpoll_cpu >= 0 && !online.has(c.ring.sqpoll_cpu),
  message: (c) =>
    `ring.sqpoll_cpu names CPU ${c.ring.sqpoll_cpu}, which this machine does not have`,
  hint: onlineHint,
};

export const iowqCpusMissing: Rule<MachineContext> = {
  code: "ZC_CPU_MISSING",
  param: "ring.iowq_cpus",
  severity: "warning",
  check: (c, { online }) => missing(c.ring.iowq_cpus, online).length > 0,
  message: (c, { online }) =>
    `ring.iowq_cpus names CPU ${missing(c.ring.iowq_cpus, online).join(", ")}, which this ` +
    "machine does not have",
  hint: onlineHint,
};
