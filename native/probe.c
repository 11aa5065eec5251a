/* SPDX-License-Identifier: MIT */
/*
 * What this kernel and process can really do: IORING_REGISTER_PROBE says
 * which opcodes exist, but a feature (a ring flag, a send flag, registered
 * buffers on an op) is known only by trying it. Every try is one tiny
 * request to a UDP socket of our own on 127.0.0.1, waited for with a
 * timeout, and everything is closed again.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <time.h> /* before linux/errqueue.h, which needs struct timespec */
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#ifndef ZC_LIBURING_VERSION
#define ZC_LIBURING_VERSION "unknown"
#endif

#define PROBE_LEN 64
#define PROBE_WAIT_MS 1000

/*
 * io_uring gives a closed ring's locked memory back to the user's
 * RLIMIT_MEMLOCK budget from a kernel worker, up to some 50 ms after the
 * close: under a low limit, a try right after the previous try's ring can
 * run out of locked memory for that reason alone. Such a try is made again
 * after a pause (SETTLE_PAUSES of 10 ms at most in one probe), so what
 * it reports is whether this one small request fits under the limit, not
 * the probe's own leftovers.
 */
#define SETTLE_PAUSES 40

struct loop {
	int rx, tx;
	char payload[PROBE_LEN];
	struct iovec iov;
	struct iovec halves[2];	/* the payload as a vectored send's two iovecs */
	struct msghdr msg;
};

static int loop_open(struct loop *l)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);

	memset(l, 0, sizeof(*l)); /* msg_name, msg_control: none */
	l->rx = l->tx = -1;
	memset(l->payload, 'z', sizeof(l->payload));
	l->iov.iov_base = l->payload;
	l->iov.iov_len = sizeof(l->payload);
	l->msg.msg_iov = &l->iov;
	l->msg.msg_iovlen = 1;
	l->halves[0].iov_base = l->payload;
	l->halves[0].iov_len = PROBE_LEN / 2;
	l->halves[1].iov_base = l->payload + PROBE_LEN / 2;
	l->halves[1].iov_len = PROBE_LEN - PROBE_LEN / 2;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l->rx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (l->rx < 0 || bind(l->rx, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(l->rx, (struct sockaddr *)&sin, &len))
		return -errno;
	l->tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (l->tx < 0 || connect(l->tx, (struct sockaddr *)&sin, sizeof(sin)))
		return -errno;
	return 0;
}

static void loop_close(struct loop *l)
{
	if (l->rx >= 0)
		close(l->rx);
	if (l->tx >= 0)
		close(l->tx);
}

/* One request; for zerocopy ops also its notification. Returns 0 or -errno. */
static int send_try(struct io_uring *ring, struct loop *l, int op, uint16_t ioprio)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct __kernel_timespec ts = { .tv_nsec = PROBE_WAIT_MS * 1000000LL };
	struct io_uring_cqe *cqe;
	int ret, result = 0, owed = 1;

	switch (op) {
	case IORING_OP_SEND:
		io_uring_prep_send(sqe, l->tx, l->payload, PROBE_LEN, 0);
		break;
	case IORING_OP_SEND_ZC:
		if (ioprio & IORING_SEND_VECTORIZED)
			io_uring_prep_send_zc(sqe, l->tx, l->halves, 2, 0, 0);
		else
			io_uring_prep_send_zc(sqe, l->tx, l->payload, PROBE_LEN, 0, 0);
		break;
	default:
		io_uring_prep_sendmsg_zc(sqe, l->tx, &l->msg, 0);
		break;
	}
	sqe->ioprio |= ioprio;
	sqe->buf_index = 0;
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	while (owed) {
		ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
		if (ret)
			return ret;
		/* all of it: a kernel that ignored a flag could send something else */
		if (!(cqe->flags & IORING_CQE_F_NOTIF))
			result = cqe->res < 0 ? cqe->res : cqe->res == PROBE_LEN ? 0 : -EIO;
		/* a request completion flagged F_MORE still owes its notification */
		owed += (cqe->flags & IORING_CQE_F_MORE) ? 0 : -1;
		io_uring_cqe_seen(ring, cqe);
	}
	return result;
}

static const int send_features[] = {
	ZC_FEAT_SEND_ZC, ZC_FEAT_SENDMSG_ZC, ZC_FEAT_REPORT_USAGE, ZC_FEAT_FIXED_BUF_SEND,
	ZC_FEAT_FIXED_BUF_SEND_ZC, ZC_FEAT_FIXED_BUF_SENDMSG_ZC, ZC_FEAT_POLL_FIRST,
	ZC_FEAT_REG_RING_FD, ZC_FEAT_MSG_ZEROCOPY, ZC_FEAT_SEND_VECTORIZED, ZC_FEAT_BACKGROUND_POLL,
};

