/* SPDX-License-Identifier: MIT */
/*
 * The io_uring modes (send, send_zc, sendmsg, sendmsg_zc): prepare a batch,
 * submit it, reap its completions, and keep the books on notifications:
 * every zerocopy completion flagged F_MORE owes one F_NOTIF CQE, which frees
 * its buffer slot. The flush policy decides when a slot may be reused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

/* how long to wait before re-checking the stop flag */
#define WAIT_SLICE_NS (50ULL * 1000000ULL)

/*
 * MSG_WAITALL makes the kernel finish partial stream sends; should one still
 * come back short (a signal, say), send the rest here so the stream stays
 * whole payloads back to back. The batch's later requests are linked to
 * this one, so the kernel cancelled them: nothing overtook the remainder.
 * The socket has no send timeout (io_uring modes), so this never blocks:
 * it waits in slices for room, sees the stop flag, and gives up on a peer
 * that takes nothing for ZC_STALL_NS. After a stop the short send is left
 * short (it is counted in short_sends): the case ends there anyway. A
 * vectored request's iovecs are consecutive pieces of its slot, so its rest
 * too is the slot's bytes from `off` on.
 */
static int finish_stream_send(struct exec *e, unsigned flow, unsigned slot, size_t off)
{
	const char *data = zc_slot_data(e, slot);
	struct pollfd pfd = { .fd = e->fds[flow], .events = POLLOUT };
	uint64_t deadline = zc_now_ns() + ZC_STALL_NS;
	ssize_t ret;

	while (off < e->plan->buf_size) {
		if (e->cancelled || zc_stop_requested(e))
			return 0;
		ret = send(e->fds[flow], data + off, e->plan->buf_size - off,
			   MSG_NOSIGNAL | MSG_DONTWAIT);
		if (ret > 0) {
			off += (size_t)ret;
			zc_count_bytes(e, flow, (uint64_t)ret);
			deadline = zc_now_ns() + ZC_STALL_NS;
			continue;
		}
		if (ret < 0 && errno != EAGAIN && errno != EINTR) {
			zc_count_error(e, -errno);
			return zc_fail(e->res, -errno, "send (rest of a short stream send): %s",
				       strerror(errno));
		}
		if (zc_now_ns() > deadline)
			return zc_fail(e->res, -ETIMEDOUT,
				       "the peer took nothing for %llu s (rest of a short stream send)",
				       ZC_STALL_NS / NSEC_PER_SEC);
		if (poll(&pfd, 1, ZC_SEND_SLICE_MS) < 0 && errno != EINTR)
			return zc_fail(e->res, -errno, "poll: %s", strerror(errno));
	}
	return 0;
}

/* the pass's clock read: 0 until its first timed CQE asks for it, so a pass with none reads none */
static uint64_t pass_clock(struct exec *e, uint64_t *t)
{
	if (!*t)
		*t = zc_clock(e);
	return *t;
}

/* Account one CQE of a reap pass (t: its clock read, see pass_clock); true for a completion. */
static bool account(struct exec *e, const struct io_uring_cqe *cqe, uint64_t *t)
{
	struct counters *c = &e->c;
	unsigned slot = (unsigned)(cqe->user_data & UD_SLOT_MASK);
	unsigned flow = (unsigned)(cqe->user_data >> UD_FLOW_SHIFT) & UD_FLOW_MASK;
	uint32_t tag = (uint32_t)(cqe->user_data >> UD_TAG_SHIFT);
	bool timed = cqe->user_data & UD_TIMED;
	struct zc_lat_rec *rec = timed ? zc_lat_at(e->lat_recs, tag) : NULL;
	uint32_t zc_bytes = cqe->user_data & UD_ZC ? e->plan->buf_size : 0;
	bool owes_notif;

	/* the background poll fired (or a stop cancelled it): nothing to count */
	if (cqe->user_data & (UD_CANCEL | UD_POLL | UD_TSTAMP)) {
		if (cqe->user_data & UD_TSTAMP)
			zc_ts_cqe(e, cqe);
		return false;
	}
	if (cqe->flags & IORING_CQE_F_NOTIF) {
		c->notifications++;
		if (cqe->flags & IORING_CQE_F_MORE)
			c->more_on_notif++;
		if (c->owed) {
			c->owed--;
			if (cqe->user_data & UD_TS)
				zc_ts_notified(&e->ts, tag, pass_clock(e, t));
			if (timed)
				zc_lat_notified(&c->lat, rec, tag, pass_clock(e, t), zc_bytes);
			else
				zc_lat_unpin(&c->lat, zc_bytes);
		} else {
			c->notif_unexpected++;
		}
		if (slot < e->plan->buf_count && e->busy[slot])
			e->busy[slot]--;
		if ((e->plan->flags & ZC_PLAN_REPORT_USAGE) &&
		    ((uint32_t)cqe->res & IORING_NOTIF_USAGE_ZC_COPIED))
			c->zc_copied++;
		return false;
	}
	zc_count_result(e, cqe->res, flow);
	if (cqe->res >= 0) {
		e->c.kinds[(cqe->user_data >> UD_KIND_SHIFT) & (ZC_KINDS - 1)]++;
		if (cqe->user_data & UD_ZC)
			e->c.zc_sent++;
	}
	/* finished once the CQEs are consumed: linking allows one per batch */
	if (e->tcp && cqe->res >= 0 && (uint32_t)cqe->res < e->plan->buf_size &&
	    slot < e->plan->buf_count) {
		e->short_slot = slot;
		e->short_flow = flow;
		e->short_sent = (uint32_t)cqe->res;
		e->short_pending = true;
	}
	owes_notif = (cqe->flags & IORING_CQE_F_MORE) && (cqe->user_data & UD_ZC);
	if (timed)
		zc_lat_completed(&c->lat, rec, tag, pass_clock(e, t), cqe->res >= 0, owes_notif,
				 zc_bytes);
	else if (!owes_notif)
		zc_lat_unpin(&c->lat, zc_bytes);
	if (owes_notif) {
		c->zc_requests++;
		if (++c->owed > c->max_outstanding)
			c->max_outstanding = c->owed;
		return true; /* the slot stays busy until the notification */
	}
	if (cqe->flags & IORING_CQE_F_MORE)
		c->more_on_plain++;
	if (slot < e->plan->buf_count && e->busy[slot])
		e->busy[slot]--;
	return true;
}

