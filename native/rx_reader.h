/* SPDX-License-Identifier: MIT */
/*
 * Between the receiver's two files: receiver.c (the ABI calls, the thread,
 * the hand-over with the caller) calls rx_reader.c (sockets, reading,
 * verifying), never the reverse. None of it is exported.
 */
#ifndef ZCSPEC_RX_READER_H
#define ZCSPEC_RX_READER_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "common.h"

#define RX_BATCH	32		/* datagrams per recvmmsg */

struct rx_conn;

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

	/* the reference payload: ref[i] = f(i), at least RX_DGRAM_MAX long */
	uint8_t *ref;
	uint32_t size;

	/* hand-over between the caller and the thread */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool ready, exited, stop;
	uint32_t want_pattern, want_size;
	uint64_t want_gen, applied_gen;
	int applied_status;
	int32_t status;
	char message[ZC_MESSAGE_MAX];

	/* written by the thread only (atomically), read by anyone */
	uint16_t port;
	uint64_t datagrams, bytes, mismatches, connections, last_rx_ns;
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

#endif
