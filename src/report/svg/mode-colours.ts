import type { Mode } from "../../model/case.js";

/** A colour per mode, the same in every panel: copies cool, zerocopy warm. */
const MODE_COLOUR: Partial<Record<Mode, string>> = {
  send: "#1f77b4",
  send_zc: "#e6550d",
  sendto: "#2ca02c",
  msg_zerocopy: "#9467bd",
  sendmsg: "#17becf",
  sendmsg_zc: "#d6616b",
};
const MODE_ORDER: Mode[] = ["send", "send_zc", "sendto", "msg_zerocopy", "sendmsg", "sendmsg_zc"];
/** for a mode the table above does not know yet */
const SPARE_COLOURS = ["#7f7f7f", "#bcbd22", "#8c564b"];

export function colourOf(mode: Mode): string {
  return MODE_COLOUR[mode] ?? (SPARE_COLOURS[mode.length % SPARE_COLOURS.length] as string);
}

/** Modes in the order the legend and panels show them: known ones first, others by name. */
export function modeRank(mode: Mode): number {
  const i = MODE_ORDER.indexOf(mode);
  return i >= 0 ? i : MODE_ORDER.length;
}

/** `colour` (#rrggbb) mixed with white by `amount` (0..1), or with black by -amount. */
export function shade(colour: string, amount: number): string {
  const target = amount < 0 ? 0 : 255;
  const a = Math.abs(amount);
  const channel = (i: number) => {
    const c = Number.parseInt(colour.slice(1 + 2 * i, 3 + 2 * i), 16);
    return Math.round(c + (target - c) * a)
      .toString(16)
      .padStart(2, "0");
  };
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}
