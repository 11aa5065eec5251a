/* SPDX-License-Identifier: MIT */
/*
 * io_uring_queue_init_params, plus IORING_SETUP_NO_SQARRAY (Linux 6.6) on
 * a liburing that predates it. liburing learned the flag in 2.6 (commit
 * 74c1191c "setup: add IORING_SETUP_NO_SQARRAY support"); 2.3's
 * io_uring_queue_init_params (Debian's) cannot set such a ring up: it
 * points sq->array at the ring's mapping plus sq_off.array, which the
 * kernel leaves 0 when there is no SQ array, and then writes the identity
 * map array[i] = i over the first `entries` words of the mapping, where the
 * kernel keeps the SQ head and tail and the CQ head and tail: on Linux
 * 6.18 a ring of 4 entries or more so starts with an SQ tail of 1 and a
 * CQE the kernel never posted, and the send loop's books go wrong at once.
 * Its io_uring_queue_mmap only sets pointers and its submit path writes
 * only the SQ tail, never the array, so here the ring is made with the
 * io_uring_setup syscall and mapped with io_uring_queue_mmap, the one step
 * skipped being the one that needs the array.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#ifdef ZC_LIBURING_LACKS_NO_SQARRAY
static int ring_init_no_sqarray(unsigned entries, struct io_uring *ring,
				struct io_uring_params *p)
{
	int fd, ret;

	fd = (int)syscall(__NR_io_uring_setup, entries, p);
	if (fd < 0)
		return -errno;
	/* without one mapping for both rings 2.3 would map the SQ ring by the array's end */
	if (!(p->features & IORING_FEAT_SINGLE_MMAP)) {
		close(fd);
		return -EINVAL;
	}
	ret = io_uring_queue_mmap(fd, p, ring);
	if (ret) {
		close(fd);
		return ret;
	}
	ring->features = p->features;
	return 0;
}
#endif

int zc_ring_init(unsigned entries, struct io_uring *ring, struct io_uring_params *p)
{
#ifdef ZC_LIBURING_LACKS_NO_SQARRAY
	if (p->flags & IORING_SETUP_NO_SQARRAY)
		return ring_init_no_sqarray(entries, ring, p);
#endif
	return io_uring_queue_init_params(entries, ring, p);
}
