/* SPDX-License-Identifier: MIT */
/*
 * NAPI busy poll on a ring (ring.napi): IORING_REGISTER_NAPI, Linux 6.9.
 * liburing learned io_uring_register_napi in 2.6; Debian's 2.3 has neither
 * the call nor the opcode, so it is the raw io_uring_register syscall, as
 * ring.c does the raw setup.
 *
 * What the kernel then does (io_uring/napi.c): a poll armed on a socket
 * (io_uring/poll.c: a POLL_ADD, or the internal poll of a request that
 * would block) adds the socket's NAPI ID, set by the packets it received,
 * to the ring's list; every wait for completions (io_cqring_wait) first
 * busy-polls the listed NAPI instances for up to busy_poll_us. An entry no
 * poll has refreshed for 60 s is dropped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

/* include/uapi/linux/io_uring.h (6.9): liburing 2.3's enum ends at 25 */
#define ZC_IORING_REGISTER_NAPI 27
#define ZC_IORING_UNREGISTER_NAPI 28

#ifndef SO_INCOMING_NAPI_ID
#define SO_INCOMING_NAPI_ID 56
#endif

/*
 * struct io_uring_napi. 6.9 had { busy_poll_to; prefer_busy_poll; pad[3];
 * resv (u64) }; 6.13 named pad[0] opcode and resv's first half op_param.
 * Both zero are IO_URING_NAPI_REGISTER_OP with IO_URING_NAPI_TRACKING_DYNAMIC,
 * the one behaviour 6.9 has, so this one layout means the same on both.
 */
struct zc_uring_napi {
	uint32_t busy_poll_to;	/* µs */
	uint8_t prefer_busy_poll;
	uint8_t opcode;
	uint8_t pad[2];
	uint32_t op_param;
	uint32_t resv;
};

_Static_assert(sizeof(struct zc_uring_napi) == 16, "struct io_uring_napi");

static int uring_register(struct io_uring *ring, unsigned opcode, void *arg)
{
	return syscall(__NR_io_uring_register, ring->ring_fd, opcode, arg, 1) < 0 ? -errno : 0;
}

int zc_napi_register(struct io_uring *ring, uint32_t busy_poll_us, bool prefer_busy_poll)
{
	struct zc_uring_napi napi;

	memset(&napi, 0, sizeof(napi));
	napi.busy_poll_to = busy_poll_us;
	napi.prefer_busy_poll = prefer_busy_poll;
	return uring_register(ring, ZC_IORING_REGISTER_NAPI, &napi);
}

int zc_napi_unregister(struct io_uring *ring)
{
	struct zc_uring_napi napi;

	memset(&napi, 0, sizeof(napi));
	return uring_register(ring, ZC_IORING_UNREGISTER_NAPI, &napi);
}

/* the NAPI instance the socket's last packet came through, 0 for none */
uint32_t zc_napi_id(int fd)
{
	unsigned id = 0;
	socklen_t len = sizeof(id);

	return getsockopt(fd, SOL_SOCKET, SO_INCOMING_NAPI_ID, &id, &len) ? 0 : id;
}
