/* SPDX-License-Identifier: MIT */
/*
 * The receiver thread's reading side: it drains UDP datagrams (recvmmsg) or
 * an accepted TCP stream and compares what zc_rx_config.verify asks for
 * with the reference of the expected pattern, counting what differs:
 *  - full: every byte, copied out by the kernel;
 *  - sample: the first sample_bytes of every datagram or read, and every
 *    sample_every-th datagram or read in full; the rest is discarded by the
 *    kernel without a copy (MSG_TRUNC);
 *  - off: nothing, only the bytes are counted (MSG_TRUNC, no copy).
 * A TCP stream is read until a read comes back short (the queue was
 * emptied), not until EAGAIN: the empty read would be one more system
 * call per wakeup, and epoll is level-triggered, so what arrives meanwhile
 * wakes the thread again.
 * Nothing here allocates; counters go out through atomics.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "rx_reader.h"

#define RX_ROUNDS	64	/* reads per wakeup before control is looked at */
/* sample, TCP: a discard's length varies by up to this, so samples land all over a payload */
#define RX_JITTER	4096U

/* Bytes of p that differ from ref: one memcmp unless something is wrong. */
static uint64_t diff_bytes(const uint8_t *p, const uint8_t *ref, size_t len)
{
	uint64_t bad = 0;
	size_t i;

	if (!memcmp(p, ref, len))
		return 0;
	for (i = 0; i < len; i++)
		bad += p[i] != ref[i];
	return bad;
}

/*
 * A stream is whole payloads back to back: byte n is f(n mod size); *off
 * is the position inside the current payload.
 */
static uint64_t verify_stream(const struct zc_rx *rx, uint32_t *off, const uint8_t *p, size_t len)
{
	uint64_t bad = 0;

	while (len) {
		size_t n = rx->size - *off;

		if (n > len)
			n = len;
		bad += diff_bytes(p, rx->ref + *off, n);
		p += n;
		len -= n;
		*off += (uint32_t)n;
		if (*off == rx->size)
			*off = 0;
	}
	return bad;
}

/* bytes the kernel dropped for us unseen still move the stream's position */
static void skip_stream(const struct zc_rx *rx, uint32_t *off, size_t len)
{
	*off = (uint32_t)(((uint64_t)*off + len) % rx->size);
}

static void count(struct zc_rx *rx, uint64_t datagrams, uint64_t bytes, uint64_t checked,
		  uint64_t bad)
{
	__atomic_fetch_add(&rx->datagrams, datagrams, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rx->bytes, bytes, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rx->checked, checked, __ATOMIC_RELAXED);
	__atomic_fetch_add(&rx->mismatches, bad, __ATOMIC_RELAXED);
	/* every caller has just read something: one recv or recvmmsg */
	__atomic_fetch_add(&rx->reads, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&rx->last_rx_ns, zc_now_ns(), __ATOMIC_RELAXED);
}

/* flows (issue 24): a flow's bytes; only this thread writes, so no locked add is needed */
static void count_flow(struct zc_rx *rx, uint16_t port, uint64_t bytes)
{
	uint64_t *c = &rx->port_bytes[port];

	__atomic_store_n(c, *c + bytes, __ATOMIC_RELAXED);
}

/*
 * A datagram is one payload, or several back to back when the sender
 * corks (UDP_CORK, MSG_MORE): byte n is f(n mod size), as in a stream.
 * len may be a prefix of the datagram (sample).
 */
static uint64_t verify_datagram(const struct zc_rx *rx, const uint8_t *p, size_t len)
{
	size_t size = rx->size ? rx->size : len;
	uint64_t bad = 0;

	while (len) {
		size_t n = len < size ? len : size;

		bad += diff_bytes(p, rx->ref, n);
		p += n;
		len -= n;
	}
	return bad;
}

/* sample: datagram number `nth` (from 1) is read in full, the others up to sample_bytes */
static void size_samples(struct zc_rx *rx)
{
	const struct zc_rx_config *c = &rx->cfg;
	unsigned i;

	for (i = 0; i < RX_BATCH; i++)
		rx->iov[i].iov_len = (rx->sampled + i + 1) % c->sample_every ? c->sample_bytes
									     : RX_DGRAM_MAX;
}

