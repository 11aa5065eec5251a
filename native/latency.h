/* SPDX-License-Identifier: MIT */
/*
 * Per-request latency: log-linear histograms (struct zc_hist, zcspec.h),
 * the per-thread ring of request records they are timed from, and the
 * count of zerocopy bytes the kernel holds. The per-request helpers are
 * inline: they run once per request or notification, a few instructions
 * each; the clock is read by the callers once per batch or reap pass, and
 * only for a batch or pass that holds a timed request (zc_plan.latency_every).
 */
#ifndef ZCSPEC_LATENCY_H
#define ZCSPEC_LATENCY_H

#include <stdbool.h>
#include <stdint.h>

#include "zcspec.h"

/*
 * Records in the ring: a record is found again by its index, the low 16
 * bits of its tag; the tag's other bits tell a record overwritten since.
 */
#define ZC_LAT_RING 65536U

/*
 * one request: when it was due (paced; 0 unpaced), when it entered the
 * kernel, when its completion was seen
 */
struct zc_lat_rec {
	uint64_t intended_ns;
	uint64_t submit_ns;
	uint64_t complete_ns;
	uint32_t bytes;		/* zerocopy payload bytes it pinned, 0 for a copying request */
	uint32_t tag;
};

/* a thread's figures, reset with its counters after the warmup */
struct zc_lat {
	struct zc_hist hist[ZC_LAT_COUNT];
	uint64_t pinned;	/* zerocopy payload bytes submitted, not yet notified */
	uint64_t peak_pinned;
	uint64_t lost;		/* records overwritten before their request's last event */
	uint32_t countdown;	/* requests until the next timed one (0: the next is timed) */
};

/*
 * Is the next request timed? every: zc_plan.latency_every. A countdown, not
 * a modulo of the tag: the timed requests of a batch are `every` apart from
 * the first one, which is how the batch stamps them (zc_lat_submitted).
 */
static inline bool zc_lat_pick(struct zc_lat *l, uint32_t every)
{
	if (!every)
		return false;
	if (l->countdown) {
		l->countdown--;
		return false;
	}
	l->countdown = every - 1;
	return true;
}

/* zerocopy payload bytes submitted: the peak is kept for every request, timed or not */
static inline void zc_lat_pin(struct zc_lat *l, uint32_t bytes)
{
	l->pinned += bytes;
	if (l->pinned > l->peak_pinned)
		l->peak_pinned = l->pinned;
}

static inline unsigned zc_hist_bucket(uint64_t v)
{
	unsigned e;

	if (v < ZC_HIST_LINEAR)
		return (unsigned)v;
	if (v >> ZC_HIST_TOP_BIT)
		return ZC_HIST_BUCKETS - 1;
	/* v in [2^e, 2^(e+1)), e >= 5 (2^5 = ZC_HIST_LINEAR): its top bits after the leading one */
	e = 63U - (unsigned)__builtin_clzll(v);
	return ZC_HIST_LINEAR + (e - 5) * (1U << ZC_HIST_SUB_BITS) +
	       (unsigned)((v >> (e - ZC_HIST_SUB_BITS)) & ((1U << ZC_HIST_SUB_BITS) - 1));
}

/* n values of v at once (a batch's requests share a clock read) */
static inline void zc_hist_add_n(struct zc_hist *h, uint64_t v, uint64_t n)
{
	h->buckets[zc_hist_bucket(v)] += n;
	if (!h->count || v < h->min_ns)
		h->min_ns = v;
	if (v > h->max_ns)
		h->max_ns = v;
	h->count += n;
	h->sum_ns += v * n;
}

static inline void zc_hist_add(struct zc_hist *h, uint64_t v)
{
	zc_hist_add_n(h, v, 1);
}

/* t's distance past a due time (0 when not past it) */
static inline uint64_t zc_past(uint64_t t, uint64_t due)
{
	return t > due ? t - due : 0;
}

/* add h's values to into's */
void zc_hist_merge(struct zc_hist *into, const struct zc_hist *h);

static inline struct zc_lat_rec *zc_lat_at(struct zc_lat_rec *ring, uint32_t tag)
{
	return &ring[tag & (ZC_LAT_RING - 1)];
}

/* a request about to be sent: its record, and the bytes it pins (0: a copying one) */
static inline void zc_lat_start(struct zc_lat *l, struct zc_lat_rec *r, uint32_t tag,
				uint32_t pinned)
{
	r->tag = tag;
	r->bytes = pinned;
	zc_lat_pin(l, pinned);
}

/*
 * The timed requests tagged first, first + every, ... before end enter the
 * kernel now, at t; paced (due != 0), their batch was due at `due`.
 */
static inline void zc_lat_submitted(struct zc_lat_rec *ring, uint64_t first, uint64_t end,
				    uint32_t every, uint64_t t, uint64_t due)
{
	for (; first < end; first += every) {
		struct zc_lat_rec *r = zc_lat_at(ring, (uint32_t)first);

		r->submit_ns = t;
		r->intended_ns = due;
	}
}

static inline void zc_lat_unpin(struct zc_lat *l, uint64_t bytes)
{
	l->pinned -= bytes < l->pinned ? bytes : l->pinned;
}

/*
 * A request's completion seen at t; timed when it succeeded. owes_notif:
 * its notification comes later (and counts it as lost if need be), else
 * its pinned bytes are free now: the record's, or `bytes` when the record
 * is gone.
 */
static inline void zc_lat_completed(struct zc_lat *l, struct zc_lat_rec *r, uint32_t tag,
				    uint64_t t, bool ok, bool owes_notif, uint32_t bytes)
{
	if (r->tag != tag) {
		if (!owes_notif) {
			l->lost++;
			zc_lat_unpin(l, bytes);
		}
		return;
	}
	r->complete_ns = t;
	if (ok) {
		zc_hist_add(&l->hist[ZC_LAT_COMPLETION], t - r->submit_ns);
		if (r->intended_ns)
			zc_hist_add(&l->hist[ZC_LAT_INTENDED_COMPLETION], zc_past(t, r->intended_ns));
	}
	if (!owes_notif)
		zc_lat_unpin(l, r->bytes);
}

/* A request's notification seen at t; `bytes` are unpinned when its record is gone. */
static inline void zc_lat_notified(struct zc_lat *l, const struct zc_lat_rec *r, uint32_t tag,
				   uint64_t t, uint32_t bytes)
{
	if (r->tag != tag) {
		l->lost++;
		zc_lat_unpin(l, bytes);
		return;
	}
	zc_hist_add(&l->hist[ZC_LAT_NOTIF], t - r->submit_ns);
	if (r->intended_ns)
		zc_hist_add(&l->hist[ZC_LAT_INTENDED_NOTIF], zc_past(t, r->intended_ns));
	zc_hist_add(&l->hist[ZC_LAT_PINNED], t - r->complete_ns);
	zc_lat_unpin(l, r->bytes);
}

/* the figures of a thread into its result */
void zc_lat_publish(const struct zc_lat *l, struct zc_result *res);
/* the threads' figures into the total: histograms merged, peaks and losses summed */
void zc_lat_total(struct zc_result *t, const struct zc_result *r);

#endif
