/** The spec as written (after YAML parsing) and each case as resolved. */

export type Mode = "send" | "send_zc";
export type RingFlag = "coop_taskrun" | "single_issuer" | "defer_taskrun";
export type Register = "auto" | "fixed" | "none";
export type TargetKind = "sink";

export interface ParamsInput {
  name?: string;
  mode?: Mode;
  target?: TargetKind;
  socket?: { family?: "ipv4"; type?: "udp"; sndbuf?: number | string };
  ring?: {
    entries?: number;
    flags?: RingFlag[];
    register_ring_fd?: boolean;
    fixed_files?: boolean;
  };
  buffers?: { register?: Register; size?: number | string; count?: number };
  batch?: number;
  duration?: number | string;
  warmup?: number | string;
  requests?: number;
}

export interface SpecInput {
  version: 1;
  name: string;
  description?: string;
  defaults?: ParamsInput;
  matrix?: Record<string, unknown[]>;
  cases?: (ParamsInput & { name: string })[];
}

/** One runnable case: every parameter resolved, sizes in bytes, times in ns. */
export interface Case {
  name: string;
  mode: Mode;
  target: TargetKind;
  socket: { family: "ipv4"; type: "udp"; sndbuf: number };
  ring: { entries: number; flags: RingFlag[]; register_ring_fd: boolean; fixed_files: boolean };
  buffers: { register: Register; size: number; count: number };
  batch: number;
  duration_ns: number;
  warmup_ns: number;
  /** measured-request cap, 0 for none */
  requests: number;
  /** the matrix values that made this case, by dotted path */
  matrix: Record<string, unknown>;
}

/** Where a case came from, so later checks can point at the line that set a value. */
export type CaseOrigin =
  | { kind: "matrix"; indexes: Record<string, number> }
  | { kind: "case"; index: number };
