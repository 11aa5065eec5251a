/* SPDX-License-Identifier: MIT */
/*
 * Between the receiver's files: receiver.c (the ABI calls, the thread, the
 * hand-over with the caller) calls rx_reader.c (sockets, the serve loop),
 * which calls rx_drain.c (reading and verifying as zc_rx_config.verify
 * says); never the reverse. None of it is exported.
 */
#ifndef ZCSPEC_RX_READER_H
#define ZCSPEC_RX_READER_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "common.h"

#define RX_BATCH	32		/* datagrams per recvmmsg */
#define RX_DGRAM_MAX	65536		/* longer than any UDP payload */
#define RX_STREAM_BUF	(256 * 1024)	/* bytes per TCP read that copies */
#define RX_DISCARD_MAX	(2 * 1024 * 1024)	/* bytes per TCP read that discards (MSG_TRUNC) */
/*
 * TCP, a connection that streams: SO_RCVLOWAT, the bytes queued before the
 * thread is woken (as the kernel selftest's receiver: 64 KiB). Without it
 * every arriving segment wakes the thread from the softirq that delivered
 * it, which on the pair and loopback runs on the sender's CPU: a cross-CPU
 * wakeup and a read per segment. The kernel still wakes it below the mark
 * at the end of the stream or when the receive window would close.
 * A connection streams once a wakeup finds at least half this much and
 * two payloads queued (the sender is ahead of the reader); one with a
 * request at a time in flight never does, so it is read at once, as
 * before: its sender may wait for the ACK that reading it sends.
 */
#define RX_TCP_LOWAT	(64 * 1024)
/*
 * Every this often what sits below the mark is read, so the counters never
 * wait for more data or a close to see it...
 */
#define RX_TAIL_NS	(10 * (NSEC_PER_SEC / 1000))
/*
 * ...and a connection that had no wakeup for this long (its sender paused,
 * or turned to one request at a time) no longer streams. Long against a
 * loaded machine's pauses, so a stream keeps its mark through them; short
 * enough that a sender turned to one request at a time waits on the tail
 * read for a few requests only.
 */
#define RX_UNSTREAM_NS	(200 * (NSEC_PER_SEC / 1000))
#define RX_PORTS	65536		/* per-flow counters, one per source port */

/* one accepted TCP connection */
struct rx_conn {
	int fd;
	uint32_t off;		/* position inside the current payload */
	uint16_t peer_port;	/* the sender's source port: its flow (host order) */
	uint64_t reads;		/* ZC_VERIFY_SAMPLE: reads so far, every sample_every-th in full */
	bool stale;		/* from an earlier case: counted, never verified against this one's */
	bool streams;		/* its SO_RCVLOWAT is RX_TCP_LOWAT (else the kernel's 1 byte) */
	uint64_t woken_ns;	/* its last wakeup's reads */
	struct rx_conn *next;
};

struct zc_rx {
	struct zc_rx_config cfg;
	pthread_t thread;
	int efd;		/* eventfd: wakes the thread for a new pattern or stop */
	int epfd;
	int fd;			/* the UDP socket or the TCP listener */
	struct rx_conn *conns;
	uint8_t *iobuf;
	struct mmsghdr msgs[RX_BATCH];
	struct iovec iov[RX_BATCH];
	struct sockaddr_storage peers[RX_BATCH];	/* each datagram's sender: its flow */
	/* segmented payloads: room for each datagram's UDP_GRO cmsg (its segment size) */
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl[RX_BATCH];

	/* the reference payload: ref[i] = f(i), at least RX_DGRAM_MAX long */
	uint8_t *ref;
	uint32_t size;
	/*
	 * UDP GSO: the segment size the sender cuts payloads into (0: none),
	 * and the position inside the current payload, carried across reads
	 */
	uint32_t segment, off;

	/* hand-over between the caller and the thread */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool ready, exited, stop;
	uint32_t want_pattern, want_size, want_segment;
	uint64_t want_gen, applied_gen;
	int applied_status;
	int32_t status;
	char message[ZC_MESSAGE_MAX];

	/* the thread's CPU clock while it runs; its last reading once it has exited */
	clockid_t clock;
	uint64_t final_cpu_ns;
	/* ZC_VERIFY_SAMPLE: UDP datagrams since start (every sample_every-th in full), jitter */
	uint64_t sampled, rng;

	/*
	 * flows (issue 24): payload bytes by the sender's source port since the
	 * last zc_rx_expect, 65536 counters; written by the thread only (atomically)
	 */
	uint64_t *port_bytes;

	/* written by the thread only (atomically), read by anyone */
	uint16_t port;
	uint64_t datagrams, bytes, mismatches, connections, checked, last_rx_ns, reads;
};

/* Record the failure that stops the receiver: the first one wins. Returns err. */
int rx_fail(struct zc_rx *rx, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* On the receiver thread: enter the namespace, listen: 0, or the status it failed with. */
int rx_setup(struct zc_rx *rx);
/* On the receiver thread: count and verify until stopped or failed. */
void rx_serve(struct zc_rx *rx);
/* Close and free what rx_setup opened, and every connection since. */
void rx_close(struct zc_rx *rx);
/* the port of a sockaddr_in or sockaddr_in6 (same offset), host order */
static inline uint16_t rx_port_of(const struct sockaddr_storage *ss)
{
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

/* Close one connection and forget it. */
void rx_close_conn(struct zc_rx *rx, struct rx_conn *conn);

/* rx_drain.c, on the receiver thread: read what is queued (0, or the failure's -errno) */
int rx_drain_udp(struct zc_rx *rx);
int rx_drain_conn(struct zc_rx *rx, struct rx_conn *conn);
/* the same after a quiet spell, without a wakeup: the connection may no longer stream */
int rx_drain_tail(struct zc_rx *rx, struct rx_conn *conn);

#endif