/* the segment size a UDP_GRO cmsg gives a read of coalesced segments, 0 without one */
static uint32_t gro_segment(struct msghdr *m)
{
	struct cmsghdr *cm;
	int gso;

	for (cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm)) {
		if (cm->cmsg_level == SOL_UDP && cm->cmsg_type == UDP_GRO) {
			memcpy(&gso, CMSG_DATA(cm), sizeof(gso));
			return gso > 0 ? (uint32_t)gso : 0;
		}
	}
	return 0;
}

/*
 * Segmented payloads (UDP GSO): a read is one segment, or several that
 * UDP_GRO kept together, and the segments are the payloads back to back,
 * so they are verified as a stream, the position carried across reads. A
 * lost GSO packet (a whole payload) keeps that position; a segment shorter
 * than the others ends a payload, so the position after it is 0 whatever
 * came before. seen: the bytes of len that were copied (sample).
 */
static uint64_t verify_segments(struct zc_rx *rx, struct msghdr *m, const uint8_t *p,
				size_t seen, size_t len, uint64_t *datagrams)
{
	uint32_t gso = gro_segment(m);
	uint64_t bad = verify_stream(rx, &rx->off, p, seen);

	skip_stream(rx, &rx->off, len - seen);
	/* without a cmsg the read is one datagram as it was on the wire */
	*datagrams += gso ? (len + gso - 1) / gso : 1;
	if (len % (gso ? gso : rx->segment))
		rx->off = 0;
	return bad;
}

/*
 * Before each recvmmsg: segmented payloads' reads may carry a UDP_GRO cmsg,
 * and the kernel shrinks msg_controllen and msg_namelen
 */
static void arm_cmsgs(struct zc_rx *rx)
{
	unsigned i;

	for (i = 0; i < RX_BATCH; i++) {
		rx->msgs[i].msg_hdr.msg_control = rx->segment ? rx->ctl[i].buf : NULL;
		rx->msgs[i].msg_hdr.msg_controllen = rx->segment ? sizeof(rx->ctl[i].buf) : 0;
		/* the kernel shrinks it to the sender's address, whose port is the flow */
		rx->msgs[i].msg_hdr.msg_namelen = sizeof(rx->peers[i]);
	}
}

int rx_drain_udp(struct zc_rx *rx)
{
	uint32_t verify = rx->cfg.verify;
	/* MSG_TRUNC: msg_len is the datagram's length, whatever was copied of it */
	int flags = MSG_DONTWAIT | (verify == ZC_VERIFY_FULL ? 0 : MSG_TRUNC);
	int round, n, i;

	for (round = 0; round < RX_ROUNDS; round++) {
		uint64_t datagrams = 0, bytes = 0, checked = 0, bad = 0;

		if (verify == ZC_VERIFY_SAMPLE)
			size_samples(rx);
		arm_cmsgs(rx);
		n = recvmmsg(rx->fd, rx->msgs, RX_BATCH, flags, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				return 0;
			return rx_fail(rx, -errno, "recvmmsg: %s", strerror(errno));
		}
		for (i = 0; i < n; i++) {
			size_t len = rx->msgs[i].msg_len;
			size_t seen = len < rx->iov[i].iov_len ? len : rx->iov[i].iov_len;

			bytes += len;
			checked += seen;
			count_flow(rx, rx_port_of(&rx->peers[i]), len);
			if (rx->segment) {
				bad += verify_segments(rx, &rx->msgs[i].msg_hdr, rx->iov[i].iov_base,
						       seen, len, &datagrams);
			} else {
				bad += verify_datagram(rx, rx->iov[i].iov_base, seen);
				datagrams++;
			}
		}
		rx->sampled += (uint64_t)n;
		count(rx, datagrams, bytes, checked, bad);
	}
	return 0;
}


/* Read up to len bytes into the buffer and verify them: what recv returned. */
static ssize_t read_checked(struct zc_rx *rx, struct rx_conn *conn, size_t len)
{
	ssize_t r = recv(conn->fd, rx->iobuf, len, MSG_DONTWAIT);

	if (r > 0) {
		count(rx, 0, (uint64_t)r, (uint64_t)r,
		      verify_stream(rx, &conn->off, rx->iobuf, (size_t)r));
		count_flow(rx, conn->peer_port, (uint64_t)r);
	}
	return r;
}

