/* SPDX-License-Identifier: MIT */
/*
 * The receiver thread's socket side: it listens in the target's namespace
 * (pinned to a CPU if asked), accepts TCP connections, takes the caller's
 * pattern switches and stop, and hands readable sockets to rx_drain.c.
 * Counters go out through atomics; nothing per packet leaves C.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "rx_reader.h"

int rx_fail(struct zc_rx *rx, int err, const char *fmt, ...)
{
	va_list ap;

	/* zc_rx_read copies status and message from the caller's thread */
	pthread_mutex_lock(&rx->lock);
	va_start(ap, fmt);
	zc_vfail(&rx->status, rx->message, sizeof(rx->message), err, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&rx->lock);
	return err;
}

/*
 * Segmented payloads: UDP_GRO lets a GSO packet that arrives whole be read
 * whole (one read, its segment size in a cmsg) instead of the kernel cutting
 * it into one queued datagram per segment; off again for whole datagrams.
 */
static int set_gro(struct zc_rx *rx, uint32_t segment)
{
	int on = segment > 0;

	if (rx->cfg.proto != ZC_PROTO_UDP)
		return 0;
	return setsockopt(rx->fd, SOL_UDP, UDP_GRO, &on, sizeof(on)) ? -errno : 0;
}

/* Build the reference for a new case; runs on the receiver thread. */
static int apply_pattern(struct zc_rx *rx, uint32_t pattern, uint32_t size, uint32_t segment)
{
	size_t len = size > RX_DGRAM_MAX ? size : RX_DGRAM_MAX;
	uint8_t *ref;
	int ret;

	ref = malloc(len);
	if (!ref)
		return -ENOMEM;
	ret = set_gro(rx, segment);
	if (ret) {
		free(ref);
		return ret;
	}
	/* the very bytes a sender fills its payloads with */
	zc_fill_pattern((char *)ref, len, pattern);
	free(rx->ref);
	rx->ref = ref;
	rx->size = size;
	rx->segment = segment;
	rx->off = 0;
	/* a case's flows are counted from its switch on (the last case's were drained before) */
	memset(rx->port_bytes, 0, RX_PORTS * sizeof(*rx->port_bytes));
	return 0;
}

/*
 * Before a new case's pattern: what the last case left queued (its sender
 * has stopped, but this thread may not have had the CPU to read it all yet)
 * is read and verified with the pattern it was sent with. Every sender opens
 * a connection of its own, so what still arrives on an old one afterwards is
 * counted but never compared with the new case's pattern.
 */
static void retire_last_case(struct zc_rx *rx)
{
	struct rx_conn *c, *next;

	if (rx->cfg.proto != ZC_PROTO_TCP) {
		rx_drain_udp(rx);
		return;
	}
	for (c = rx->conns; c; c = next) {
		next = c->next;	/* draining may close and free c */
		if (!c->stale)
			rx_drain_conn(rx, c);
	}
	for (c = rx->conns; c; c = c->next)
		c->stale = true;
}

/* Thread side: take a pending pattern or stop request. Returns true to stop. */
static bool take_control(struct zc_rx *rx)
{
	uint64_t v;
	bool stop, switching;

	if (read(rx->efd, &v, sizeof(v)) < 0) {
		/* EAGAIN: a spurious wakeup, the flags below still tell */
	}
	pthread_mutex_lock(&rx->lock);
	switching = rx->want_gen != rx->applied_gen;
	pthread_mutex_unlock(&rx->lock);
	if (switching)
		retire_last_case(rx);
	pthread_mutex_lock(&rx->lock);
	if (rx->want_gen != rx->applied_gen) {
		rx->applied_status = apply_pattern(rx, rx->want_pattern, rx->want_size,
						   rx->want_segment);
		rx->applied_gen = rx->want_gen;
		pthread_cond_broadcast(&rx->cond);
	}
	stop = rx->stop;
	pthread_mutex_unlock(&rx->lock);
	return stop;
}

void rx_close_conn(struct zc_rx *rx, struct rx_conn *conn)
{
	struct rx_conn **pp;

	for (pp = &rx->conns; *pp; pp = &(*pp)->next) {
		if (*pp == conn) {
			*pp = conn->next;
			break;
		}
	}
	/*
	 * Leave the epoll set explicitly: close() alone does not if the file
	 * is still referenced elsewhere (a child forked by the caller, before
	 * its exec), and the next epoll_wait would hand back a freed conn.
	 */
	epoll_ctl(rx->epfd, EPOLL_CTL_DEL, conn->fd, NULL);
	close(conn->fd);
	free(conn);
}

