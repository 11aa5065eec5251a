/* SPDX-License-Identifier: MIT */
/* A sender thread's buffers and socket, shared by every mode. */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <unistd.h>

#include "internal.h"

#define HUGE_PAGE (2UL << 20)

/*
 * buf_count slots, each starting on a buf_align boundary; the payload of a
 * slot starts buf_offset bytes in and carries the pattern from its own first
 * byte, so every request's payload is the same bytes wherever it sits.
 */
int zc_setup_buffers(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t align = p->buf_align ? p->buf_align : 1;
	int mflags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE;
	unsigned i;

	if (align & (align - 1))
		return zc_fail(e->res, -EINVAL, "buffer alignment %zu is not a power of two", align);
	e->stride = ((size_t)p->buf_offset + p->buf_size + align - 1) & ~(align - 1);
	if (p->flags & ZC_PLAN_HUGETLB) {
		mflags |= MAP_HUGETLB;
		page = HUGE_PAGE;
	}
	e->buf_len = (e->stride * p->buf_count + page - 1) & ~(page - 1);
	e->buf = mmap(NULL, e->buf_len, PROT_READ | PROT_WRITE, mflags, -1, 0);
	if (e->buf == MAP_FAILED) {
		int err = errno;

		e->buf = NULL;
		if (p->flags & ZC_PLAN_HUGETLB)
			return zc_fail(e->res, -err,
				       "mmap MAP_HUGETLB %zu bytes: %s (reserve 2 MiB huge pages: sysctl vm.nr_hugepages)",
				       e->buf_len, strerror(err));
		return zc_fail(e->res, -err, "mmap %zu bytes of buffers: %s",
			       e->buf_len, strerror(err));
	}
	for (i = 0; i < p->buf_count; i++) {
		char *data = zc_slot_data(e, i);

		zc_fill_pattern(data, p->buf_size, p->pattern);
		/* test hook: the receiver's pattern check must catch this */
		if (p->flags & ZC_PLAN_CORRUPT_PATTERN)
			data[p->buf_size / 2] ^= 0x5a;
	}
	e->busy = calloc(p->buf_count, sizeof(*e->busy));
	if (!e->busy)
		return zc_fail(e->res, -ENOMEM, "no memory for %u slot counters", p->buf_count);
	return 0;
}

/*
 * Each request's payload in plan->iov pieces: size / iov bytes each, the
 * first size % iov pieces one byte more, so sizes differ by at most 1 and
 * none is empty (the launcher checked iov <= size).
 */
struct iovec *zc_iov_alloc(const struct zc_plan *p, unsigned reqs)
{
	struct iovec *v = calloc((size_t)reqs * p->iov, sizeof(*v));
	unsigned i, k;

	if (!v)
		return NULL;
	for (i = 0; i < reqs; i++)
		for (k = 0; k < p->iov; k++)
			v[(size_t)i * p->iov + k].iov_len =
				p->buf_size / p->iov + (k < p->buf_size % p->iov);
	return v;
}

static int set_int(struct exec *e, int fd, int level, int opt, int val, const char *name)
{
	if (setsockopt(fd, level, opt, &val, sizeof(val)))
		return zc_fail(e->res, -errno, "setsockopt %s %d: %s", name, val, strerror(errno));
	return 0;
}

static int fill_dst(struct exec *e)
{
	const struct zc_plan *p = e->plan;

	e->dst_len = zc_sockaddr(&e->dst, p->family, p->dst_port, p->dst_addr);
	if (!e->dst_len)
		return zc_fail(e->res, -EAFNOSUPPORT, "unknown address family %u", p->family);
	return 0;
}

#define CONNECT_TIMEOUT_MS 5000

static int set_timeout(struct exec *e, int fd, unsigned ms)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000 };

	if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)))
		return zc_fail(e->res, -errno, "setsockopt SO_SNDTIMEO: %s", strerror(errno));
	return 0;
}

/* true when some request goes out without a msghdr, so without a cmsg of its own */
static bool sends_plain(const struct zc_plan *p)
{
	unsigned k;

	if (p->mode == ZC_MODE_SEND || p->mode == ZC_MODE_SEND_ZC)
		return true;
	for (k = 0; p->mode == ZC_MODE_MIXED && k < ZC_KINDS; k++)
		if (p->mix[k] && !(k & ZC_KIND_MSG))
			return true;
	return false;
}

/*
 * UDP GSO: plain sends take the segment size from the socket option,
 * msghdr sends from a UDP_SEGMENT cmsg on every request, as applications
 * that vary it per send do; the cmsg is the same for every request.
 */
