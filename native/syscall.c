/* SPDX-License-Identifier: MIT */
/*
 * The syscall modes, in the same batch shape as the io_uring ones:
 *  - sendto: a plain copying sendmsg() per request (with the address unless
 *    connected), what most tools do with sendto()/send();
 *  - msg_zerocopy: sendmsg(MSG_ZEROCOPY) on an SO_ZEROCOPY socket, the
 *    pre-io_uring way; each successful call takes the next zerocopy id and
 *    the kernel reports ranges of finished ids on the socket's error queue,
 *    flagging the ranges whose data it copied.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <time.h> /* before linux/errqueue.h, which needs struct timespec */
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/udp.h>
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
}

static void release_slot(struct exec *e, unsigned slot)
{
	if (e->busy[slot])
		e->busy[slot]--;
}

/* One finished range of zerocopy ids [lo, hi]. */
static void account_range(struct exec *e, uint32_t lo, uint32_t hi, bool copied)
{
	struct counters *c = &e->c;
	uint32_t n = hi - lo + 1, k;

	c->notifications += n;
	if (copied)
		c->zc_copied += n;
	for (k = 0; k < n; k++) {
		if (c->owed) {
			c->owed--;
			release_slot(e, e->id_slot[(lo + k) % ID_RING]);
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
	int n = 0;

	for (;;) {
		msg.msg_control = control;
		msg.msg_controllen = sizeof(control);
		if (recvmsg(e->fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return n;
			return zc_fail(e->res, -errno, "recvmsg MSG_ERRQUEUE: %s", strerror(errno));
		}
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
				      serr->ee_code & SO_EE_CODE_ZEROCOPY_COPIED);
		}
	}
}

/*
 * Block (in slices) until the error queue has something; returns 0, -errno,
 * or 1 when the stop flag was set meanwhile.
 */
static int wait_errqueue(struct exec *e)
{
	struct pollfd pfd = { .fd = e->fd, .events = 0 };
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

/* One successful MSG_ZEROCOPY call took the next zerocopy id, which holds the slot. */
static void took_id(struct exec *e, unsigned slot)
{
	e->busy[slot]++;
	e->id_slot[e->next_id++ % ID_RING] = slot;
	e->c.zc_requests++;
	if (++e->c.owed > e->c.max_outstanding)
		e->c.max_outstanding = e->c.owed;
}

/*
 * Send one whole payload; a stream's short write is finished here. Under
 * MSG_ZEROCOPY every call that sends something takes an id of its own, so
 * a payload split over several calls owes several notifications.
 */
static ssize_t send_one(struct exec *e, unsigned slot, int flags)
{
	const struct zc_plan *p = e->plan;
	struct iovec iov = { .iov_base = zc_slot_data(e, slot), .iov_len = p->buf_size };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = e->gso_cmsg_len ? e->gso_cmsg.buf : NULL,
			      .msg_controllen = e->gso_cmsg_len };
	bool zc = flags & MSG_ZEROCOPY;
	ssize_t ret, sent = 0;
	uint64_t deadline = 0;
	int err;

	if (!(p->flags & ZC_PLAN_CONNECT)) {
		msg.msg_name = &e->dst;
		msg.msg_namelen = e->dst_len;
	}
	for (;;) {
		ret = sendmsg(e->fd, &msg, flags);
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
			took_id(e, slot);
		/* data moved: the stall limit counts from here */
		deadline = 0;
		sent += ret;
		if (!e->tcp || (size_t)sent == p->buf_size)
			return sent;
		iov.iov_base = (char *)iov.iov_base + ret;
		iov.iov_len -= (size_t)ret;
	}
}

static int syscall_batch(struct exec *e, unsigned nr)
{
	const struct zc_plan *p = e->plan;
	bool zc = p->mode == ZC_MODE_MSG_ZEROCOPY;
	int cork = 1, ret;
	unsigned i;

	if (p->cork == ZC_CORK_UDP &&
	    setsockopt(e->fd, IPPROTO_UDP, UDP_CORK, &cork, sizeof(cork)))
		return zc_fail(e->res, -errno, "setsockopt UDP_CORK: %s", strerror(errno));
	for (i = 0; i < nr; i++) {
		unsigned slot = e->slot;
		int flags = (zc ? MSG_ZEROCOPY : 0) | (e->tcp ? MSG_NOSIGNAL : 0) |
			    (p->cork == ZC_CORK_MSG_MORE && i + 1 < nr ? MSG_MORE : 0);
		ssize_t sent;

		/* a blocked send may have taken a whole slice: do not start another */
		if (zc_stop_requested(e))
			break;
		while (zc && p->reuse == ZC_REUSE_AFTER_NOTIF && e->busy[slot]) {
			ret = wait_errqueue(e);
			if (ret) /* an error, or stopped: the loop ends either way */
				return ret < 0 ? ret : 0;
		}
		if (e->busy[slot])
			e->c.reuse_busy++;
		sent = send_one(e, slot, flags);
		/* waiting for zerocopy budget failed (recorded), or was stopped */
		if (e->res->status)
			return e->res->status;
		if (sent == -ENOBUFS && zc_stop_requested(e))
			return 0;
		zc_count_result(e, (int)sent);
		if (zc && sent >= 0)
			e->c.zc_sent++;
		if (++e->slot == p->buf_count)
			e->slot = 0;
	}
	cork = 0;
	if (p->cork == ZC_CORK_UDP &&
	    setsockopt(e->fd, IPPROTO_UDP, UDP_CORK, &cork, sizeof(cork)))
		return zc_fail(e->res, -errno, "setsockopt UDP_CORK: %s", strerror(errno));
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
