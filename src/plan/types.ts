import type { Case, Mode, RingFlag } from "../spec/types.js";

/** A case compiled to the executor's terms: the fields of struct zc_plan, minus the target's address. */
export interface Plan {
  case: string;
  mode: Mode;
  fixedBuf: boolean;
  registerRingFd: boolean;
  fixedFiles: boolean;
  ringEntries: number;
  ringFlags: RingFlag[];
  batch: number;
  bufSize: number;
  bufCount: number;
  sndbuf: number;
  port: number;
  durationNs: number;
  warmupNs: number;
  maxRequests: number;
  /** what the environment must provide before the plan can run */
  needs: { target: Case["target"]; family: Case["socket"]["family"] };
  /**
   * Parameters this build cannot honour yet, each as `path=value`: a case
   * with any is skipped with them as the reason, never run half-right.
   */
  unsupported: string[];
}
