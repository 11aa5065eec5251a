/* SPDX-License-Identifier: MIT */
/* The latency figures' way out of a thread and into the total (latency.h has the per-request part). */
#include <string.h>

#include "latency.h"

void zc_hist_merge(struct zc_hist *into, const struct zc_hist *h)
{
	unsigned b;

	if (!h->count)
		return;
	if (!into->count || h->min_ns < into->min_ns)
		into->min_ns = h->min_ns;
	if (h->max_ns > into->max_ns)
		into->max_ns = h->max_ns;
	into->count += h->count;
	into->sum_ns += h->sum_ns;
	for (b = 0; b < ZC_HIST_BUCKETS; b++)
		into->buckets[b] += h->buckets[b];
}

void zc_lat_publish(const struct zc_lat *l, struct zc_result *res)
{
	memcpy(res->latency, l->hist, sizeof(res->latency));
	res->peak_pinned_bytes = l->peak_pinned;
	res->latency_lost = l->lost;
}

void zc_lat_total(struct zc_result *t, const struct zc_result *r)
{
	unsigned k;

	for (k = 0; k < ZC_LAT_COUNT; k++)
		zc_hist_merge(&t->latency[k], &r->latency[k]);
	/* the threads' peaks need not coincide: their sum is an upper bound */
	t->peak_pinned_bytes += r->peak_pinned_bytes;
	t->latency_lost += r->latency_lost;
}
