/* SPDX-License-Identifier: MIT */
/*
 * The syscall modes, in the same batch shape as the io_uring ones:
 *  - sendto: a plain copying sendmsg() per request (with the address unless
 *    connected), what most tools do with sendto()/send();
 *  - msg_zerocopy: sendmsg(MSG_ZEROCOPY) on an SO_ZEROCOPY socket, the
 *    pre-io_uring way; each successful call takes the next zerocopy id and
 *    the kernel reports ranges of finished ids on the socket's error queue,
 *    flagging the ranges whose data it copied. Its ids and error queue are
 *    a socket's, so it keeps to one flow (the launcher refuses more); sendto
 *    spreads its requests over the flows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h> /* before linux/errqueue.h, which needs struct timespec */
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* zerocopy ids remembered for their slot; the kernel's optmem limit keeps far fewer in flight */
#define ID_RING 65536U
#define POLL_SLICE_MS 50

static int syscall_setup(struct exec *e)
{
	/* the lengths of a request's iovecs, which send_one copies and places */
	e->iovs = zc_iov_alloc(e->plan, 1);
	if (!e->iovs)
		return zc_fail(e->res, -ENOMEM, "no memory for %u iovecs", e->plan->iov);
	if (e->plan->mode != ZC_MODE_MSG_ZEROCOPY)
		return 0;
	e->id_slot = calloc(ID_RING, sizeof(*e->id_slot));
	if (!e->id_slot)
		return zc_fail(e->res, -ENOMEM, "no memory for the zerocopy id ring");
	return 0;
}

static void syscall_teardown(struct exec *e)
{
	free(e->id_slot);
	e->id_slot = NULL;
	free(e->iovs);
	e->iovs = NULL;
}

static void release_slot(struct exec *e, unsigned slot)
{
	if (e->busy[slot])
		e->busy[slot]--;
}

/*
 * One finished range of zerocopy ids [lo, hi]; *t is the pass's clock read,
 * 0 until its first timed id asks for it. An untimed id's record (submit_ns
 * 0) still says the bytes it pinned.
 */
static void account_range(struct exec *e, uint32_t lo, uint32_t hi, bool copied, uint64_t *t)
{
	struct counters *c = &e->c;
	uint32_t n = hi - lo + 1, k;
	struct zc_lat_rec *rec;

	c->notifications += n;
	if (copied)
		c->zc_copied += n;
	for (k = 0; k < n; k++) {
		if (c->owed) {
			c->owed--;
			release_slot(e, e->id_slot[(lo + k) % ID_RING]);
			rec = zc_lat_at(e->lat_recs, lo + k);
			if (rec->tag == lo + k && !rec->submit_ns) {
				zc_lat_unpin(&c->lat, rec->bytes);
				continue;
			}
			if (!*t)
				*t = zc_clock(e);
			zc_lat_notified(&c->lat, rec, lo + k, *t, e->plan->buf_size);
		} else {
			c->notif_unexpected++;
		}
	}
}

/* Read every completion queued on the error queue now; returns how many messages. */
static int read_errqueue(struct exec *e)
{
	char control[CMSG_SPACE(sizeof(struct sock_extended_err)) + 64];
	struct msghdr msg = { 0 };
	struct cmsghdr *cm;
	uint64_t t = 0;
	int n = 0;

	for (;;) {
		msg.msg_control = control;
		msg.msg_controllen = sizeof(control);
		if (recvmsg(e->fds[0], &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return n;
			return zc_fail(e->res, -errno, "recvmsg MSG_ERRQUEUE: %s", strerror(errno));
		}
		/* one clock read a pass at most (account_range): every id it reads is seen then */
		n++;
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			const struct sock_extended_err *serr;

			if (!((cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR) ||
			      (cm->cmsg_level == SOL_IPV6 && cm->cmsg_type == IPV6_RECVERR)))
				continue;
			serr = (const struct sock_extended_err *)CMSG_DATA(cm);
			/* without IP_RECVERR only zerocopy reports queue here */
			if (serr->ee_origin != SO_EE_ORIGIN_ZEROCOPY || serr->ee_errno) {
				e->c.notif_unexpected++;
				continue;
			}
			account_range(e, serr->ee_info, serr->ee_data,
				      serr->ee_code & SO_EE_CODE_ZEROCOPY_COPIED, &t);
		}
	}
}

/*
 * Block (in slices) until the error queue has something; returns 0, -errno,
 * or 1 when the stop flag was set meanwhile.
 */
