/* SPDX-License-Identifier: MIT */
/*
 * The send loop of the cover letter's benchmark: prepare a batch of
 * requests, submit them, wait for their completions, repeat until the
 * measured window ends. Nothing here allocates per request.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

/* how long the notifications still owed at a phase's end may take */
#define DRAIN_TIMEOUT_NS (5ULL * 1000000000ULL)

struct counters {
	uint64_t requests, bytes, completions, notifications, errors, short_sends;
	uint64_t pending_notifs; /* F_MORE completions whose NOTIF is owed */
	int32_t first_error;
};

struct exec {
	const struct zc_plan *plan;
	struct zc_result *res;
	struct io_uring ring;
	bool ring_ready;
	int fd;
	int sqe_fd;		/* fd as the SQE names it: 0 when registered */
	uint8_t sqe_flags;
	char *buf;
	size_t buf_len;
	unsigned slot;
	struct counters c;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000ULL + (uint64_t)tv->tv_usec * 1000ULL;
}

static int setup_buffers(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t i;

	e->buf_len = ((size_t)p->buf_size * p->buf_count + page - 1) & ~(page - 1);
	e->buf = mmap(NULL, e->buf_len, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (e->buf == MAP_FAILED) {
		e->buf = NULL;
		return zc_fail(e->res, -errno, "mmap %zu bytes of buffers: %s",
			       e->buf_len, strerror(errno));
	}
	/* the same pattern as the liburing example, so receivers can check it */
	for (i = 0; i < e->buf_len; i++)
		e->buf[i] = (char)('a' + i % 26);
	return 0;
}

static int setup_socket(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	struct sockaddr_storage ss = { 0 };
	socklen_t alen;
	int sndbuf = (int)p->sndbuf;

	if (p->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(p->dst_port);
		memcpy(&sin->sin_addr, p->dst_addr, 4);
		alen = sizeof(*sin);
	} else if (p->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(p->dst_port);
		memcpy(&sin6->sin6_addr, p->dst_addr, 16);
		alen = sizeof(*sin6);
	} else {
		return zc_fail(e->res, -EAFNOSUPPORT, "unknown address family %u",
			       p->family);
	}

	e->fd = socket((int)p->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (e->fd < 0)
		return zc_fail(e->res, -errno, "socket: %s", strerror(errno));
	if (sndbuf && setsockopt(e->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)))
		return zc_fail(e->res, -errno, "setsockopt SO_SNDBUF %d: %s",
			       sndbuf, strerror(errno));
	if (connect(e->fd, (struct sockaddr *)&ss, alen))
		return zc_fail(e->res, -errno, "connect: %s", strerror(errno));
	e->sqe_fd = e->fd;
	return 0;
}

static unsigned setup_flags(uint32_t ring_flags)
{
	unsigned f = 0;

	if (ring_flags & ZC_RING_COOP_TASKRUN)
		f |= IORING_SETUP_COOP_TASKRUN;
	if (ring_flags & ZC_RING_SINGLE_ISSUER)
		f |= IORING_SETUP_SINGLE_ISSUER;
	if (ring_flags & ZC_RING_DEFER_TASKRUN)
		f |= IORING_SETUP_DEFER_TASKRUN;
	return f;
}

static int setup_ring(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	int ret;

	ret = io_uring_queue_init(p->ring_entries, &e->ring, setup_flags(p->ring_flags));
	if (ret)
		return zc_fail(e->res, ret, "io_uring_queue_init(%u entries, ring flags 0x%x): %s",
			       p->ring_entries, p->ring_flags, strerror(-ret));
	e->ring_ready = true;

	if (p->flags & ZC_PLAN_FIXED_FILES) {
		ret = io_uring_register_files(&e->ring, &e->fd, 1);
		if (ret)
			return zc_fail(e->res, ret, "io_uring_register_files: %s",
				       strerror(-ret));
		e->sqe_fd = 0;
		e->sqe_flags |= IOSQE_FIXED_FILE;
	}
	if (p->flags & ZC_PLAN_REG_RING_FD) {
		ret = io_uring_register_ring_fd(&e->ring);
		if (ret < 0)
			return zc_fail(e->res, ret, "io_uring_register_ring_fd: %s",
				       strerror(-ret));
	}
	if (p->flags & ZC_PLAN_FIXED_BUF) {
		struct iovec *iov = calloc(p->buf_count, sizeof(*iov));
		unsigned i;

		if (!iov)
			return zc_fail(e->res, -ENOMEM, "no memory for %u iovecs", p->buf_count);
		for (i = 0; i < p->buf_count; i++) {
			iov[i].iov_base = e->buf + (size_t)i * p->buf_size;
			iov[i].iov_len = p->buf_size;
		}
		ret = io_uring_register_buffers(&e->ring, iov, p->buf_count);
		free(iov);
		if (ret == -ENOMEM)
			return zc_fail(e->res, ret,
				       "io_uring_register_buffers: out of locked memory (RLIMIT_MEMLOCK); raise it with `ulimit -l`");
		if (ret)
			return zc_fail(e->res, ret, "io_uring_register_buffers: %s",
				       strerror(-ret));
	}
	return 0;
}

static void prep_request(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&e->ring);
	char *data = e->buf + (size_t)e->slot * p->buf_size;

	/* batch <= ring entries and every batch is reaped, so an SQE is free */
	if (p->mode == ZC_MODE_SEND_ZC) {
		io_uring_prep_send_zc(sqe, e->sqe_fd, data, p->buf_size, 0, 0);
		if (p->flags & ZC_PLAN_FIXED_BUF) {
			sqe->ioprio |= IORING_RECVSEND_FIXED_BUF;
			sqe->buf_index = (uint16_t)e->slot;
		}
	} else {
		io_uring_prep_send(sqe, e->sqe_fd, data, p->buf_size, 0);
	}
	sqe->flags |= e->sqe_flags;
	sqe->user_data = e->slot;
	if (++e->slot == p->buf_count)
		e->slot = 0;
}

