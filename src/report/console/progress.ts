import type { Case } from "../../model/case.js";
import type { Progress } from "../../model/progress.js";
import { integer } from "../text/numbers.js";

const WIDTH = 24;

/** The case's expected wall time: every repetition's warmup and measured window. */
export function expectedNs(c: Case): number {
  return c.repeat * (c.warmup_ns + c.duration_ns);
}

/**
 * One line of live progress: `[2/6] send_zc/size=600 [#####-----] 40% 584,796 req/s 1.2s left`.
 * Without a progress feed from the executor the rate reads "…". In a spec
 * that runs in rounds the line is one repetition's, led by its round:
 * `round 2/5 [2/6] send_zc/size=600 [...]`.
 */
export function progressLine(
  c: Case,
  index: number,
  total: number,
  elapsedNs: number,
  p: Progress | undefined,
  at: { round?: string } = {},
): string {
  const full = at.round ? c.warmup_ns + c.duration_ns : expectedNs(c);
  const t = full > 0 ? Math.min(1, elapsedNs / full) : 1;
  const done = Math.round(t * WIDTH);
  const bar = `[${"#".repeat(done)}${"-".repeat(WIDTH - done)}]`;
  const rate =
    p && p.elapsedNs > 0 ? `${integer(p.requests / (p.elapsedNs / 1e9))} req/s` : "… req/s";
  const left = Math.max(0, (full - elapsedNs) / 1e9);
  const round = at.round ? `${at.round} ` : "";
  return (
    `${round}[${index + 1}/${total}] ${c.name} ${bar} ` +
    `${String(Math.round(t * 100)).padStart(3)}% ${rate} ${left.toFixed(1)}s left`
  );
}
