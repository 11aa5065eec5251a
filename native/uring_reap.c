/* SPDX-License-Identifier: MIT */
/*
 * The io_uring modes' completion side: reap CQEs and keep the books on
 * notifications (every zerocopy completion flagged F_MORE owes one F_NOTIF
 * CQE, which frees its buffer slot), finish a short stream send, and wait
 * in slices so the stop flag and the stall limit are seen. uring.c, the
 * submission side, calls zc_uring_reap and zc_uring_drain.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

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
int zc_uring_reap(struct exec *e, unsigned *done, bool give_up_on_stop)
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

int zc_uring_drain(struct exec *e)
{
	unsigned ignored = 0;
	int ret;

	while (e->c.owed) {
		ret = zc_uring_reap(e, &ignored, true);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	if (e->closing && e->ts.unsettled)
		settle_stamps(e);
	return 0;
}
