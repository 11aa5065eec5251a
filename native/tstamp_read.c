/* SPDX-License-Identifier: MIT */
/*
 * tx-timestamps (tstamp.h): the stamps' way back. io_uring: a multishot
 * IORING_OP_URING_CMD SOCKET_URING_OP_TX_TIMESTAMP (Linux 6.17,
 * io_uring/cmd_net.c) posts a 32-byte CQE per stamp: res the OPT_ID key,
 * flags >> IORING_TIMESTAMP_TYPE_SHIFT the type, the second half the time;
 * it takes only payload-less stamps (OPT_TSONLY). Error queue: a multishot
 * POLLERR poll, and recvmsg(MSG_ERRQUEUE) until it is empty when it fires.
 * Either request is armed again with the next batch should it end.
 */
#define _GNU_SOURCE
/* before linux/errqueue.h, whose struct scm_timestamping needs struct timespec */
#include <time.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/net_tstamp.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>

#include "internal.h"

/* Linux 6.17 uapi; Debian's liburing 2.3 and its headers predate them */
#ifndef SOCKET_URING_OP_TX_TIMESTAMP
#define SOCKET_URING_OP_TX_TIMESTAMP 4
#endif
#define TS_TYPE_SHIFT 17	/* IORING_TIMESTAMP_TYPE_SHIFT */

/* a big CQE's second half: the stamp (struct io_timespec) */
struct ts_time {
	uint64_t tv_sec;
	uint64_t tv_nsec;
};

static void errqueue_message(struct zc_ts *ts, struct msghdr *msg)
{
	const struct sock_extended_err *serr = NULL;
	const struct scm_timestamping *tss = NULL;
	struct cmsghdr *cm;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_TIMESTAMPING)
			tss = (const void *)CMSG_DATA(cm);
		else if ((cm->cmsg_level == SOL_IP && cm->cmsg_type == IP_RECVERR) ||
			 (cm->cmsg_level == SOL_IPV6 && cm->cmsg_type == IPV6_RECVERR))
			serr = (const void *)CMSG_DATA(cm);
	}
	if (!tss || !serr || serr->ee_errno != ENOMSG ||
	    serr->ee_origin != SO_EE_ORIGIN_TIMESTAMPING)
		return;
	zc_ts_stamp(ts, serr->ee_data, serr->ee_info,
		    (uint64_t)tss->ts[0].tv_sec * NSEC_PER_SEC + (uint64_t)tss->ts[0].tv_nsec);
}

/* everything on the error queue now (OPT_TSONLY: no payload, control only) */
static void read_errqueue(struct exec *e)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct scm_timestamping)) +
			 CMSG_SPACE(sizeof(struct sock_extended_err) + sizeof(struct sockaddr_in6))];
		struct cmsghdr align;
	} ctl;
	struct msghdr msg;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_control = ctl.buf;
		msg.msg_controllen = sizeof(ctl.buf);
		if (recvmsg(e->fds[0], &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
			return;
		errqueue_message(&e->ts, &msg);
	}
}

void zc_ts_cqe(struct exec *e, const struct io_uring_cqe *cqe)
{
	struct zc_ts *ts = &e->ts;
	const struct ts_time *tt;

	if (ts->via == ZC_TS_VIA_URING && (cqe->flags & IORING_CQE_F_MORE)) {
		/* res: the key; flags: the type; the CQE's second half: the time */
		tt = (const void *)(cqe + 1);
		zc_ts_stamp(ts, (uint32_t)cqe->res, cqe->flags >> TS_TYPE_SHIFT,
			    tt->tv_sec * NSEC_PER_SEC + tt->tv_nsec);
		return;
	}
	if (ts->via == ZC_TS_VIA_ERRQUEUE && cqe->res > 0)
		ts->read_errqueue = true;
	if (cqe->flags & IORING_CQE_F_MORE)
		return;
	/* a multishot request ended: armed again unless the case is stopping or it failed for good */
	ts->rearm = !e->cancelled && (cqe->res >= 0 || cqe->res == -ENOBUFS ||
				      cqe->res == -EOVERFLOW || cqe->res == -EAGAIN);
}

void zc_ts_after_pass(struct exec *e)
{
	if (!e->ts.read_errqueue)
		return;
	e->ts.read_errqueue = false;
	read_errqueue(e);
}

static bool arm(struct exec *e)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&e->ring);

	if (!sqe)
		return false;
	if (e->ts.via == ZC_TS_VIA_URING) {
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, e->sqe_fds[0], NULL, 0, 0);
		sqe->cmd_op = SOCKET_URING_OP_TX_TIMESTAMP;
	} else {
		io_uring_prep_poll_multishot(sqe, e->sqe_fds[0], POLLERR);
	}
	sqe->flags |= e->sqe_flags & IOSQE_FIXED_FILE;
	sqe->user_data = UD_TSTAMP;
	e->ts.rearm = false;
	return true;
}

unsigned zc_ts_rearm(struct exec *e)
{
	return e->ts.rearm && arm(e) ? 1 : 0;
}

/*
 * Auto: the command fails at once (EOPNOTSUPP, EINVAL) on a kernel before
 * 6.17; a working one waits for stamps and posts nothing yet.
 */
int zc_ts_arm_reader(struct exec *e, bool fallback)
{
	struct __kernel_timespec wait = { .tv_nsec = 5000000 };
	struct io_uring_cqe *cqe;
	int ret;

	if (!arm(e))
		return zc_fail(e->res, -EBUSY, "no SQE for the timestamp reader");
	ret = io_uring_submit(&e->ring);
	if (ret < 0)
		return zc_fail(e->res, ret, "submit of the timestamp reader: %s", strerror(-ret));
	if (e->ts.via != ZC_TS_VIA_URING)
		return 0;
	ret = io_uring_wait_cqe_timeout(&e->ring, &cqe, &wait);
	if (ret || cqe->user_data != UD_TSTAMP || (cqe->flags & IORING_CQE_F_MORE))
		return 0;
	ret = cqe->res;
	io_uring_cqe_seen(&e->ring, cqe);
	if (fallback && (ret == -EOPNOTSUPP || ret == -EINVAL)) {
		e->ts.via = ZC_TS_VIA_ERRQUEUE;
		return zc_ts_arm_reader(e, false);
	}
	return zc_fail(e->res, ret < 0 ? ret : -EIO,
		       "SOCKET_URING_OP_TX_TIMESTAMP: %s (timestamps.via: io_uring needs Linux 6.17+)",
		       strerror(ret < 0 ? -ret : EIO));
}