static int accept_conns(struct zc_rx *rx)
{
	for (;;) {
		struct epoll_event ev = { .events = EPOLLIN };
		struct rx_conn *conn;
		int fd;

		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);

		fd = accept4(rx->fd, (struct sockaddr *)&peer, &plen, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EAGAIN || errno == EINTR || errno == ECONNABORTED)
				return 0;
			return rx_fail(rx, -errno, "accept: %s", strerror(errno));
		}
		conn = calloc(1, sizeof(*conn));
		if (!conn) {
			close(fd);
			return rx_fail(rx, -ENOMEM, "out of memory for a connection");
		}
		conn->fd = fd;
		conn->peer_port = rx_port_of(&peer);
		ev.data.ptr = conn;
		if (epoll_ctl(rx->epfd, EPOLL_CTL_ADD, fd, &ev)) {
			int err = -errno;

			close(fd);
			free(conn);
			return rx_fail(rx, err, "epoll_ctl: %s", strerror(-err));
		}
		conn->next = rx->conns;
		rx->conns = conn;
		__atomic_fetch_add(&rx->connections, 1, __ATOMIC_RELAXED);
	}
}

static int enter_netns(struct zc_rx *rx)
{
	char why[ZC_MESSAGE_MAX];
	int ret = zc_enter_netns(rx->cfg.netns_path, why, sizeof(why));

	return ret ? rx_fail(rx, ret, "%s", why) : 0;
}

static int pin(struct zc_rx *rx)
{
	int cpu = rx->cfg.cpu;
	cpu_set_t set;
	int ret;

	if (cpu < 0)
		return 0;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	ret = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (ret)
		return rx_fail(rx, -ret, "pin the receiver to CPU %d: %s", cpu, strerror(ret));
	return 0;
}

static int set_rcvbuf(struct zc_rx *rx)
{
	int v = (int)rx->cfg.rcvbuf;

	if (!v)
		return 0;
	/* FORCE passes net.core.rmem_max where we may (CAP_NET_ADMIN) */
	if (!setsockopt(rx->fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)))
		return 0;
	if (setsockopt(rx->fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v)))
		return rx_fail(rx, -errno, "setsockopt SO_RCVBUF %d: %s", v, strerror(errno));
	return 0;
}

