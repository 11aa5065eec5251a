import {
  alignNotPowerOfTwo,
  emptyPayload,
  fixedWithProbedOp,
  fixedWithSyscall,
  payloadOverDatagram,
  payloadPastSlot,
} from "./buffers.js";
import {
  gsoNothingToCut,
  gsoOnTcp,
  gsoOverMtu,
  gsoTooManySegments,
  gsoWithCork,
  pairMtuBelowIpv6,
  sinkMtuBelowIpv6,
} from "./gso.js";
import { iovOverAnyFrags, iovOverFrags, iovOverSize, iovWithFixedSend } from "./iov.js";
import { cpuMissing, iowqCpusMissing, sqpollCpuMissing } from "./machine.js";
import {
  mixUnused,
  mixWithoutWeight,
  mixWithRegister,
  rcvbufOutOfRange,
  receiverCpuMissing,
  sampleBytesOutOfRange,
} from "./mix.js";
import { duplicateName } from "./names.js";
import {
  napiWithoutGro,
  napiWithoutNapiDevice,
  napiWithoutPoll,
  napiWithSyscall,
  preferWithoutNapi,
} from "./napi.js";
import { slotsBelowInFlight, timestampsWithoutZerocopy } from "./notifications.js";
import { receiverWithoutLaunch } from "./receiver.js";
import { repeatMinOverMax, repeatUntilOutOfRange } from "./repeat.js";
import {
  batchOverRing,
  cqeSkipWithZerocopy,
  cqsizeBelowEntries,
  deferTaskrunAlone,
  sqAffWithoutCpu,
  sqAffWithoutSqpoll,
  sqpollCpuWithoutSqAff,
  taskrunFlagAlone,
} from "./ring.js";
import type { MachineContext, Rule, SpecContext } from "./rule.js";
import {
  backgroundPollWithSyscall,
  corkOnTcp,
  flowsOneSocketOnly,
  nodelayOnUdp,
  soZerocopyWithIoUring,
  tcpBatchOrder,
  tcpUnconnected,
} from "./socket.js";
import { remoteWithoutAddress } from "./target.js";
import { durationNotOverWarmup, durationOutOfRange, rateTooLow, warmupTooLong } from "./timing.js";

/**
 * The rules every resolved case is checked against, in the order they are
 * reported. The order counts: diagnostics at one place come in this order,
 * and of two with one code at one place only the first is kept.
 */
export const caseRules: readonly Rule<SpecContext>[] = [
  cqeSkipWithZerocopy,
  soZerocopyWithIoUring,
  emptyPayload,
  payloadOverDatagram,
  tcpBatchOrder,
  slotsBelowInFlight,
  timestampsWithoutZerocopy,
  fixedWithSyscall,
  fixedWithProbedOp,
  iovOverSize,
  iovWithFixedSend,
  iovOverAnyFrags,
  iovOverFrags,
  payloadPastSlot,
  alignNotPowerOfTwo,
  batchOverRing,
  deferTaskrunAlone,
  taskrunFlagAlone,
  sqAffWithoutSqpoll,
  sqAffWithoutCpu,
  sqpollCpuWithoutSqAff,
  cqsizeBelowEntries,
  durationOutOfRange,
  durationNotOverWarmup,
  warmupTooLong,
  rateTooLow,
  repeatMinOverMax,
  repeatUntilOutOfRange,
  remoteWithoutAddress,
  receiverWithoutLaunch,
  corkOnTcp,
  tcpUnconnected,
  nodelayOnUdp,
  backgroundPollWithSyscall,
  napiWithSyscall,
  napiWithoutNapiDevice,
  napiWithoutGro,
  napiWithoutPoll,
  preferWithoutNapi,
  flowsOneSocketOnly,
  gsoOnTcp,
  gsoWithCork,
  gsoTooManySegments,
  gsoOverMtu,
  gsoNothingToCut,
  sinkMtuBelowIpv6,
  pairMtuBelowIpv6,
  mixUnused,
  mixWithoutWeight,
  mixWithRegister,
  sampleBytesOutOfRange,
  rcvbufOutOfRange,
  duplicateName,
];

/**
 * The rules against the machine that will run the spec: checked at plan and
 * run time only, since a spec may be validated on a smaller box than it runs on.
 */
export const machineRules: readonly Rule<MachineContext>[] = [
  cpuMissing,
  sqpollCpuMissing,
  iowqCpusMissing,
  receiverCpuMissing,
];