/*
 * The background poll: POLLIN armed on the receiving socket once it holds
 * nothing, still armed until a datagram arrives, and fired by it.
 */
static int poll_try(struct io_uring *ring, struct loop *l)
{
	struct __kernel_timespec ts = { .tv_nsec = PROBE_WAIT_MS * 1000000LL };
	struct io_uring_cqe *cqe;
	char got[PROBE_LEN];
	int ret;

	while (recv(l->rx, got, sizeof(got), MSG_DONTWAIT) >= 0)
		; /* the send tries' datagrams */
	io_uring_prep_poll_add(io_uring_get_sqe(ring), l->rx, POLLIN);
	ret = io_uring_submit(ring);
	if (ret != 1)
		return ret < 0 ? ret : -EIO;
	if (!io_uring_peek_cqe(ring, &cqe)) {
		ret = cqe->res < 0 ? cqe->res : -EPROTO; /* fired with nothing to read */
		io_uring_cqe_seen(ring, cqe);
		return ret;
	}
	if (send(l->tx, l->payload, PROBE_LEN, 0) != PROBE_LEN)
		return -errno;
	ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
	if (ret)
		return ret;
	ret = cqe->res < 0 ? cqe->res : (cqe->res & POLLIN) ? 0 : -EPROTO;
	io_uring_cqe_seen(ring, cqe);
	return ret;
}

/* the loopback pair or its ring could not be set up: every send try fails alike */
static void sends_failed(struct zc_probe *out, int ret)
{
	unsigned i;

	for (i = 0; i < sizeof(send_features) / sizeof(send_features[0]); i++)
		out->works[send_features[i]] = ret;
}

static void probe_sends(struct zc_probe *out, struct loop *l)
{
	struct io_uring ring;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret) {
		sends_failed(out, ret);
		return;
	}
	ret = io_uring_register_buffers(&ring, &l->iov, 1);
	if (ret) {
		sends_failed(out, ret);
		goto out;
	}
	out->works[ZC_FEAT_SEND_ZC] = send_try(&ring, l, IORING_OP_SEND_ZC, 0);
	out->works[ZC_FEAT_SENDMSG_ZC] = send_try(&ring, l, IORING_OP_SENDMSG_ZC, 0);
	out->works[ZC_FEAT_REPORT_USAGE] =
		send_try(&ring, l, IORING_OP_SEND_ZC, IORING_SEND_ZC_REPORT_USAGE);
	out->works[ZC_FEAT_FIXED_BUF_SEND] =
		send_try(&ring, l, IORING_OP_SEND, IORING_RECVSEND_FIXED_BUF);
	out->works[ZC_FEAT_FIXED_BUF_SEND_ZC] =
		send_try(&ring, l, IORING_OP_SEND_ZC, IORING_RECVSEND_FIXED_BUF);
	out->works[ZC_FEAT_FIXED_BUF_SENDMSG_ZC] =
		send_try(&ring, l, IORING_OP_SENDMSG_ZC, IORING_RECVSEND_FIXED_BUF);
	out->works[ZC_FEAT_POLL_FIRST] =
		send_try(&ring, l, IORING_OP_SEND, IORING_RECVSEND_POLL_FIRST);
	/* send (copying) took IORING_SEND_VECTORIZED in the same release */
	out->works[ZC_FEAT_SEND_VECTORIZED] =
		send_try(&ring, l, IORING_OP_SEND_ZC, IORING_SEND_VECTORIZED);
	out->works[ZC_FEAT_BACKGROUND_POLL] = poll_try(&ring, l);
	ret = io_uring_register_ring_fd(&ring);
	out->works[ZC_FEAT_REG_RING_FD] = ret < 0 ? ret : 0;
out:
	io_uring_queue_exit(&ring);
}

static int msg_zerocopy_try(struct loop *l)
{
	char control[CMSG_SPACE(sizeof(struct sock_extended_err)) + 64];
	struct msghdr msg = { .msg_control = control, .msg_controllen = sizeof(control) };
	struct pollfd pfd = { .fd = l->tx };
	int one = 1;

	if (setsockopt(l->tx, SOL_SOCKET, SO_ZEROCOPY, &one, sizeof(one)))
		return -errno;
	if (sendmsg(l->tx, &l->msg, MSG_ZEROCOPY) < 0)
		return -errno;
	if (poll(&pfd, 1, PROBE_WAIT_MS) <= 0)
		return -ETIMEDOUT;
	if (recvmsg(l->tx, &msg, MSG_ERRQUEUE) < 0)
		return -errno;
	return 0;
}

