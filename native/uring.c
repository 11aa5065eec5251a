/* SPDX-License-Identifier: MIT */
/*
 * The io_uring modes (send, send_zc, sendmsg, sendmsg_zc): prepare a batch,
 * submit it, then reap its completions (uring_reap.c). The flush policy
 * decides when a slot may be reused: after_notification waits for a slot's
 * notification before it sends from it again, after_batch for the batch's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

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

	if (p->cork == ZC_CORK_UDP && (ret = zc_set_cork(e, 1)))
		return ret;
	e->timed_first = UINT64_MAX;
	/* tx-timestamps: the reader's multishot request, armed again if it ended */
	if (e->ts.every)
		extra = zc_ts_rearm(e);
	for (i = 0; i < nr; i++) {
		/* after_notification: a slot goes back only once the kernel let it go */
		while (p->reuse == ZC_REUSE_AFTER_NOTIF && e->busy[e->slot]) {
			ret = zc_uring_reap(e, &done, true);
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
		ret = zc_uring_reap(e, &done, false);
		if (ret)
			return ret;
	}
	if (p->cork == ZC_CORK_UDP && (ret = zc_set_cork(e, 0)))
		return ret;
	if (p->reuse == ZC_REUSE_AFTER_BATCH)
		return zc_uring_drain(e);
	return 0;
}

const struct mode_ops zc_uring_ops = {
	.setup = zc_uring_setup,
	.batch = uring_batch,
	.drain = zc_uring_drain,
	.teardown = zc_uring_teardown,
};