static int wait_errqueue(struct exec *e)
{
	struct pollfd pfd = { .fd = e->fds[0], .events = 0 };
	uint64_t deadline = zc_now_ns() + ZC_STALL_NS;
	int ret;

	for (;;) {
		ret = read_errqueue(e);
		if (ret)
			return ret < 0 ? ret : 0;
		/* POLLERR is reported whatever events asks for */
		if (poll(&pfd, 1, POLL_SLICE_MS) < 0 && errno != EINTR)
			return zc_fail(e->res, -errno, "poll: %s", strerror(errno));
		/* stopped: completions stuck behind a stalled peer stay owed */
		if (zc_stop_requested(e))
			return 1;
		if (zc_now_ns() > deadline)
			return zc_fail(e->res, -ETIMEDOUT,
				       "no zerocopy completion for %llu s (%llu owed)",
				       ZC_STALL_NS / NSEC_PER_SEC, (unsigned long long)e->c.owed);
	}
}

static int syscall_drain(struct exec *e)
{
	int ret;

	if (e->plan->mode != ZC_MODE_MSG_ZEROCOPY)
		return 0;
	while (e->c.owed) {
		ret = wait_errqueue(e);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	return 0;
}

/*
 * One successful MSG_ZEROCOPY call of `bytes`, of a request sent from t0
 * (0: an untimed request), took the next zerocopy id, which holds the
 * slot. Its completion time is the request's return (complete_ids); t0
 * stands in until then, should a stream's later call wait for zerocopy
 * budget and see this id notified.
 */
static void took_id(struct exec *e, unsigned slot, uint32_t bytes, uint64_t t0)
{
	struct zc_lat_rec *rec = zc_lat_at(e->lat_recs, e->next_id);

	e->busy[slot]++;
	zc_lat_start(&e->c.lat, rec, e->next_id, bytes);
	rec->submit_ns = rec->complete_ns = t0;
	rec->intended_ns = e->due_ns;
	e->id_slot[e->next_id++ % ID_RING] = slot;
	e->c.zc_requests++;
	if (++e->c.owed > e->c.max_outstanding)
		e->c.max_outstanding = e->c.owed;
}

/* past the n bytes a short stream write took: drop the pieces it finished, trim the next */
static void iov_advance(struct msghdr *msg, size_t n)
{
	while (n >= msg->msg_iov->iov_len) {
		n -= msg->msg_iov->iov_len;
		msg->msg_iov++;
		msg->msg_iovlen--;
	}
	msg->msg_iov->iov_base = (char *)msg->msg_iov->iov_base + n;
	msg->msg_iov->iov_len -= n;
}

/*
 * Send one whole payload (t0: its start, 0 when it is not timed); a
 * stream's short write is finished here. Under
 * MSG_ZEROCOPY every call that sends something takes an id of its own, so
 * a payload split over several calls owes several notifications.
 */
static ssize_t send_one(struct exec *e, unsigned flow, unsigned slot, int flags, uint64_t t0)
{
	const struct zc_plan *p = e->plan;
	/* a copy: a short write trims it, the lengths set up stay whole */
	struct iovec iov[ZC_IOV_MAX];
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = p->iov,
			      .msg_control = e->gso_cmsg_len ? e->gso_cmsg.buf : NULL,
			      .msg_controllen = e->gso_cmsg_len };
	bool zc = flags & MSG_ZEROCOPY;
	ssize_t ret, sent = 0;
	uint64_t deadline = 0;
	int err;

	memcpy(iov, e->iovs, p->iov * sizeof(*iov));
	zc_iov_place(iov, p->iov, zc_slot_data(e, slot));
	if (!(p->flags & ZC_PLAN_CONNECT)) {
		msg.msg_name = &e->dst;
		msg.msg_namelen = e->dst_len;
	}
	for (;;) {
		ret = sendmsg(e->fds[flow], &msg, flags);
		err = ret < 0 ? errno : 0;
		if (err == EINTR)
			continue;
		/* the zerocopy budget (optmem) is spent: reap completions, try again */
		if (zc && err == ENOBUFS && e->c.owed) {
			ret = wait_errqueue(e);
			if (!ret)
				continue;
			/* an error, or stopped: give up on the payload */
			return sent ? sent : ret < 0 ? ret : -ENOBUFS;
		}
		/* SO_SNDTIMEO's slice ran out: a full socket, or a stalled peer */
		if (err == EAGAIN && !zc_stop_requested(e)) {
			if (!deadline)
				deadline = zc_now_ns() + ZC_STALL_NS;
			if (zc_now_ns() < deadline)
				continue;
		}
		if (err)
			return sent ? sent : -err;
		if (zc)
			took_id(e, slot, (uint32_t)ret, t0);
		/* data moved: the stall limit counts from here */
		deadline = 0;
		sent += ret;
		if (!e->tcp || (size_t)sent == p->buf_size)
			return sent;
		iov_advance(&msg, (size_t)ret);
	}
}

