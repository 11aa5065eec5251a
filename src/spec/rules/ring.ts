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
