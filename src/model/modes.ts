import type { Feature } from "./capabilities.js";
import type { Mode } from "./case.js";

/** What one send mode is; every stage asks this table instead of listing modes itself. */
export interface ModeRow {
  /**
   * whether the kernel copies the payload, or sends from the buffer and notifies when it is free
   */
  sends: "copying" | "zerocopy" | "per request";
  /** io_uring requests, or a plain syscall loop */
  api: "io_uring" | "syscall";
  /** where a zerocopy send's buffer-free notification comes from */
  notification: "none" | "completion queue" | "socket error queue" | "per request";
  /** the copying mode that does the same thing: what a zerocopy mode's ratios compare with */
  copyOf?: Mode;
  /** the kernel feature the mode itself needs */
  feature?: Feature;
  /** registered buffers (buffers.register): whether `auto` registers, and the feature they need */
  registration: {
    /** `register: auto` registers: the op accepts registered buffers on every supported kernel */
    auto: boolean;
    /** the probed feature registered buffers need; absent for a syscall, which has none */
    feature?: Feature;
    /** some kernels refuse registered buffers for this op (a warning when a spec asks for them) */
    refused?: true;
  };
  /** its colour in charts, the same in every panel: copies cool, zerocopy warm */
  colour: string;
}

/**
 * One row per mode, in the order reports show them (copy before its
 * zerocopy twin). The mode's name is its label everywhere.
 */
export const MODES: Readonly<Record<Mode, ModeRow>> = {
  send: {
    sends: "copying",
    api: "io_uring",
    notification: "none",
    registration: { auto: false, feature: "fixed_buf_send", refused: true },
    colour: "#1f77b4",
  },
  send_zc: {
    sends: "zerocopy",
    api: "io_uring",
    notification: "completion queue",
    copyOf: "send",
    feature: "send_zc",
    registration: { auto: true, feature: "fixed_buf_send_zc" },
    colour: "#e6550d",
  },
  sendto: {
    sends: "copying",
    api: "syscall",
    notification: "none",
    registration: { auto: false },
    colour: "#2ca02c",
  },
  msg_zerocopy: {
    sends: "zerocopy",
    api: "syscall",
    notification: "socket error queue",
    copyOf: "sendto",
    feature: "msg_zerocopy",
    registration: { auto: false },
    colour: "#9467bd",
  },
  sendmsg: {
    sends: "copying",
    api: "io_uring",
    notification: "none",
    registration: { auto: false, refused: true },
    colour: "#17becf",
  },
  sendmsg_zc: {
    sends: "zerocopy",
    api: "io_uring",
    notification: "completion queue",
    copyOf: "sendmsg",
    feature: "sendmsg_zc",
    registration: { auto: true, feature: "fixed_buf_sendmsg_zc" },
    colour: "#d6616b",
  },
  mixed: {
    sends: "per request",
    api: "io_uring",
    notification: "per request",
    registration: { auto: false },
    colour: "#8c564b",
  },
};

/** Modes every request of which is a zerocopy send (mixed is decided per request). */
export function isZerocopy(mode: Mode): boolean {
  return MODES[mode].sends === "zerocopy";
}

/** Modes in the order reports show them. */
export function modeRank(mode: Mode): number {
  return Object.keys(MODES).indexOf(mode);
}