/* The ids a request's calls took, from `first` on: the request returned at t. */
static void complete_ids(struct exec *e, uint32_t first, uint64_t t)
{
	uint32_t id;

	for (id = first; id != e->next_id; id++)
		zc_lat_at(e->lat_recs, id)->complete_ns = t;
}

static int syscall_batch(struct exec *e, unsigned nr)
{
	const struct zc_plan *p = e->plan;
	bool zc = p->mode == ZC_MODE_MSG_ZEROCOPY;
	bool full = e->lat_every == 1;
	int ret;
	unsigned i;
	uint64_t t0 = 0, t;
	uint32_t first;

	if (p->cork == ZC_CORK_UDP && (ret = zc_set_cork(e, 1)))
		return ret;
	/*
	 * Timing every call, one clock read a call: a call's return is the next
	 * one's start (what runs between them is a few counters), so it times
	 * both ends. Timing one in N, two reads for each timed call, none else.
	 */
	if (full)
		t0 = zc_clock(e);
	for (i = 0; i < nr; i++) {
		unsigned slot = e->slot;
		unsigned flow = zc_next_flow(e);
		int flags = (zc ? MSG_ZEROCOPY : 0) | (e->tcp ? MSG_NOSIGNAL : 0) |
			    (p->cork == ZC_CORK_MSG_MORE && i + 1 < nr ? MSG_MORE : 0);
		bool timed = zc_lat_pick(&e->c.lat, e->lat_every);
		ssize_t sent;

		/* a blocked send may have taken a whole slice: do not start another */
		if (zc_stop_requested(e))
			break;
		if (zc && p->reuse == ZC_REUSE_AFTER_NOTIF && e->busy[slot]) {
			while (e->busy[slot]) {
				ret = wait_errqueue(e);
				if (ret) /* an error, or stopped: the loop ends either way */
					return ret < 0 ? ret : 0;
			}
			/* the wait for the slot is no part of the request's time */
			if (full)
				t0 = zc_clock(e);
		}
		if (e->busy[slot])
			e->c.reuse_busy++;
		/* paced: the batch was due at due_ns, each of its calls starts that late */
		if ((timed || e->due_ns) && !full)
			t0 = zc_clock(e);
		if (e->due_ns)
			zc_hist_add(&e->c.lat.hist[ZC_LAT_LATENESS], zc_past(t0, e->due_ns));
		first = e->next_id;
		sent = send_one(e, flow, slot, flags, timed ? t0 : 0);
		t = timed ? zc_clock(e) : 0;
		/* waiting for zerocopy budget failed (recorded), or was stopped */
		if (e->res->status)
			return e->res->status;
		if (sent == -ENOBUFS && zc_stop_requested(e))
			return 0;
		zc_count_result(e, (int)sent, flow);
		if (timed && sent >= 0) {
			zc_hist_add(&e->c.lat.hist[ZC_LAT_COMPLETION], t - t0);
			if (e->due_ns)
				zc_hist_add(&e->c.lat.hist[ZC_LAT_INTENDED_COMPLETION],
					    zc_past(t, e->due_ns));
		}
		if (timed && zc)
			complete_ids(e, first, t);
		t0 = t;
		if (zc && sent >= 0)
			e->c.zc_sent++;
		if (++e->slot == p->buf_count)
			e->slot = 0;
	}
	if (p->cork == ZC_CORK_UDP && (ret = zc_set_cork(e, 0)))
		return ret;
	if (!zc)
		return 0;
	if (p->reuse == ZC_REUSE_AFTER_BATCH)
		return syscall_drain(e);
	/* immediate: collect what has finished without waiting */
	ret = read_errqueue(e);
	return ret < 0 ? ret : 0;
}

const struct mode_ops zc_syscall_ops = {
	.setup = syscall_setup,
	.batch = syscall_batch,
	.drain = syscall_drain,
	.teardown = syscall_teardown,
};
