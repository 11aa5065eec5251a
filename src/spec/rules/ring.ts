import type { Case } from "../../model/case.js";
import { mixKinds, ZEROCOPY_KINDS } from "../../model/mix.js";
import { isZerocopy, MODES } from "../../model/modes.js";
import type { Rule } from "./rule.js";

/** a zerocopy op, or a mixed case with zerocopy kinds */
const sendsZerocopy = (c: Case) =>
  (isZerocopy(c.mode) && MODES[c.mode].api === "io_uring") ||
  (c.mode === "mixed" && mixKinds(c).some((k) => ZEROCOPY_KINDS.has(k)));

export const cqeSkipWithZerocopy: Rule = {
  code: "ZC_CQE_SKIP_ZC",
  param: "ring.cqe_skip_success",
  severity: "error",
  check: (c) => c.ring.cqe_skip_success && sendsZerocopy(c),
  message: (c) => `ring.cqe_skip_success cannot be used with mode ${c.mode}`,
  hint:
    "the kernel rejects IOSQE_CQE_SKIP_SUCCESS on zerocopy sends (-EINVAL): set " +
    "cqe_skip_success: false",
};

export const batchOverRing: Rule = {
  code: "ZC_BATCH_OVER_RING",
  param: "batch",
  severity: "error",
  check: (c) => c.batch > c.ring.entries,
  message: (c) => `batch ${c.batch} is larger than ring.entries ${c.ring.entries}`,
  hint: "a batch must fit in the submission queue: lower batch or raise ring.entries",
};

export const deferTaskrunAlone: Rule = {
  code: "ZC_RING_FLAGS",
  param: "ring.flags",
  severity: "error",
  check: (c) => c.ring.flags.includes("defer_taskrun") && !c.ring.flags.includes("single_issuer"),
  message: "defer_taskrun needs single_issuer",
  hint: "add single_issuer to ring.flags (the kernel refuses DEFER_TASKRUN alone)",
};

export const taskrunFlagAlone: Rule = {
  code: "ZC_RING_FLAGS",
  param: "ring.flags",
  severity: "error",
  check: (c) =>
    c.ring.flags.includes("taskrun_flag") &&
    !c.ring.flags.includes("coop_taskrun") &&
    !c.ring.flags.includes("defer_taskrun"),
  message: "taskrun_flag needs coop_taskrun or defer_taskrun",
  hint: "add coop_taskrun to ring.flags (the kernel refuses TASKRUN_FLAG alone)",
};

export const sqAffWithoutSqpoll: Rule = {
  code: "ZC_RING_FLAGS",
  param: "ring.flags",
  severity: "error",
  check: (c) => c.ring.flags.includes("sq_aff") && !c.ring.flags.includes("sqpoll"),
  message: "sq_aff needs sqpoll",
  hint:
    "add sqpoll to ring.flags: sq_aff pins the SQ thread, which only sqpoll starts (the " +
    "kernel refuses SQ_AFF alone, EINVAL)",
};

export const sqAffWithoutCpu: Rule = {
  code: "ZC_SQPOLL_CPU",
  param: "ring.flags",
  severity: "error",
  check: (c) => c.ring.flags.includes("sq_aff") && c.ring.sqpoll_cpu < 0,
  message: "sq_aff without ring.sqpoll_cpu",
  hint: "set ring.sqpoll_cpu to the CPU the SQ thread is to run on",
};

export const sqpollCpuWithoutSqAff: Rule = {
  code: "ZC_SQPOLL_CPU",
  param: "ring.sqpoll_cpu",
  severity: "error",
  check: (c) => c.ring.sqpoll_cpu >= 0 && !c.ring.flags.includes("sq_aff"),
  message: (c) => `ring.sqpoll_cpu ${c.ring.sqpoll_cpu} without sq_aff in ring.flags`,
  hint:
    "add sqpoll and sq_aff to ring.flags (the kernel reads the CPU only with SQ_AFF), or " +
    "remove sqpoll_cpu",
};

/** the kernel rounds both queues up to a power of two before it compares them */
const pow2 = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(1, n)));

export const cqsizeBelowEntries: Rule = {
  code: "ZC_CQSIZE",
  param: "ring.cqsize",
  severity: "error",
  check: (c) => c.ring.cqsize > 0 && pow2(c.ring.cqsize) < pow2(c.ring.entries),
  message: (c) =>
    `ring.cqsize ${c.ring.cqsize} is below ring.entries ${c.ring.entries} (the kernel compares ` +
    `them rounded up to powers of two: ${pow2(c.ring.cqsize)} < ${pow2(c.ring.entries)})`,
  hint:
    "the kernel refuses a CQ smaller than the SQ (EINVAL): raise ring.cqsize to at least " +
    "ring.entries, or 0 for twice ring.entries",
};