static void cancel_all(struct exec *e)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&e->ring);

	e->cancelled = true;
	if (!sqe)
		return;
	io_uring_prep_cancel(sqe, NULL, IORING_ASYNC_CANCEL_ANY);
	sqe->user_data = UD_CANCEL;
	io_uring_submit(&e->ring);
}

/* account every CQE that is ready */
static void reap_ready(struct exec *e, unsigned *done)
{
	struct io_uring_cqe *cqe;
	unsigned head, seen = 0;
	/* one clock read a pass at most: when the application learns of each of its CQEs */
	uint64_t now = 0;

	io_uring_for_each_cqe(&e->ring, head, cqe) {
		*done += account(e, cqe, &now);
		seen++;
	}
	io_uring_cq_advance(&e->ring, seen);
	if (e->ts.every)
		zc_ts_after_pass(e);
}

/*
 * Wait for at least one CQE, then account all that are ready. Waits in
 * slices so that the stop flag is seen within WAIT_SLICE_NS even when the
 * peer stalls: a stop then cancels what is in flight, or (give_up_on_stop,
 * when only notifications are awaited) returns 1 at once.
 */
static int reap_some(struct exec *e, unsigned *done, bool give_up_on_stop)
{
	struct __kernel_timespec ts = { .tv_nsec = WAIT_SLICE_NS };
	struct io_uring_cqe *cqe;
	uint64_t deadline = 0;
	int ret;

	/* the common case: completions are already there, no call needed */
	while (!io_uring_cq_ready(&e->ring)) {
		if (zc_stop_requested(e)) {
			/* stopped: notifications stuck behind a stalled peer stay owed */
			if (give_up_on_stop)
				return 1;
			if (!e->cancelled)
				cancel_all(e);
		}
		ret = io_uring_wait_cqe_timeout(&e->ring, &cqe, &ts);
		if (!ret)
			break;
		if (ret != -ETIME && ret != -EINTR)
			return zc_fail(e->res, ret, "io_uring_wait_cqe: %s", strerror(-ret));
		if (!deadline)
			deadline = zc_now_ns() + ZC_STALL_NS;
		else if (zc_now_ns() > deadline)
			return zc_fail(e->res, -ETIMEDOUT,
				       "no completion for %llu s (%llu notifications owed)",
				       ZC_STALL_NS / NSEC_PER_SEC, (unsigned long long)e->c.owed);
	}
	reap_ready(e, done);
	if (e->short_pending) {
		e->short_pending = false;
		ret = finish_stream_send(e, e->short_flow, e->short_slot, e->short_sent);
		/* it may have waited for room: the batch ends after that */
		zc_clock(e);
		return ret;
	}
	return 0;
}

/*
 * tx-timestamps, at the case's end: the stamps of requests already
 * notified may still be on their way (the command's CQEs and the
 * notifications are posted apart); wait for them a while.
 */
static void settle_stamps(struct exec *e)
{
	struct __kernel_timespec ts = { .tv_nsec = ZC_TS_SETTLE_NS / 10 };
	uint64_t deadline = zc_now_ns() + ZC_TS_SETTLE_NS;
	struct io_uring_cqe *cqe;
	unsigned ignored = 0;
	int ret;

	while (e->ts.unsettled && !zc_stop_requested(e) && zc_now_ns() < deadline) {
		ret = io_uring_wait_cqe_timeout(&e->ring, &cqe, &ts);
		if (ret && ret != -ETIME && ret != -EINTR)
			return;
		reap_ready(e, &ignored);
	}
}

