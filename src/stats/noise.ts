import type { Measured } from "../model/measured/measured.js";
import type { RepetitionNoise } from "../model/measured/noise.js";

/**
 * When a repetition counts as visibly disturbed. One place, each with why:
 *
 * - cpuShare: a sender thread is a busy loop (prepare, submit, reap, again),
 *   so a thread nobody disturbs gets nearly a whole core (0.97-1.0 on the
 *   project's VM). Below 0.8 something else had its core for a fifth of the
 *   window, which dwarfs the 5 % effects the cover letter is about. Only
 *   counted when the thread was pushed off (involuntary switches at least as
 *   many as voluntary ones): a workload that blocks by design (a full TCP
 *   send buffer, waiting for notifications) sleeps voluntarily, and that is
 *   its nature, not noise.
 * - steal: the hypervisor ran something else on our vCPUs for more than 5 %
 *   of the machine's CPU time; again the size of the effects measured.
 * - otherRunnable: more tasks wanted a CPU beside the senders than the cores
 *   the senders leave free, so someone waited, and the scheduler shares the
 *   senders' cores too.
 */
export const DISTURBED = {
  cpuShareBelow: 0.8,
  stealAbove: 0.05,
  /** other runnable tasks above cores - sender threads */
  otherRunnableAbove: (cores: number, senders: number) => Math.max(0, cores - senders),
} as const;

/** What was observed around one repetition, before it is judged. */
export interface NoiseSample {
  round: number;
  position: number;
  /** the repetition's figures (sender threads' CPU, context switches) */
  measured: Measured;
  /** steal share of the machine over the repetition (/proc/stat), 0 where unknown */
  steal: number;
  /** other runnable tasks at each sample taken during the repetition */
  otherRunnable: readonly number[];
  /** the machine's CPUs */
  cores: number;
}

/**
 * Sender threads' CPU (user + sys) over the window's wall time, averaged per thread (1 = a core).
 */
export function cpuShare(m: Measured): number {
  const threads = m.threads.length ? m.threads : [m];
  const shares = threads
    .filter((t) => t.elapsedNs > 0)
    .map((t) => (t.userNs + t.sysNs) / t.elapsedNs);
  return shares.length ? shares.reduce((a, b) => a + b, 0) / shares.length : 0;
}

const pct = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;

/**
 * The noise record of a repetition: the figures, and `disturbed` with why (DISTURBED's thresholds).
 */
export function judgeNoise(s: NoiseSample): RepetitionNoise {
  const m = s.measured;
  const share = cpuShare(m);
  const senders = Math.max(1, m.threads.length);
  const other = s.otherRunnable.length
    ? s.otherRunnable.reduce((a, b) => a + b, 0) / s.otherRunnable.length
    : 0;
  const why: string[] = [];
  if (share < DISTURBED.cpuShareBelow && m.involCtxsw >= m.volCtxsw)
    why.push(`sender got ${pct(share)} of a core`);
  if (s.steal > DISTURBED.stealAbove) why.push(`steal ${pct(s.steal)}`);
  const room = DISTURBED.otherRunnableAbove(s.cores, senders);
  if (other > room) why.push(`${other.toFixed(1)} other runnable tasks for ${room} free core(s)`);
  return {
    round: s.round,
    position: s.position,
    cpuShare: share,
    steal: s.steal,
    otherRunnable: other,
    involCtxsw: m.involCtxsw,
    disturbed: why.length > 0,
    ...(why.length ? { why: why.join(", ") } : {}),
  };
}

/** "2 of 5 repetitions disturbed: steal 12 % (round 3), ..." or undefined when none was. */
export function disturbedWarning(reps: readonly RepetitionNoise[]): string | undefined {
  const bad = reps.filter((r) => r.disturbed);
  if (!bad.length) return undefined;
  const shown = bad.slice(0, 3).map((r) => `${r.why} (round ${r.round})`);
  const more = bad.length > 3 ? `, and ${bad.length - 3} more` : "";
  return `${bad.length} of ${reps.length} repetition(s) disturbed: ${shown.join("; ")}${more}`;
}
