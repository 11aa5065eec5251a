/* SPDX-License-Identifier: MIT */
/*
 * tx-timestamps (tstamp.h): which requests are sampled, how their stamps
 * come back, and how a request's stamps become spans.
 *
 * Per-request control, not the socket option: SO_TIMESTAMPING with record
 * flags on the socket would make the kernel queue three stamps for every
 * request (an skb each on the error queue, a CQE each with io_uring), the
 * cost issue 23 item 5 forbids. So the socket option carries only the
 * reporting flags (OPT_ID, OPT_TSONLY, SOFTWARE), which stamp nothing, and
 * a sampled request carries the record flags in its own SO_TIMESTAMPING
 * cmsg (Documentation/networking/timestamping.rst, "1.3.3 Timestamp
 * options": record flags may be passed per sendmsg). Only a msghdr carries
 * a cmsg: in send and send_zc cases the sampled request goes out as
 * sendmsg_zc with the same payload, buffer and flags (counted as its case's
 * kind).
 *
 * The OPT_ID key (timestamping.rst 1.3.3, and the selftests' txtimestamp.c):
 * TCP: the offset of the request's last byte in the stream, counted from
 * the setsockopt (set before the first byte, OPT_ID_TCP where the kernel
 * has it); every request writes buf_size bytes (a short send is finished by
 * uring.c), so request n's key is (n + 1) * buf_size - 1, mod 2^32.
 * UDP: a counter from 0 at the setsockopt that counts the sends that ask
 * for a stamp (ip_append_data takes a key only then), so the k-th sampled
 * request's key is k.
 *
 * Clocks: a stamp is CLOCK_REALTIME (scm_timestamping.ts[0], the kernel's
 * ktime_get_real()); the latency records are CLOCK_MONOTONIC (zc_now_ns).
 * NTP slews both at the same rate, so their difference is constant but for
 * a step of the wall clock: it is read once at setup (a realtime read
 * between two monotonic ones, their midpoint) and every stamp is turned
 * monotonic with it. A step during a case shows as disordered stamps.
 */
#define _GNU_SOURCE
/* before linux/errqueue.h, whose struct scm_timestamping needs struct timespec */
#include <time.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Linux 6.2 uapi: the TCP key counts from write_seq, not snd_una */
#ifndef SOF_TIMESTAMPING_OPT_ID_TCP
#define SOF_TIMESTAMPING_OPT_ID_TCP (1U << 16)
#endif

static int64_t clock_offset(void)
{
	struct timespec rt;
	uint64_t m0, m1;

	m0 = zc_now_ns();
	clock_gettime(CLOCK_REALTIME, &rt);
	m1 = zc_now_ns();
	return (int64_t)((uint64_t)rt.tv_sec * NSEC_PER_SEC + (uint64_t)rt.tv_nsec) -
	       (int64_t)(m0 + (m1 - m0) / 2);
}

static struct zc_ts_rec *rec_at(struct zc_ts *ts, uint64_t s)
{
	return &ts->recs[s % ZC_TS_RING];
}

/* the width of the histogram bucket that holds v (zc_hist_bucket's) */
static uint64_t bucket_width(uint64_t v)
{
	unsigned e;

	if (v < ZC_HIST_LINEAR)
		return 1;
	e = 63U - (unsigned)__builtin_clzll(v);
	return 1ULL << (e - ZC_HIST_SUB_BITS);
}

/*
 * A request's spans into the histograms: submit, its stamps, its
 * notification, each span from one point to the next present one. It
 * must have every kind of stamp the case has been given at all: a TCP
 * request whose bytes shared an skb with a later sampled request's lost
 * its stamps to that one's key, and a stamp missing before a present one
 * leaves spans undefined; either is incomplete. A kind the device never
 * gives (the driver's, on some devices) leaves its span absent.
 */
