import type { Case } from "../../model/case.js";
import { mixKinds } from "../../model/mix.js";
import type { MachineContext, Rule, SpecContext } from "./rule.js";

const total = (c: Case) => Object.values(c.mix?.weights ?? {}).reduce((a, w) => a + (w ?? 0), 0);

/** A mix written for cases none of which is mixed: most likely mode: mixed was forgotten. */
export const mixUnused: Rule<SpecContext> = {
  code: "ZC_MIX",
  param: "mix",
  severity: "error",
  check: (c, { cases }) => c.mix !== undefined && !cases.some((o) => o.mode === "mixed"),
  message: "mix is set, but no case of this spec uses mode: mixed",
  hint: "set mode: mixed where the mix should apply (mix chooses each request's kind only there)",
};

export const mixWithoutWeight: Rule = {
  code: "ZC_MIX",
  param: "mix.weights",
  severity: "error",
  check: (c) => c.mode === "mixed" && total(c) === 0,
  message: "every weight of mix.weights is 0: a mixed case would send nothing",
  hint: "give at least one kind a weight above 0, e.g. weights: { send: 1, send_zc: 1 }",
};

const registersFixedKinds = (c: Case) => mixKinds(c).some((k) => k.endsWith("_fixed"));

/** register: none while a _fixed kind is weighed, or mixed (whose alternation the mix replaces) */
export const mixWithRegister: Rule = {
  code: "ZC_MIX",
  param: "buffers.register",
  severity: "error",
  check: (c) =>
    c.mode === "mixed" &&
    (c.buffers.register === "mixed" || (c.buffers.register === "none" && registersFixedKinds(c))),
  message: (c) =>
    c.buffers.register === "mixed"
      ? "buffers.register: mixed has no say with mode: mixed (each request's kind says whether " +
        "its buffer is registered)"
      : `buffers.register: none, but mix.weights sends ${mixKinds(c)
          .filter((k) => k.endsWith("_fixed"))
          .join(", ")} from registered buffers`,
  hint:
    "use register: auto (registers when a _fixed kind has a weight) or fixed, or drop the " +
    "_fixed kinds",
};

const SAMPLE_MAX = 65536;
const RCVBUF_MAX = 1 << 30;

export const sampleBytesOutOfRange: Rule = {
  code: "ZC_RANGE",
  param: "receiver.sample_bytes",
  severity: "error",
  check: (c) => c.receiver.sample_bytes < 1 || c.receiver.sample_bytes > SAMPLE_MAX,
  message: (c) => `receiver.sample_bytes ${c.receiver.sample_bytes} is not 1..65536`,
  hint: "e.g. sample_bytes: 64 (what the kernel selftest's receiver checks per datagram)",
};

export const rcvbufOutOfRange: Rule = {
  code: "ZC_RANGE",
  param: "receiver.rcvbuf",
  severity: "error",
  check: (c) => c.receiver.rcvbuf > RCVBUF_MAX,
  message: (c) => `receiver.rcvbuf ${c.receiver.rcvbuf} is over 1GiB`,
  hint: "e.g. rcvbuf: 256MiB, or 0 for the kernel's default",
};

/** A receiver CPU this machine lacks: the receiver could not start. */
export const receiverCpuMissing: Rule<MachineContext> = {
  code: "ZC_CPU_MISSING",
  param: "receiver.cpu",
  severity: "warning",
  check: (c, { online }) =>
    c.receiver.cpu >= 0 &&
    (c.target === "loopback" || c.target === "pair") &&
    !online.has(c.receiver.cpu),
  message: (c) => `receiver.cpu names CPU ${c.receiver.cpu}, which this machine does not have`,
  hint: (_c, { online }) =>
    `this machine's online CPUs: ${[...online].sort((a, b) => a - b).join(", ")}; pinning to a ` +
    "missing CPU fails",
};