static int uring_drain(struct exec *e)
{
	unsigned ignored = 0;
	int ret;

	while (e->c.owed) {
		ret = reap_some(e, &ignored, true);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	if (e->closing && e->ts.unsettled)
		settle_stamps(e);
	return 0;
}

static void prep_request(struct exec *e, unsigned i, bool last)
{
	const struct zc_plan *p = e->plan;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&e->ring);
	unsigned slot = e->slot;
	char *data = zc_slot_data(e, slot);
	unsigned kind = zc_next_kind(e);
	unsigned flow = zc_next_flow(e);
	int fd = e->sqe_fds[flow];
	bool zc = kind & ZC_KIND_ZC;
	int msg_flags = e->prep.msg_flags | (last ? 0 : e->prep.more_flags);
	uint32_t tag = (uint32_t)e->seq & UD_TAG_MASK;
	bool timed = zc_lat_pick(&e->c.lat, e->lat_every);
	/* tx-timestamps: a sampled request needs a msghdr for its cmsg (tstamp.c) */
	bool sample = zc && zc_ts_pick(&e->ts);
	unsigned op = kind | (sample ? ZC_KIND_MSG : 0);

	/* the iovecs (a msghdr's, or a vectored send's) were set up but for their bases */
	if (e->iovs)
		zc_iov_place(&e->iovs[(size_t)i * p->iov], p->iov, data);
	/* batch <= ring entries and every batch is reaped, so an SQE is free */
	if (!(op & ZC_KIND_MSG)) {
		/* vectored: the iovec array and its count instead of the buffer and its length */
		const void *buf = p->iov > 1 ? (void *)&e->iovs[(size_t)i * p->iov] : data;
		size_t len = p->iov > 1 ? p->iov : p->buf_size;

		if (zc)
			io_uring_prep_send_zc(sqe, fd, buf, len, msg_flags, 0);
		else
			io_uring_prep_send(sqe, fd, buf, len, msg_flags);
		if (e->prep.unconnected)
			io_uring_prep_send_set_addr(sqe, (const struct sockaddr *)&e->dst,
						    (uint16_t)e->dst_len);
		sqe->ioprio |= e->prep.vec_ioprio;
	} else {
		if (sample)
			zc_ts_sample(e, &e->msgs[i], e->seq, tag);
		else if (e->ts.every)
			zc_ts_plain(e, &e->msgs[i]);
		if (zc)
			io_uring_prep_sendmsg_zc(sqe, fd, &e->msgs[i], (unsigned)msg_flags);
		else
			io_uring_prep_sendmsg(sqe, fd, &e->msgs[i], (unsigned)msg_flags);
	}
	sqe->ioprio |= e->prep.ioprio | (zc ? e->prep.zc_ioprio : 0);
	if (kind & ZC_KIND_FIXED) {
		sqe->ioprio |= IORING_RECVSEND_FIXED_BUF;
		sqe->buf_index = (uint16_t)slot;
	}
	sqe->flags |= e->sqe_flags | (last ? 0 : e->prep.link);
	sqe->user_data = slot | ((uint64_t)flow << UD_FLOW_SHIFT) | (zc ? UD_ZC : 0) |
			 (timed ? UD_TIMED : 0) | (sample ? UD_TS : 0) |
			 ((uint64_t)kind << UD_KIND_SHIFT) | ((uint64_t)tag << UD_TAG_SHIFT);
	if (timed) {
		zc_lat_start(&e->c.lat, zc_lat_at(e->lat_recs, tag), tag, zc ? p->buf_size : 0);
		if (e->timed_first == UINT64_MAX)
			e->timed_first = e->seq;
	} else {
		zc_lat_pin(&e->c.lat, zc ? p->buf_size : 0);
	}

	if (e->busy[slot])
		e->c.reuse_busy++;
	e->busy[slot]++;
	e->seq++;
	if (++e->slot == p->buf_count)
		e->slot = 0;
}

/* cork has one flow (the launcher refuses more): a batch's requests share its socket */
static int set_cork(struct exec *e, int on)
{
	if (setsockopt(e->fds[0], IPPROTO_UDP, UDP_CORK, &on, sizeof(on)))
		return zc_fail(e->res, -errno, "setsockopt UDP_CORK %d: %s", on, strerror(errno));
	return 0;
}

/*
 * The kernel stops a submission at a request it refuses before issuing it,
 * and posts that request's error as its completion: that errno, or -EIO
 * when none is there (ENOMEM is zerocopy from plain buffers, whose pages
 * each request pins against RLIMIT_MEMLOCK).
 */
