import type { Case, MixKind } from "./case.js";

/** What one io_uring request was: the kinds a mix offers, and the registered copying sends. */
export type RequestKind = MixKind | "send_fixed" | "sendmsg_fixed";

/** The kinds of request that are zerocopy sends, each owing one notification. */
export const ZEROCOPY_KINDS: ReadonlySet<MixKind> = new Set([
  "send_zc",
  "send_zc_fixed",
  "sendmsg_zc",
  "sendmsg_zc_fixed",
]);

/** The kinds a mixed case sends: those with a weight above 0. */
export function mixKinds(c: Pick<Case, "mix">): MixKind[] {
  return Object.entries(c.mix?.weights ?? {})
    .filter(([, w]) => (w ?? 0) > 0)
    .map(([k]) => k as MixKind);
}
