/** A case compiled to the executor's terms: the fields of struct zc_plan, minus the target's address. */
export interface Plan {
  case: string;
  mode: "send" | "send_zc";
  fixedBuf: boolean;
  registerRingFd: boolean;
  fixedFiles: boolean;
  ringEntries: number;
  ringFlags: ("coop_taskrun" | "single_issuer" | "defer_taskrun")[];
  batch: number;
  bufSize: number;
  bufCount: number;
  sndbuf: number;
  durationNs: number;
  warmupNs: number;
  maxRequests: number;
  /** what the environment must provide before the plan can run */
  needs: { target: "sink"; family: "ipv4" };
}