static void time_request(struct zc_tstamp *o, const struct zc_ts_rec *r)
{
	uint64_t prev = r->submit_ns, sum = 0, total = r->notif_ns - r->submit_ns, span, end;
	unsigned i, n = 0;
	bool disorder = false;

	while (n < TS_POINTS && r->stamp[n])
		n++;
	for (i = 0; i < TS_POINTS; i++) {
		if (i < n ? !r->stamp[i] : r->stamp[i] || o->stamps[i]) {
			o->incomplete++;
			return;
		}
	}
	for (i = 0; i < n; i++) {
		if (r->stamp[i] > r->notif_ns) {
			o->early++;
			return;
		}
	}
	for (i = 0; i <= n; i++) {
		end = i < n ? r->stamp[i] : r->notif_ns;
		/* out of order: 0, and the next span starts from this point as it is */
		span = end >= prev ? end - prev : 0;
		disorder |= end < prev;
		zc_hist_add(&o->hist[i < n ? i : ZC_TS_NOTIF], span);
		sum += span;
		prev = end;
	}
	zc_hist_add(&o->hist[ZC_TS_TOTAL], total);
	o->timed++;
	o->disordered += disorder;
	if ((sum > total ? sum - total : total - sum) > bucket_width(total))
		o->mismatched++;
}

static void advance_oldest(struct zc_ts *ts)
{
	while (ts->oldest < ts->next && !rec_at(ts, ts->oldest)->open)
		ts->oldest++;
}

static void close_rec(struct zc_ts *ts, struct zc_ts_rec *r)
{
	r->open = false;
	if (r->notif_ns)
		ts->unsettled--;
	if (r->notif_ns && r->submit_ns)
		time_request(&ts->out, r);
	else
		ts->out.incomplete++;
	advance_oldest(ts);
}

static bool complete(const struct zc_ts *ts, const struct zc_ts_rec *r)
{
	unsigned i, got = 0;

	for (i = 0; i < TS_POINTS; i++)
		got += r->stamp[i] != 0;
	return r->notif_ns && got == ts->want;
}

void zc_ts_stamp(struct zc_ts *ts, uint32_t key, uint32_t type, uint64_t rt_ns)
{
	/* SCM_TSTAMP_SND is the driver's (SOFTWARE) stamp */
	static const int point[] = { [SCM_TSTAMP_SND] = TS_SOFTWARE,
				     [SCM_TSTAMP_SCHED] = TS_SCHED,
				     [SCM_TSTAMP_ACK] = TS_ACK };
	int64_t mono = (int64_t)rt_ns - ts->rt_offset;
	struct zc_ts_rec *r;
	uint64_t s;
	int p;

	if (type > SCM_TSTAMP_ACK)
		return;
	p = point[type];
	ts->out.stamps[p]++;
	for (s = ts->oldest; s < ts->next; s++) {
		r = rec_at(ts, s);
		if (!r->open || r->key != key)
			continue;
		/* a retransmitted segment is stamped again: its first trip is the request's */
		if (!r->stamp[p])
			r->stamp[p] = mono > 0 ? (uint64_t)mono : 1;
		if (complete(ts, r))
			close_rec(ts, r);
		return;
	}
	ts->out.unmatched++;
}

void zc_ts_notified(struct zc_ts *ts, uint32_t tag, uint64_t t)
{
	struct zc_ts_rec *r;
	uint64_t s;

	for (s = ts->oldest; s < ts->next; s++) {
		r = rec_at(ts, s);
		if (!r->open || r->tag != tag || r->notif_ns)
			continue;
		r->notif_ns = t;
		ts->unsettled++;
		if (complete(ts, r))
			close_rec(ts, r);
		return;
	}
}

void zc_ts_sample(struct exec *e, struct msghdr *msg, uint64_t seq, uint32_t tag)
{
	struct zc_ts *ts = &e->ts;
	uint64_t s = ts->next;
	struct zc_ts_rec *r = rec_at(ts, s);

	/* its slot's request got ZC_TS_RING sampled requests' time for its stamps */
	if (r->open)
		close_rec(ts, r);
	memset(r, 0, sizeof(*r));
	r->key = e->tcp ? (uint32_t)((seq + 1) * e->plan->buf_size - 1) : (uint32_t)s;
	r->tag = tag;
	r->open = true;
	ts->next++;
	ts->out.sampled++;
	advance_oldest(ts);
	msg->msg_control = ts->ctl.buf;
	msg->msg_controllen = ts->ctl_len;
}

void zc_ts_plain(const struct exec *e, struct msghdr *msg)
{
	msg->msg_control = e->gso_cmsg_len ? (void *)e->gso_cmsg.buf : NULL;
	msg->msg_controllen = e->gso_cmsg_len;
}

void zc_ts_submitted(struct zc_ts *ts, uint64_t t)
{
	for (; ts->unsubmitted < ts->next; ts->unsubmitted++)
		rec_at(ts, ts->unsubmitted)->submit_ns = t;
}