/* Account one CQE; returns true for a request completion. */
static bool account(struct exec *e, const struct io_uring_cqe *cqe)
{
	struct counters *c = &e->c;

	if (cqe->flags & IORING_CQE_F_NOTIF) {
		c->notifications++;
		if (c->pending_notifs)
			c->pending_notifs--;
		return false;
	}
	c->completions++;
	if (cqe->flags & IORING_CQE_F_MORE)
		c->pending_notifs++;
	if (cqe->res < 0) {
		c->errors++;
		if (!c->first_error)
			c->first_error = cqe->res;
	} else {
		c->requests++;
		c->bytes += (uint64_t)cqe->res;
		if ((uint32_t)cqe->res < e->plan->buf_size)
			c->short_sends++;
	}
	return true;
}

static int run_batch(struct exec *e, unsigned nr)
{
	struct io_uring_cqe *cqe;
	unsigned i, head, seen, done = 0;
	int ret;

	for (i = 0; i < nr; i++)
		prep_request(e);
	ret = io_uring_submit(&e->ring);
	if (ret < 0)
		return zc_fail(e->res, ret, "io_uring_submit: %s", strerror(-ret));
	if ((unsigned)ret != nr)
		return zc_fail(e->res, -EIO, "io_uring_submit took %d of %u requests",
			       ret, nr);

	while (done < nr) {
		ret = io_uring_wait_cqe(&e->ring, &cqe);
		if (ret)
			return zc_fail(e->res, ret, "io_uring_wait_cqe: %s", strerror(-ret));
		seen = 0;
		io_uring_for_each_cqe(&e->ring, head, cqe) {
			done += account(e, cqe);
			seen++;
		}
		io_uring_cq_advance(&e->ring, seen);
	}
	return 0;
}

/* Wait for the notifications still owed, so no phase inherits another's. */
static int drain_notifications(struct exec *e)
{
	struct __kernel_timespec ts = {
		.tv_sec = DRAIN_TIMEOUT_NS / 1000000000ULL,
	};
	struct io_uring_cqe *cqe;
	int ret;

	while (e->c.pending_notifs) {
		ret = io_uring_wait_cqe_timeout(&e->ring, &cqe, &ts);
		if (ret == -ETIME)
			return zc_fail(e->res, ret, "%llu notifications still owed after %llu s",
				       (unsigned long long)e->c.pending_notifs,
				       DRAIN_TIMEOUT_NS / 1000000000ULL);
		if (ret)
			return zc_fail(e->res, ret, "io_uring_wait_cqe_timeout: %s",
				       strerror(-ret));
		account(e, cqe);
		io_uring_cqe_seen(&e->ring, cqe);
	}
	return 0;
}

static unsigned next_batch(const struct exec *e)
{
	const struct zc_plan *p = e->plan;
	uint64_t left;

	if (!p->max_requests)
		return p->batch;
	left = p->max_requests - (e->c.requests + e->c.errors);
	return left < p->batch ? (unsigned)left : p->batch;
}

static int send_loop(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	struct zc_result *res = e->res;
	struct rusage ru0, ru1;
	uint64_t t0, t, end;
	unsigned nr;
	int ret;

	/* warmup: same loop, then forget everything it counted */
	t0 = now_ns();
	for (end = t0 + p->warmup_ns; p->warmup_ns && now_ns() < end;) {
		ret = run_batch(e, p->batch);
		if (ret)
			return ret;
	}
	ret = drain_notifications(e);
	if (ret)
		return ret;
	memset(&e->c, 0, sizeof(e->c));

	getrusage(RUSAGE_THREAD, &ru0);
	t0 = t = now_ns();
	end = t0 + p->duration_ns;
	while (t < end && (nr = next_batch(e))) {
		ret = run_batch(e, nr);
		if (ret)
			return ret;
		t = now_ns();
	}
	getrusage(RUSAGE_THREAD, &ru1);
	res->elapsed_ns = t - t0;
	res->user_ns = tv_ns(&ru1.ru_utime) - tv_ns(&ru0.ru_utime);
	res->sys_ns = tv_ns(&ru1.ru_stime) - tv_ns(&ru0.ru_stime);
	res->vol_ctxsw = (uint64_t)(ru1.ru_nvcsw - ru0.ru_nvcsw);
	res->invol_ctxsw = (uint64_t)(ru1.ru_nivcsw - ru0.ru_nivcsw);

	/* the measured requests' notifications belong to them: wait, untimed */
	return drain_notifications(e);
}

static void publish(const struct exec *e)
{
	struct zc_result *res = e->res;

	res->requests = e->c.requests;
	res->bytes = e->c.bytes;
	res->completions = e->c.completions;
	res->notifications = e->c.notifications;
	res->errors = e->c.errors;
	res->short_sends = e->c.short_sends;
	res->first_error = e->c.first_error;
}

int zc_exec_case(const struct zc_plan *plan, struct zc_result *res)
{
	struct exec e = { .plan = plan, .res = res, .fd = -1 };
	int ret;

	ret = setup_buffers(&e);
	if (ret)
		goto out;
	ret = setup_socket(&e);
	if (ret)
		goto out;
	ret = setup_ring(&e);
	if (ret)
		goto out;
	ret = send_loop(&e);
	publish(&e);
out:
	if (e.ring_ready)
		io_uring_queue_exit(&e.ring);
	if (e.fd >= 0)
		close(e.fd);
	if (e.buf)
		munmap(e.buf, e.buf_len);
	return ret;
}