static int hugetlb_try(void)
{
	size_t len = 2UL << 20;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, len);
	return 0;
}

/* a send try that ran out of locked memory (ENOBUFS: MSG_ZEROCOPY's pinned pages) */
static bool sends_short_of_memory(const struct zc_probe *out)
{
	unsigned i;

	for (i = 0; i < sizeof(send_features) / sizeof(send_features[0]); i++)
		if (out->works[send_features[i]] == -ENOMEM ||
		    out->works[send_features[i]] == -ENOBUFS)
			return true;
	return false;
}

/* unshare() on a thread of its own, which exits with the namespace */
static void *netns_thread(void *arg)
{
	int *ret = arg, fd;

	if (unshare(CLONE_NEWNET)) {
		*ret = -errno;
		return NULL;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	*ret = fd < 0 ? -errno : 0;
	if (fd >= 0)
		close(fd);
	return NULL;
}

/*
 * UDP GSO: one datagram of two segments with a UDP_SEGMENT cmsg, which the
 * kernel must accept and deliver as two datagrams (the receiving socket has
 * no UDP_GRO, so it gets the segments one by one).
 */
static int udp_segment_try(void)
{
	union {
		char buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr align;
	} control = { 0 };
	uint16_t segment = PROBE_LEN / 2;
	struct pollfd pfd;
	struct cmsghdr *cm;
	char got[PROBE_LEN];
	struct loop l;
	int ret, i;

	ret = loop_open(&l);
	if (ret)
		goto out;
	l.msg.msg_control = control.buf;
	l.msg.msg_controllen = sizeof(control.buf);
	cm = CMSG_FIRSTHDR(&l.msg);
	cm->cmsg_level = SOL_UDP;
	cm->cmsg_type = UDP_SEGMENT;
	cm->cmsg_len = CMSG_LEN(sizeof(segment));
	memcpy(CMSG_DATA(cm), &segment, sizeof(segment));
	if (sendmsg(l.tx, &l.msg, 0) != PROBE_LEN) {
		ret = -errno;
		goto out;
	}
	for (i = 0; i < 2 && !ret; i++) {
		pfd = (struct pollfd){ .fd = l.rx, .events = POLLIN };
		if (poll(&pfd, 1, PROBE_WAIT_MS) != 1)
			ret = -ETIMEDOUT;
		else if (recv(l.rx, got, sizeof(got), MSG_DONTWAIT) != segment)
			ret = -EPROTO; /* not cut into segments */
	}
out:
	loop_close(&l);
	return ret;
}

static int netns_try(void)
{
	pthread_t t;
	int ret = -EIO, err;

	err = pthread_create(&t, NULL, netns_thread, &ret);
	if (err)
		return -err;
	pthread_join(t, NULL);
	return ret;
}

int zc_probe(struct zc_probe *out)
{
	struct io_uring_probe *probe;
	unsigned pauses = SETTLE_PAUSES;
	struct loop l;
	int ret, i;

	if (!out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	snprintf(out->liburing, sizeof(out->liburing), "%s", ZC_LIBURING_VERSION);
	probe = io_uring_get_probe();
	if (probe) {
		out->ops_last = probe->last_op + 1U;
		for (i = 0; i <= probe->last_op && i < ZC_PROBE_OPS; i++)
			out->ops[i] = (uint8_t)io_uring_opcode_supported(probe, i);
		io_uring_free_probe(probe);
	} else {
		out->probe_status = -ENOSYS;
	}

	/*
	 * first: its ring's locked memory comes back from a kernel worker some
	 * time after the close, and a case run right after the probe under a
	 * tight RLIMIT_MEMLOCK needs it back by then
	 */
	out->works[ZC_FEAT_TX_TIMESTAMP] = zc_probe_tx_timestamp();
	zc_probe_rings(out, &pauses);
	out->works[ZC_FEAT_HUGETLB] = hugetlb_try();
	out->works[ZC_FEAT_NETNS] = netns_try();
	out->works[ZC_FEAT_UDP_SEGMENT] = udp_segment_try();

	ret = loop_open(&l);
	if (ret) {
		sends_failed(out, ret);
	} else {
		/* a MSG_ZEROCOPY that worked once is not tried again after the next ring */
		ret = -ENOBUFS;
		do {
			if (ret == -ENOBUFS || ret == -ENOMEM)
				ret = msg_zerocopy_try(&l);
			probe_sends(out, &l); /* which marks every send failed if its ring does */
			out->works[ZC_FEAT_MSG_ZEROCOPY] = ret;
		} while (sends_short_of_memory(out) && zc_probe_settle(&pauses));
	}
	loop_close(&l);
	return 0;
}
