/* SPDX-License-Identifier: MIT */
/*
 * The pacing clock of `rate:` (zc_plan.interval_ps): each thread's request
 * n is due at origin + n * interval; a batch of B is due when its first
 * request is, and the next batch B requests later, so the rate holds
 * whatever the batch. A sender that falls behind sends its late batches
 * back to back until it catches up (none is skipped: the requests it
 * owes are timed from when they were due, free of coordinated omission).
 *
 * How it waits, without spinning the whole core: clock_nanosleep
 * (CLOCK_MONOTONIC, TIMER_ABSTIME) to `slack` before the due time, then a
 * spin on the clock for the rest. The thread's timer slack is set to 1 ns
 * so the kernel does not round its wake-ups up by the default 50 us, and
 * `slack` follows the wake-ups' observed lateness (up fast, down slowly),
 * so the spin is about one wake-up's lateness per batch. A gap shorter
 * than the slack is spun through: at such rates per batch the thread is
 * busy anyway, and a larger batch lets it sleep.
 */
#define _GNU_SOURCE
#include <sys/prctl.h>
#include <time.h>

#include "internal.h"

/* how long a sleep may be before the stop flag is seen again */
#define PACE_SLICE_NS (50ULL * 1000000ULL)
/* the slack's bounds and its start: wake-up latency on a quiet machine is a few us */
#define PACE_SLACK_MIN_NS 2000ULL
#define PACE_SLACK_MAX_NS 200000ULL
#define PACE_SLACK_START_NS 20000ULL
/* a margin over the lateness a wake-up showed */
#define PACE_SLACK_MARGIN_NS 1000ULL
/* bounds of one wait: sleeps (a window is at most ZC_MAX_DURATION_NS), and clock reads spun */
#define PACE_MAX_SLEEPS (ZC_MAX_DURATION_NS / PACE_SLICE_NS + 2)
#define PACE_MAX_SPINS (1U << 24)

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

void zc_pace_begin(struct exec *e, uint64_t t0)
{
	e->pace.origin_ns = t0;
	e->pace.sent = 0;
	e->due_ns = 0;
	if (!e->pace.slack_ns) {
		e->pace.slack_ns = PACE_SLACK_START_NS;
		/* best effort: without it wake-ups are later and the slack grows to match */
		prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	}
}

/* the slack after a sleep meant to end at `wake` ended at `woke` */
static void adapt_slack(struct exec *e, uint64_t wake, uint64_t woke)
{
	uint64_t want = zc_past(woke, wake) + PACE_SLACK_MARGIN_NS;
	uint64_t *slack = &e->pace.slack_ns;

	if (want > *slack)
		*slack = want;
	else
		*slack -= (*slack - want) / 16;
	if (*slack > PACE_SLACK_MAX_NS)
		*slack = PACE_SLACK_MAX_NS;
	if (*slack < PACE_SLACK_MIN_NS)
		*slack = PACE_SLACK_MIN_NS;
}

static void sleep_until(uint64_t t)
{
	struct timespec ts = { .tv_sec = (time_t)(t / NSEC_PER_SEC),
			       .tv_nsec = (long)(t % NSEC_PER_SEC) };

	/* EINTR only ends the sleep early: the caller reads the clock and goes on */
	clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
}

int zc_pace_wait(struct exec *e, uint64_t end)
{
	uint64_t due = e->pace.origin_ns + e->pace.sent * e->plan->interval_ps / 1000ULL;
	uint64_t target = due < end ? due : end;
	uint64_t now = zc_now_ns(), wake;
	unsigned i;

	for (i = 0; i < PACE_MAX_SLEEPS && now + e->pace.slack_ns < target; i++) {
		if (zc_stop_requested(e))
			return 1;
		wake = target - e->pace.slack_ns;
		if (wake - now > PACE_SLICE_NS) {
			sleep_until(now + PACE_SLICE_NS);
			now = zc_now_ns();
			continue;
		}
		sleep_until(wake);
		now = zc_now_ns();
		adapt_slack(e, wake, now);
	}
	for (i = 0; i < PACE_MAX_SPINS && now < target; i++) {
		cpu_relax();
		now = zc_now_ns();
	}
	if (due >= end || zc_stop_requested(e))
		return 1;
	e->due_ns = due;
	return 0;
}
