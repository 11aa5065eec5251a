import type { FeatureNeed } from "../model/capabilities.js";
import type { Case } from "../model/case.js";
import { MODES } from "../model/modes.js";
import type { Plan } from "../model/plan.js";

type PlanSettings = Omit<Plan, "needs" | "unsupported" | "case">;

/** ops that take iov > 1 as IORING_SEND_VECTORIZED (the msghdr ops take iovecs anyway) */
const VECTORED_OPS = new Set<string>(["send", "send_zc"]);

/** The kernel features a plan uses, each with the spec setting that needs it. */
export function featureNeeds(plan: PlanSettings): FeatureNeed[] {
  const out: FeatureNeed[] = [];
  const need = (feature: FeatureNeed["feature"] | undefined, why: string) => {
    if (feature) out.push({ feature, why });
  };
  need(MODES[plan.mode].feature, `mode: ${plan.mode}`);
  if (plan.fixedBuf && plan.mode !== "mixed")
    need(MODES[plan.mode].registration.feature, `registered buffers with mode: ${plan.mode}`);
  // mixed: each kind it sends needs what its own mode would
  for (const [kind, weight] of Object.entries(plan.mix?.weights ?? {})) {
    if (!weight) continue;
    const op = kind.replace("_fixed", "") as Case["mode"];
    need(MODES[op].feature, `mix.weights.${kind}`);
    if (kind.endsWith("_fixed")) need(MODES[op].registration.feature, `mix.weights.${kind}`);
    if (plan.iov > 1 && VECTORED_OPS.has(op))
      need("send_vectorized", `buffers.iov: ${plan.iov} with mix.weights.${kind}`);
  }
  if (plan.iov > 1 && VECTORED_OPS.has(plan.mode))
    need("send_vectorized", `buffers.iov: ${plan.iov} with mode: ${plan.mode}`);
  if (plan.reportUsage) need("report_usage", "notifications.report_usage");
  if (plan.timestamps.every && plan.timestamps.via === "io_uring")
    need("tx_timestamp", "timestamps.via: io_uring");
  // the sampled request goes as sendmsg_zc (the op that carries a cmsg), from its registered buffer
  if (plan.timestamps.every && plan.fixedBuf)
    need("fixed_buf_sendmsg_zc", "timestamps.every with registered buffers");
  for (const f of plan.ringFlags) need(f, `ring.flags: ${f}`);
  if (plan.cqEntries) need("cqsize", `ring.cqsize: ${plan.cqEntries}`);
  if (plan.iowqCpus.length) need("iowq_aff", `ring.iowq_cpus: [${plan.iowqCpus.join(", ")}]`);
  if (plan.backgroundPoll) need("background_poll", "socket.background_poll");
  if (plan.napiBusyPollUs) need("napi", `ring.napi.busy_poll_us: ${plan.napiBusyPollUs}`);
  if (plan.pollFirst) need("poll_first", "ring.poll_first");
  if (plan.registerRingFd) need("reg_ring_fd", "ring.register_ring_fd");
  if (plan.hugetlb) need("hugetlb", "buffers.hugetlb");
  if (plan.gsoSize) need("udp_segment", `socket.gso_size: ${plan.gsoSize}`);
  return out;
}