static int setup_gso(struct exec *e, int fd)
{
	const struct zc_plan *p = e->plan;
	struct msghdr m = { .msg_control = e->gso_cmsg.buf,
			    .msg_controllen = sizeof(e->gso_cmsg.buf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);
	int ret;

	if (sends_plain(p) &&
	    (ret = set_int(e, fd, SOL_UDP, UDP_SEGMENT, p->gso_size, "UDP_SEGMENT")))
		return ret;
	cm->cmsg_level = SOL_UDP;
	cm->cmsg_type = UDP_SEGMENT;
	cm->cmsg_len = CMSG_LEN(sizeof(uint16_t));
	memcpy(CMSG_DATA(cm), &p->gso_size, sizeof(uint16_t));
	e->gso_cmsg_len = CMSG_SPACE(sizeof(uint16_t));
	return 0;
}

/* One flow's socket, set up as the plan says and connected when it asks. */
static int open_flow(struct exec *e, unsigned f)
{
	const struct zc_plan *p = e->plan;
	int fd, ret;

	fd = e->fds[f] = socket((int)p->family, (e->tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return zc_fail(e->res, -errno, "socket (flow %u): %s%s", f, strerror(errno),
			       errno == EMFILE ?
				       " (each thread opens socket.flows sockets: raise ulimit -n)" : "");
	if (p->sndbuf && (ret = set_int(e, fd, SOL_SOCKET, SO_SNDBUF, (int)p->sndbuf, "SO_SNDBUF")))
		return ret;
	if (p->bind_device[0] &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, p->bind_device,
		       (socklen_t)strnlen(p->bind_device, ZC_DEVICE_MAX)))
		return zc_fail(e->res, -errno, "setsockopt SO_BINDTODEVICE %s: %s",
			       p->bind_device, strerror(errno));
	if ((p->flags & ZC_PLAN_NODELAY) &&
	    (ret = set_int(e, fd, IPPROTO_TCP, TCP_NODELAY, 1, "TCP_NODELAY")))
		return ret;
	if ((p->mode == ZC_MODE_MSG_ZEROCOPY || (p->flags & ZC_PLAN_SO_ZEROCOPY)) &&
	    (ret = set_int(e, fd, SOL_SOCKET, SO_ZEROCOPY, 1, "SO_ZEROCOPY")))
		return ret;
	if (p->gso_size && (ret = setup_gso(e, fd)))
		return ret;
	/* a blocking connect to a silent peer would wait minutes: bound it */
	if ((ret = set_timeout(e, fd, CONNECT_TIMEOUT_MS)))
		return ret;
	if ((p->flags & ZC_PLAN_CONNECT) &&
	    connect(fd, (struct sockaddr *)&e->dst, e->dst_len)) {
		int err = errno;

		return zc_fail(e->res, -err, "connect (flow %u): %s%s", f, strerror(err),
			       err == ECONNREFUSED && e->tcp ? " (no TCP receiver listening)" :
			       err == EINPROGRESS ? " (no answer within 5 s)" : "");
	}
	/*
	 * The syscall modes block in send(): wake up every slice to see the
	 * stop flag. io_uring never blocks the sender thread, and its worker
	 * threads must not time out, so it gets no timeout at all.
	 */
	return set_timeout(e, fd, p->mode == ZC_MODE_MSG_ZEROCOPY || p->mode == ZC_MODE_SENDTO ?
					  ZC_SEND_SLICE_MS : 0);
}

/* the plan's flows, each a socket of its own (so a source port of its own) */
int zc_setup_socket(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	unsigned f;
	int ret;

	ret = fill_dst(e);
	if (ret)
		return ret;
	e->flows = p->flows ? p->flows : 1;
	e->flow_rng = p->flow_seed + e->index;
	for (f = 0; f < e->flows; f++) {
		ret = open_flow(e, f);
		if (ret)
			return ret;
	}
	return 0;
}

/* flow f's source port: connect() or the first send bound it (0 if neither happened) */
uint16_t zc_flow_port(const struct exec *e, unsigned f)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (e->fds[f] < 0 || getsockname(e->fds[f], (struct sockaddr *)&ss, &len))
		return 0;
	/* sin_port and sin6_port sit at the same offset */
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/* cork has one flow (the launcher refuses more): a batch's requests share its socket */
int zc_set_cork(struct exec *e, int on)
{
	if (setsockopt(e->fds[0], IPPROTO_UDP, UDP_CORK, &on, sizeof(on)))
		return zc_fail(e->res, -errno, "setsockopt UDP_CORK %d: %s", on, strerror(errno));
	return 0;
}
