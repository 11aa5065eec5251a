import type { LatencyHistogram } from "../model/measured/latency.js";
import type { Measured, Schedule } from "../model/measured/measured.js";

/** A kept schedule achieves at least this share of the offered rate. */
export const KEPT_ACHIEVED = 0.99;
/** ... and starts at most this share of its requests late. */
export const KEPT_LATE_SHARE = 0.01;
/**
 * A request is late once it starts more than one batch interval after it
 * was due, or this much, whichever is longer: a scheduler tick's order, so
 * that a slow schedule is not called broken by one preemption of a
 * loaded machine.
 */
export const LATE_FLOOR_NS = 1e6;

/** How late a request of a paced thread may start and still be on time, ns. */
export function lateBoundNs(ratePerThread: number, batch: number): number {
  return Math.max((batch / ratePerThread) * 1e9, LATE_FLOOR_NS);
}

/**
 * The share of requests in the lateness histogram that started past
 * `boundNs`: whole buckets whose lowest value is past it (a bucket is at
 * most 1/16 of its value wide, so the bound is that exact).
 */
export function lateShareOf(lateness: LatencyHistogram | undefined, boundNs: number): number {
  if (!lateness?.count) return 0;
  let late = 0;
  for (const [low, n] of lateness.buckets) if (low > boundNs) late += n;
  return late / lateness.count;
}

/** Whether a schedule with these figures was kept (see KEPT_ACHIEVED, KEPT_LATE_SHARE). */
export function keptOf(s: Pick<Schedule, "achievedShare" | "lateShare">): boolean {
  return s.achievedShare >= KEPT_ACHIEVED && s.lateShare <= KEPT_LATE_SHARE;
}

/**
 * A paced run's schedule figures as Measured holds them: the offered rate
 * (every thread's), the achieved share of it, the late share, and the
 * verdict; none unpaced.
 */
export function scheduleOf(
  plan: { rate: number; batch: number; threads: number },
  rps: number,
  lateness: LatencyHistogram | undefined,
): Partial<Schedule> {
  if (!(plan.rate > 0)) return {};
  const offeredRps = plan.rate * plan.threads;
  const bound = lateBoundNs(plan.rate, plan.batch);
  const figures = { achievedShare: rps / offeredRps, lateShare: lateShareOf(lateness, bound) };
  return { offeredRps, lateBoundNs: bound, ...figures, scheduleKept: keptOf(figures) };
}

/** The verdict again after the figures were reduced across repetitions (their medians). */
export function rejudged(m: Measured): Partial<Schedule> {
  if (m.achievedShare === undefined || m.lateShare === undefined) return {};
  return { scheduleKept: keptOf({ achievedShare: m.achievedShare, lateShare: m.lateShare }) };
}

const percent = (share: number) => `${+(share * 100).toFixed(1)}%`;

/** The reports' line for a case that fell behind its rate; undefined for one that kept it. */
export function scheduleWarning(m: Measured | undefined): string | undefined {
  if (m?.scheduleKept !== false) return undefined;
  const { offeredRps = 0, achievedShare = 0, lateShare = 0, lateBoundNs: bound = 0 } = m;
  return (
    `schedule not kept: offered ${Math.round(offeredRps)} requests/s, achieved ` +
    `${Math.round(m.rps)} (${percent(achievedShare)}); ${percent(lateShare)} of requests ` +
    `started more than ${+(bound / 1e6).toFixed(3)} ms late (kept: >= ${percent(KEPT_ACHIEVED)} ` +
    `achieved and <= ${percent(KEPT_LATE_SHARE)} late); the intended-start latency shows the cost`
  );
}