static int refused_errno(struct exec *e)
{
	struct io_uring_cqe *cqe;
	unsigned head;

	io_uring_for_each_cqe(&e->ring, head, cqe) {
		if (cqe->res < 0 && !(cqe->flags & IORING_CQE_F_NOTIF) &&
		    !(cqe->user_data & (UD_CANCEL | UD_POLL)))
			return cqe->res;
	}
	return -EIO;
}

static int short_submit(struct exec *e, const char *what, unsigned left, unsigned nr)
{
	int err = refused_errno(e);

	if (err == -EIO)
		return zc_fail(e->res, err, "%s left %u of %u requests unsubmitted", what, left, nr);
	return zc_fail(e->res, err, "%s left %u of %u requests unsubmitted, refusing one with %s",
		       what, left, nr, strerror(-err));
}

/*
 * One call submits the batch and waits for its completions, but only for a
 * wait slice: a stalled peer must not keep the thread from the stop flag
 * and the stall limit, which the reap loop that follows applies.
 */
static int submit_and_wait(struct exec *e, unsigned nr)
{
	struct __kernel_timespec ts = { .tv_nsec = WAIT_SLICE_NS };
	struct io_uring_cqe *cqe;
	int ret;

	ret = io_uring_submit_and_wait_timeout(&e->ring, &cqe, nr, &ts, NULL);
	if (ret < 0 && ret != -ETIME && ret != -EINTR)
		return zc_fail(e->res, ret, "io_uring_submit_and_wait: %s", strerror(-ret));
	/* it reports no count: what it did not submit is still in the SQ ring */
	if (!(e->plan->ring_flags & ZC_RING_SQPOLL) && io_uring_sq_ready(&e->ring))
		return short_submit(e, "io_uring_submit_and_wait", io_uring_sq_ready(&e->ring), nr);
	return 0;
}

static int uring_batch(struct exec *e, unsigned nr)
{
	const struct zc_plan *p = e->plan;
	unsigned i, done = 0, extra = 0;
	int ret;

	if (p->cork == ZC_CORK_UDP && (ret = set_cork(e, 1)))
		return ret;
	e->timed_first = UINT64_MAX;
	/* tx-timestamps: the reader's multishot request, armed again if it ended */
	if (e->ts.every)
		extra = zc_ts_rearm(e);
	for (i = 0; i < nr; i++) {
		/* after_notification: a slot goes back only once the kernel let it go */
		while (p->reuse == ZC_REUSE_AFTER_NOTIF && e->busy[e->slot]) {
			ret = reap_some(e, &done, true);
			if (ret) /* an error, or stopped: the loop ends either way */
				return ret < 0 ? ret : 0;
		}
		prep_request(e, i, i + 1 == nr);
	}
	/*
	 * One clock read a batch that is timed, paced or stamped: all its
	 * requests enter the kernel in one io_uring_enter.
	 */
	if (e->timed_first != UINT64_MAX || e->due_ns || e->ts.every) {
		uint64_t t = zc_clock(e);

		if (e->timed_first != UINT64_MAX)
			zc_lat_submitted(e->lat_recs, e->timed_first, e->seq, e->lat_every, t,
					 e->due_ns);
		/* how late the batch started counts for each of its requests, timed or not */
		if (e->due_ns)
			zc_hist_add_n(&e->c.lat.hist[ZC_LAT_LATENESS], zc_past(t, e->due_ns), nr);
		if (e->ts.every)
			zc_ts_submitted(&e->ts, t);
	}
	if (p->flags & ZC_PLAN_SUBMIT_AND_WAIT) {
		ret = submit_and_wait(e, nr);
		if (ret)
			return ret;
	} else {
		ret = io_uring_submit(&e->ring);
		if (ret < 0)
			return zc_fail(e->res, ret, "io_uring_submit: %s", strerror(-ret));
		/*
		 * With SQPOLL the count is the SQ ring's tail minus the head the SQ
		 * thread last published, which can still include the previous batch
		 * (its completions may be posted before the head moves): not ours.
		 */
		if (!(e->plan->ring_flags & ZC_RING_SQPOLL) && (unsigned)ret != nr + extra)
			return short_submit(e, "io_uring_submit", nr + extra - (unsigned)ret, nr + extra);
	}

	while (done < nr) {
		ret = reap_some(e, &done, false);
		if (ret)
			return ret;
	}
	if (p->cork == ZC_CORK_UDP && (ret = set_cork(e, 0)))
		return ret;
	if (p->reuse == ZC_REUSE_AFTER_BATCH)
		return uring_drain(e);
	return 0;
}

const struct mode_ops zc_uring_ops = {
	.setup = zc_uring_setup,
	.batch = uring_batch,
	.drain = uring_drain,
	.teardown = zc_uring_teardown,
};