/* one message of the error queue: a stamp, its type and key */
int zc_ts_setup(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	struct zc_ts *ts = &e->ts;
	unsigned report = SOF_TIMESTAMPING_SOFTWARE | SOF_TIMESTAMPING_OPT_ID |
			  SOF_TIMESTAMPING_OPT_TSONLY;
	unsigned record = SOF_TIMESTAMPING_TX_SCHED | SOF_TIMESTAMPING_TX_SOFTWARE |
			  (e->tcp ? SOF_TIMESTAMPING_TX_ACK : 0);
	unsigned opt = report | (e->tcp ? SOF_TIMESTAMPING_OPT_ID_TCP : 0);
	struct cmsghdr *cm;
	int ret;

	if (!p->tstamp_every)
		return 0;
	ts->recs = calloc(ZC_TS_RING, sizeof(*ts->recs));
	if (!ts->recs)
		return zc_fail(e->res, -ENOMEM, "no memory for the timestamp records");
	/* OPT_ID_TCP (Linux 6.2): keys count from write_seq; before it, snd_una, the same here */
	ret = setsockopt(e->fds[0], SOL_SOCKET, SO_TIMESTAMPING, &opt, sizeof(opt));
	if (ret && e->tcp && errno == EINVAL)
		ret = setsockopt(e->fds[0], SOL_SOCKET, SO_TIMESTAMPING, &report, sizeof(report));
	if (ret)
		return zc_fail(e->res, -errno, "setsockopt SO_TIMESTAMPING: %s", strerror(errno));
	/* the case's UDP_SEGMENT cmsg first, then the record flags */
	if (e->gso_cmsg_len)
		memcpy(ts->ctl.buf, e->gso_cmsg.buf, e->gso_cmsg_len);
	cm = (struct cmsghdr *)(ts->ctl.buf + e->gso_cmsg_len);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SO_TIMESTAMPING;
	cm->cmsg_len = CMSG_LEN(sizeof(record));
	memcpy(CMSG_DATA(cm), &record, sizeof(record));
	ts->ctl_len = e->gso_cmsg_len + CMSG_SPACE(sizeof(record));

	ts->every = p->tstamp_every;
	ts->countdown = 1;	/* the first zerocopy request is sampled */
	ts->want = e->tcp ? 3 : 2;
	ts->rt_offset = clock_offset();
	ts->via = p->tstamp_via == ZC_TS_VIA_ERRQUEUE ? ZC_TS_VIA_ERRQUEUE : ZC_TS_VIA_URING;
	ret = zc_ts_arm_reader(e, p->tstamp_via == ZC_TS_VIA_AUTO);
	ts->out.via = ts->via;
	return ret;
}

void zc_ts_teardown(struct exec *e)
{
	free(e->ts.recs);
	e->ts.recs = NULL;
}

void zc_ts_reset(struct zc_ts *ts)
{
	uint32_t via = ts->out.via;
	uint64_t s;

	for (s = ts->oldest; s < ts->next; s++)
		rec_at(ts, s)->open = false;
	ts->oldest = ts->unsubmitted = ts->next;
	ts->unsettled = 0;
	memset(&ts->out, 0, sizeof(ts->out));
	ts->out.via = via;
}

void zc_ts_close(struct zc_ts *ts)
{
	uint64_t s;

	if (!ts->recs)
		return;
	for (s = ts->oldest; s < ts->next; s++)
		if (rec_at(ts, s)->open)
			close_rec(ts, rec_at(ts, s));
}

void zc_ts_publish(const struct zc_ts *ts, struct zc_result *res)
{
	res->tstamp = ts->out;
}

void zc_ts_total(struct zc_result *t, const struct zc_result *r)
{
	struct zc_tstamp *a = &t->tstamp;
	const struct zc_tstamp *b = &r->tstamp;
	unsigned i;

	if (b->via > a->via)
		a->via = b->via;
	a->sampled += b->sampled;
	a->timed += b->timed;
	a->incomplete += b->incomplete;
	a->unmatched += b->unmatched;
	a->disordered += b->disordered;
	a->mismatched += b->mismatched;
	a->early += b->early;
	for (i = 0; i < TS_POINTS; i++)
		a->stamps[i] += b->stamps[i];
	for (i = 0; i < ZC_TS_SPANS; i++)
		zc_hist_merge(&a->hist[i], &b->hist[i]);
}