/* Let the kernel drop up to len bytes uncopied (TCP's MSG_TRUNC): what recv returned. */
static ssize_t discard(struct zc_rx *rx, struct rx_conn *conn, size_t len)
{
	ssize_t r = recv(conn->fd, NULL, len, MSG_DONTWAIT | MSG_TRUNC);

	if (r > 0) {
		skip_stream(rx, &conn->off, (size_t)r);
		count(rx, 0, (uint64_t)r, 0, 0);
		count_flow(rx, conn->peer_port, (uint64_t)r);
	}
	return r;
}

/* A read of up to len; *drained: it came back short, so the queue is empty now. */
static ssize_t read_upto(struct zc_rx *rx, struct rx_conn *conn, size_t len, bool copy,
			 bool *drained)
{
	ssize_t r = copy ? read_checked(rx, conn, len) : discard(rx, conn, len);

	*drained = r > 0 && (size_t)r < len;
	return r;
}

/*
 * One read as the verify setting says; returns recv's result (0: end of
 * stream), *drained as read_upto says.
 */
static ssize_t read_once(struct zc_rx *rx, struct rx_conn *conn, bool *drained)
{
	const struct zc_rx_config *c = &rx->cfg;
	ssize_t r;

	if (conn->stale || c->verify == ZC_VERIFY_OFF)
		return read_upto(rx, conn, RX_DISCARD_MAX, false, drained);
	if (c->verify == ZC_VERIFY_FULL || ++conn->reads % c->sample_every == 0)
		return read_upto(rx, conn, RX_STREAM_BUF, true, drained);
	r = read_upto(rx, conn, c->sample_bytes, true, drained);
	if (r < (ssize_t)c->sample_bytes)
		return r;
	r = read_upto(rx, conn, RX_STREAM_BUF - c->sample_bytes - zc_rand_below(&rx->rng, RX_JITTER),
		      false, drained);
	/* the sample was read: an empty queue now is no end of stream */
	*drained = *drained || r < 0;
	return r < 0 && errno == EAGAIN ? (ssize_t)c->sample_bytes : r;
}

/*
 * Streaming or not (RX_TCP_LOWAT says why). A failed setsockopt only
 * costs wakeups: the flag follows what the kernel has.
 */
static void set_streams(struct rx_conn *conn, bool streams)
{
	int lowat = streams ? RX_TCP_LOWAT : 1;

	if (streams != conn->streams &&
	    !setsockopt(conn->fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof(lowat)))
		conn->streams = streams;
}

/* Read the queue: false once the connection ended (conn is freed); *got: the bytes read. */
static bool drain(struct zc_rx *rx, struct rx_conn *conn, uint64_t *got)
{
	/* only this thread adds to it */
	uint64_t before = __atomic_load_n(&rx->bytes, __ATOMIC_RELAXED);
	int round;

	for (round = 0; round < RX_ROUNDS; round++) {
		bool drained;
		ssize_t r = read_once(rx, conn, &drained);

		if (r > 0 && !drained)
			continue;
		if (r > 0 || (r < 0 && (errno == EAGAIN || errno == EINTR)))
			break;
		/* end of stream, or a reset: the sender's business, not a receiver failure */
		rx_close_conn(rx, conn);
		return false;
	}
	*got = __atomic_load_n(&rx->bytes, __ATOMIC_RELAXED) - before;
	return true;
}

int rx_drain_conn(struct zc_rx *rx, struct rx_conn *conn)
{
	uint64_t got;

	conn->woken_ns = zc_now_ns();
	if (drain(rx, conn, &got))
		set_streams(conn, conn->streams ||
					  (got >= RX_TCP_LOWAT / 2 && got >= 2 * (uint64_t)rx->size));
	return 0;
}

int rx_drain_tail(struct zc_rx *rx, struct rx_conn *conn)
{
	uint64_t got, quiet = zc_now_ns() - conn->woken_ns;

	if (drain(rx, conn, &got) && got && quiet >= RX_UNSTREAM_NS)
		set_streams(conn, false);
	return 0;
}