static int open_socket(struct zc_rx *rx)
{
	const struct zc_rx_config *c = &rx->cfg;
	struct sockaddr_storage ss;
	int type = c->proto == ZC_PROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	int one = 1;
	/* check_config let only AF_INET and AF_INET6 through */
	socklen_t alen = zc_sockaddr(&ss, c->family, c->port, c->addr);

	rx->fd = socket((int)c->family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (rx->fd < 0)
		return rx_fail(rx, -errno, "receiver socket: %s", strerror(errno));
	if (c->family == AF_INET6 &&
	    setsockopt(rx->fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)))
		return rx_fail(rx, -errno, "setsockopt IPV6_V6ONLY: %s", strerror(errno));
	if (type == SOCK_STREAM &&
	    setsockopt(rx->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		return rx_fail(rx, -errno, "setsockopt SO_REUSEADDR: %s", strerror(errno));
	if (set_rcvbuf(rx))
		return rx->status;
	if (bind(rx->fd, (struct sockaddr *)&ss, alen))
		return rx_fail(rx, -errno, "receiver bind to port %u: %s", c->port, strerror(errno));
	/* many flows connect at once (threads x socket.flows): the kernel caps it at somaxconn */
	if (type == SOCK_STREAM && listen(rx->fd, 4096))
		return rx_fail(rx, -errno, "listen: %s", strerror(errno));
	alen = sizeof(ss);
	if (getsockname(rx->fd, (struct sockaddr *)&ss, &alen))
		return rx_fail(rx, -errno, "getsockname: %s", strerror(errno));
	rx->port = ntohs(((struct sockaddr_in *)&ss)->sin_port); /* same offset in v6 */
	return 0;
}

int rx_setup(struct zc_rx *rx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	/* off copies nothing, but the iovecs still need somewhere to point */
	size_t iolen = rx->cfg.verify == ZC_VERIFY_OFF ? RX_BATCH :
		       rx->cfg.proto == ZC_PROTO_TCP ? RX_STREAM_BUF :
						       (size_t)RX_BATCH * RX_DGRAM_MAX;
	int i, ret;

	if (rx->cfg.netns_path[0] && enter_netns(rx))
		return rx->status;
	if (pin(rx))
		return rx->status;
	if (open_socket(rx))
		return rx->status;
	rx->port_bytes = calloc(RX_PORTS, sizeof(*rx->port_bytes));
	if (!rx->port_bytes)
		return rx_fail(rx, -ENOMEM, "out of memory for the per-flow counters");
	rx->iobuf = malloc(iolen);
	if (!rx->iobuf)
		return rx_fail(rx, -ENOMEM, "out of memory for %zu receive bytes", iolen);
	for (i = 0; i < RX_BATCH; i++) {
		/* off: MSG_TRUNC says each datagram's length, nothing is copied */
		bool off = rx->cfg.verify == ZC_VERIFY_OFF;

		rx->iov[i].iov_base = off ? rx->iobuf : rx->iobuf + (size_t)i * RX_DGRAM_MAX;
		rx->iov[i].iov_len = off ? 0 : RX_DGRAM_MAX;
		rx->msgs[i].msg_hdr.msg_iov = &rx->iov[i];
		rx->msgs[i].msg_hdr.msg_iovlen = 1;
		rx->msgs[i].msg_hdr.msg_name = &rx->peers[i];
	}
	ret = apply_pattern(rx, ZC_PATTERN_ALPHABET, RX_DGRAM_MAX, 0);
	if (ret)
		return rx_fail(rx, ret, "out of memory for the reference pattern");
	rx->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (rx->epfd < 0)
		return rx_fail(rx, -errno, "epoll_create1: %s", strerror(errno));
	ev.data.ptr = NULL;	/* the control eventfd */
	if (epoll_ctl(rx->epfd, EPOLL_CTL_ADD, rx->efd, &ev))
		return rx_fail(rx, -errno, "epoll_ctl: %s", strerror(errno));
	ev.data.ptr = rx;	/* the socket or listener */
	if (epoll_ctl(rx->epfd, EPOLL_CTL_ADD, rx->fd, &ev))
		return rx_fail(rx, -errno, "epoll_ctl: %s", strerror(errno));
	__atomic_store_n(&rx->last_rx_ns, zc_now_ns(), __ATOMIC_RELAXED);
	return 0;
}

/* A quiet spell: read what sits below SO_RCVLOWAT on every current connection. */
static int read_tails(struct zc_rx *rx)
{
	struct rx_conn *c, *next;
	int ret = 0;

	for (c = rx->conns; c && !ret; c = next) {
		next = c->next;	/* draining may close and free c */
		ret = rx_drain_tail(rx, c);
	}
	return ret;
}

void rx_serve(struct zc_rx *rx)
{
	struct epoll_event evs[16];
	uint64_t tails_due = 0, now;
	bool control;
	int n, i;

	for (;;) {
		n = epoll_wait(rx->epfd, evs, 16, rx->conns ? (int)(RX_TAIL_NS / 1000000) : -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rx_fail(rx, -errno, "epoll_wait: %s", strerror(errno));
			return;
		}
		control = false;
		for (i = 0; i < n; i++) {
			void *who = evs[i].data.ptr;
			int ret;

			if (!who) {
				control = true;
				continue;
			}
			if (who != rx)
				ret = rx_drain_conn(rx, who);
			else if (rx->cfg.proto == ZC_PROTO_TCP)
				ret = accept_conns(rx);
			else
				ret = rx_drain_udp(rx);
			if (ret)
				return;
		}
		/* after the sockets: switching drains and may close a connection evs[] names */
		if (control && take_control(rx))
			return;
		/*
		 * By the clock, not only on a timeout: a busy connection must not
		 * hold a quiet one's tail. After the events: reading a tail may close
		 * a connection that evs[] still names.
		 */
		now = rx->conns ? zc_now_ns() : 0;
		if (now >= tails_due && rx->conns) {
			tails_due = now + RX_TAIL_NS;
			if (read_tails(rx))
				return;
		}
	}
}

void rx_close(struct zc_rx *rx)
{
	while (rx->conns)
		rx_close_conn(rx, rx->conns);
	if (rx->epfd >= 0)
		close(rx->epfd);
	if (rx->fd >= 0)
		close(rx->fd);
	free(rx->iobuf);
	free(rx->ref);
	free(rx->port_bytes);
}
