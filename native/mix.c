/* SPDX-License-Identifier: MIT */
/*
 * ZC_MODE_MIXED: which kind of request (copying or zerocopy, plain or
 * registered buffer, send or sendmsg) each request is. The weights become a
 * table of kinds once, at setup: `rotate` walks it in order, `random` draws
 * an index per request from a seeded splitmix64 stream (thread i's stream
 * starts at seed + i). Nothing is allocated or called per request.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>

#include "internal.h"

/* the kind every request of a single-mode plan starts from */
static unsigned mode_kind(const struct zc_plan *p)
{
	switch (p->mode) {
	case ZC_MODE_SEND_ZC:
		return ZC_KIND_SEND_ZC;
	case ZC_MODE_SENDMSG:
		return ZC_KIND_SENDMSG;
	case ZC_MODE_SENDMSG_ZC:
		return ZC_KIND_SENDMSG_ZC;
	default:
		return ZC_KIND_SEND;
	}
}

bool zc_plan_has_kind(const struct zc_plan *p, unsigned bits)
{
	unsigned k;

	if (p->mode != ZC_MODE_MIXED) {
		k = mode_kind(p) | (p->flags & ZC_PLAN_FIXED_BUF ? ZC_KIND_FIXED : 0);
		/* register: mixed sends plain requests as well */
		if ((p->flags & ZC_PLAN_MIXED_BUF) && !(bits & ZC_KIND_FIXED))
			k &= ~ZC_KIND_FIXED;
		return (k & bits) == bits;
	}
	for (k = 0; k < ZC_KINDS; k++)
		if (p->mix[k] && (k & bits) == bits)
			return true;
	return false;
}

/*
 * Smooth weighted round robin (as nginx balances upstreams): every kind
 * gains its weight, the one furthest ahead is taken and pays the total.
 * Weights 1:1:1 give a b c a b c..., 1:3 give b b a b, b b a b...
 */
static void interleave(const uint16_t *w, uint8_t *out, uint32_t total)
{
	int64_t credit[ZC_KINDS] = { 0 };
	uint32_t i;
	unsigned k, best;

	for (i = 0; i < total; i++) {
		best = ZC_KINDS;
		for (k = 0; k < ZC_KINDS; k++) {
			if (!w[k])
				continue;
			credit[k] += w[k];
			if (best == ZC_KINDS || credit[k] > credit[best])
				best = k;
		}
		credit[best] -= total;
		out[i] = (uint8_t)best;
	}
}

int zc_mix_setup(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	uint32_t total = 0;
	unsigned k;

	e->prep.kind = (uint8_t)(mode_kind(p) | (p->flags & ZC_PLAN_FIXED_BUF ? ZC_KIND_FIXED : 0));
	if (p->mode != ZC_MODE_MIXED)
		return 0;
	for (k = 0; k < ZC_KINDS; k++)
		total += p->mix[k];
	/* the launcher checked 0 < total and every weight <= ZC_MIX_WEIGHT_MAX */
	e->mix = malloc(total);
	if (!e->mix)
		return zc_fail(e->res, -ENOMEM, "no memory for a mix of %u requests", total);
	interleave(p->mix, e->mix, total);
	e->mix_len = total;
	e->mix_pos = 0;
	e->rng = p->mix_seed + e->index;
	return 0;
}

void zc_mix_teardown(struct exec *e)
{
	free(e->mix);
	e->mix = NULL;
}
