/* SPDX-License-Identifier: MIT */
/*
 * zc_probe's ring tries: each setup flag (and the ring knobs that go with
 * one: the SQ thread's CPU, the CQ's size, io-wq's CPUs, NAPI busy poll) on a ring of its
 * own, proven by a NOP round trip. probe.c runs them and the send tries.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <unistd.h>

#include "internal.h"

#define SETTLE_US 10000
#define PROBE_ENTRIES 4
#define PROBE_CQ_ENTRIES 16

bool zc_probe_settle(unsigned *pauses)
{
	if (!*pauses)
		return false;
	(*pauses)--;
	usleep(SETTLE_US);
	return true;
}

/* what a try checks on its ring beyond the NOP: 0 or -errno */
typedef int (*ring_check)(struct io_uring *ring, const struct io_uring_params *p);

static int ring_try_once(struct io_uring_params p, ring_check check)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int ret;

	ret = zc_ring_init(PROBE_ENTRIES, &ring, &p);
	if (ret)
		return ret;
	ret = check ? check(&ring, &p) : 0;
	if (ret)
		goto out;
	/* a NOP round trip proves the ring (and an SQ thread) really runs */
	io_uring_prep_nop(io_uring_get_sqe(&ring));
	ret = io_uring_submit_and_wait(&ring, 1);
	if (ret >= 0) {
		ret = io_uring_peek_cqe(&ring, &cqe);
		if (!ret) {
			ret = cqe->res < 0 ? cqe->res : 0;
			io_uring_cqe_seen(&ring, cqe);
		}
	}
out:
	io_uring_queue_exit(&ring);
	return ret;
}

static int ring_try(unsigned flags, ring_check check, unsigned *pauses)
{
	/* SQ_AFF: the CPU this thread runs on, one it may use */
	struct io_uring_params p = { .flags = flags, .sq_thread_idle = 10,
				     .cq_entries = PROBE_CQ_ENTRIES };
	int cpu = sched_getcpu(), ret;

	p.sq_thread_cpu = cpu < 0 ? 0 : (unsigned)cpu;
	do
		ret = ring_try_once(p, check);
	while (ret == -ENOMEM && zc_probe_settle(pauses));
	return ret;
}

/* a kernel that ignored CQSIZE would size the CQ at twice the SQ */
static int cq_as_asked(struct io_uring *ring, const struct io_uring_params *p)
{
	(void)p;
	return ring->cq.ring_entries == PROBE_CQ_ENTRIES ? 0 : -EINVAL;
}

/* io-wq's workers on the CPUs this thread may run on */
static int iowq_aff(struct io_uring *ring, const struct io_uring_params *p)
{
	cpu_set_t set;

	(void)p;
	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	return io_uring_register_iowq_aff(ring, sizeof(set), &set);
}

/* NAPI busy poll registered, then taken back: a kernel without it (or without CONFIG_NET_RX_BUSY_POLL) refuses */
static int napi_try(struct io_uring *ring, const struct io_uring_params *p)
{
	int ret;

	(void)p;
	ret = zc_napi_register(ring, 1, false);
	return ret ? ret : zc_napi_unregister(ring);
}

void zc_probe_rings(struct zc_probe *out, unsigned *pauses)
{
	out->works[ZC_FEAT_COOP_TASKRUN] = ring_try(IORING_SETUP_COOP_TASKRUN, NULL, pauses);
	out->works[ZC_FEAT_SINGLE_ISSUER] = ring_try(IORING_SETUP_SINGLE_ISSUER, NULL, pauses);
	out->works[ZC_FEAT_DEFER_TASKRUN] =
		ring_try(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN, NULL, pauses);
	out->works[ZC_FEAT_TASKRUN_FLAG] =
		ring_try(IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG, NULL, pauses);
	out->works[ZC_FEAT_SQPOLL] = ring_try(IORING_SETUP_SQPOLL, NULL, pauses);
	out->works[ZC_FEAT_NO_SQARRAY] = ring_try(IORING_SETUP_NO_SQARRAY, NULL, pauses);
	out->works[ZC_FEAT_SQ_AFF] =
		ring_try(IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF, NULL, pauses);
	out->works[ZC_FEAT_CQSIZE] = ring_try(IORING_SETUP_CQSIZE, cq_as_asked, pauses);
	out->works[ZC_FEAT_SUBMIT_ALL] = ring_try(IORING_SETUP_SUBMIT_ALL, NULL, pauses);
	out->works[ZC_FEAT_IOWQ_AFF] = ring_try(0, iowq_aff, pauses);
	out->works[ZC_FEAT_NAPI] = ring_try(0, napi_try, pauses);
}
