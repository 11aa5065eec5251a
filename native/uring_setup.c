/* SPDX-License-Identifier: MIT */
/*
 * An io_uring mode's ring: its setup flags (and which one the kernel
 * refused), registered files, ring fd and buffers, and what every SQE of
 * the case shares. The request loop is uring.c's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "internal.h"

static const struct {
	uint32_t zc;
	unsigned setup;
	const char *name;
	const char *why;
} ring_flags[] = {
	{ ZC_RING_COOP_TASKRUN, IORING_SETUP_COOP_TASKRUN, "coop_taskrun", "Linux 5.19+" },
	{ ZC_RING_SINGLE_ISSUER, IORING_SETUP_SINGLE_ISSUER, "single_issuer", "Linux 6.0+" },
	{ ZC_RING_DEFER_TASKRUN, IORING_SETUP_DEFER_TASKRUN, "defer_taskrun",
	  "Linux 6.1+, needs single_issuer, not with sqpoll" },
	{ ZC_RING_TASKRUN_FLAG, IORING_SETUP_TASKRUN_FLAG, "taskrun_flag",
	  "needs coop_taskrun or defer_taskrun" },
	{ ZC_RING_SQPOLL, IORING_SETUP_SQPOLL, "sqpoll",
	  "not with defer_taskrun; unprivileged before Linux 5.11 it needs CAP_SYS_ADMIN" },
	{ ZC_RING_NO_SQARRAY, IORING_SETUP_NO_SQARRAY, "no_sqarray", "Linux 6.6+" },
	{ ZC_RING_SQ_AFF, IORING_SETUP_SQ_AFF, "sq_aff",
	  "needs sqpoll; ring.sqpoll_cpu must be a CPU this process may run on" },
	{ ZC_RING_SUBMIT_ALL, IORING_SETUP_SUBMIT_ALL, "submit_all", "Linux 5.18+" },
};

#define N_RING_FLAGS (sizeof(ring_flags) / sizeof(ring_flags[0]))

/* tx-timestamps' CQ: the kernel's largest (IORING_MAX_CQ_ENTRIES), see ring_init */
#define TS_CQ_ENTRIES 65536U

static int ring_init(struct io_uring *ring, const struct zc_plan *p, uint32_t zc_flags)
{
	struct io_uring_params params = { 0 };
	unsigned i;

	for (i = 0; i < N_RING_FLAGS; i++)
		if (zc_flags & ring_flags[i].zc)
			params.flags |= ring_flags[i].setup;
	if (zc_flags & ZC_RING_SQPOLL)
		params.sq_thread_idle = p->sqpoll_idle_ms;
	if (zc_flags & ZC_RING_SQ_AFF)
		params.sq_thread_cpu = (uint32_t)p->sqpoll_cpu;
	if (p->cq_entries) {
		params.flags |= IORING_SETUP_CQSIZE;
		params.cq_entries = p->cq_entries;
	}
	/*
	 * tx-timestamps: SOCKET_URING_OP_TX_TIMESTAMP posts 32-byte CQEs, the
	 * stamp in the second half. On Linux 6.18 such a ring whose CQ
	 * overflowed (a burst of TCP notifications while the sender thread was
	 * off its CPU) left a zerocopy notification unposted: most loopback TCP
	 * runs with the default CQ (1024), about 1 in 10 pair runs with 8192,
	 * none of 20 with the kernel's largest CQ, which so is the default here
	 * (2 MiB a ring); a ring.cqsize the spec writes is kept.
	 */
	if (p->tstamp_every && p->tstamp_via != ZC_TS_VIA_ERRQUEUE) {
		params.flags |= IORING_SETUP_CQE32;
		if (!p->cq_entries) {
			params.flags |= IORING_SETUP_CQSIZE;
			params.cq_entries = TS_CQ_ENTRIES;
		}
	}
	return zc_ring_init(p->ring_entries, ring, &params);
}

/* The kernel says only EINVAL or EPERM: find the one flag whose removal makes it work. */
static int ring_setup_failed(struct exec *e, int ret)
{
	const struct zc_plan *p = e->plan;
	struct io_uring probe;
	unsigned i;

	for (i = 0; i < N_RING_FLAGS; i++) {
		if (!(p->ring_flags & ring_flags[i].zc))
			continue;
		if (ring_init(&probe, p, p->ring_flags & ~ring_flags[i].zc))
			continue;
		io_uring_queue_exit(&probe);
		return zc_fail(e->res, ret,
			       "io_uring_queue_init: %s: ring flag %s is at fault (%s)",
			       strerror(-ret), ring_flags[i].name, ring_flags[i].why);
	}
	return zc_fail(e->res, ret,
		       "io_uring_queue_init(%u entries, %u CQ entries, ring flags 0x%x): %s",
		       p->ring_entries, p->cq_entries, p->ring_flags, strerror(-ret));
}

static int register_buffers(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	struct iovec *iov = calloc(p->buf_count, sizeof(*iov));
	unsigned i;
	int ret;

	if (!iov)
		return zc_fail(e->res, -ENOMEM, "no memory for %u iovecs", p->buf_count);
	for (i = 0; i < p->buf_count; i++) {
		iov[i].iov_base = e->buf + (size_t)i * e->stride;
		iov[i].iov_len = e->stride;
	}
	ret = io_uring_register_buffers(&e->ring, iov, p->buf_count);
	free(iov);
	if (ret == -ENOMEM)
		return zc_fail(e->res, ret,
			       "io_uring_register_buffers (%zu bytes): out of locked memory: RLIMIT_MEMLOCK is too low; raise it with `ulimit -l` (or LimitMEMLOCK= for a service)",
			       e->stride * p->buf_count);
	if (ret)
		return zc_fail(e->res, ret, "io_uring_register_buffers: %s", strerror(-ret));
	return 0;
}

/*
 * Request i of a batch sends from iovecs i * iov .. i * iov + iov - 1 (a
 * msghdr's, or a vectored send's): everything but their bases is set here.
 */
static int setup_iovecs(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	/* tx-timestamps: a sampled request goes as a msghdr op whatever the case's kind */
	bool msg = zc_plan_has_kind(p, ZC_KIND_MSG) || p->tstamp_every;
	unsigned i;

	if (!msg && p->iov == 1)
		return 0;
	e->iovs = zc_iov_alloc(p, p->batch);
	if (!e->iovs)
		return zc_fail(e->res, -ENOMEM, "no memory for %u x %u iovecs", p->batch, p->iov);
	if (p->iov > 1)
		e->prep.vec_ioprio = IORING_SEND_VECTORIZED;
	if (!msg)
		return 0;
	e->msgs = calloc(p->batch, sizeof(*e->msgs));
	if (!e->msgs)
		return zc_fail(e->res, -ENOMEM, "no memory for %u msghdrs", p->batch);
	for (i = 0; i < p->batch; i++) {
		e->msgs[i].msg_iov = &e->iovs[(size_t)i * p->iov];
		e->msgs[i].msg_iovlen = p->iov;
		if (e->prep.unconnected) {
			e->msgs[i].msg_name = &e->dst;
			e->msgs[i].msg_namelen = e->dst_len;
		}
		/* UDP GSO: the same UDP_SEGMENT cmsg on every request */
		if (e->gso_cmsg_len) {
			e->msgs[i].msg_control = e->gso_cmsg.buf;
			e->msgs[i].msg_controllen = e->gso_cmsg_len;
		}
	}
	return 0;
}

/* io-wq's workers run on the plan's CPU set (IORING_REGISTER_IOWQ_AFF) */
static int register_iowq_cpus(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	cpu_set_t set;
	unsigned cpu;
	int ret;

	CPU_ZERO(&set);
	for (cpu = 0; cpu < ZC_CPU_SET_BYTES * 8 && cpu < CPU_SETSIZE; cpu++)
		if (p->iowq_cpus[cpu / 8] & (1U << (cpu % 8)))
			CPU_SET(cpu, &set);
	ret = io_uring_register_iowq_aff(&e->ring, sizeof(set), &set);
	if (ret)
		return zc_fail(e->res, ret,
			       "io_uring_register_iowq_aff: %s (ring.iowq_cpus: Linux 5.14+, CPUs this process may run on)",
			       strerror(-ret));
	return 0;
}

/* NAPI busy poll while the thread waits for completions (see napi.c for when it applies) */
static int register_napi(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	int ret;

	ret = zc_napi_register(&e->ring, p->napi_busy_poll_us, p->napi_prefer_busy_poll);
	if (ret)
		return zc_fail(e->res, ret,
			       "IORING_REGISTER_NAPI (busy_poll_us %u): %s (ring.napi: Linux 6.9+ with CONFIG_NET_RX_BUSY_POLL)",
			       p->napi_busy_poll_us, strerror(-ret));
	e->res->napi_threads = 1;
	return 0;
}

static bool has_iowq_cpus(const struct zc_plan *p)
{
	unsigned i;

	for (i = 0; i < ZC_CPU_SET_BYTES; i++)
		if (p->iowq_cpus[i])
			return true;
	return false;
}

/*
 * The example's -y: one oneshot POLLIN poll on each socket, armed before the
 * first request and left in the background. Nothing reads the socket, so
 * should it fire (data or an error arrived), the condition stays and a
 * re-armed poll would fire at once: like the example, it is not re-armed.
 */
static int arm_background_poll(struct exec *e)
{
	unsigned f;
	int ret = 0;

	/* one per flow: every socket carries its wait entry, as the example's one does */
	for (f = 0; f < e->flows; f++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&e->ring);

		if (!sqe)
			return zc_fail(e->res, -EBUSY, "no SQE for the background poll of flow %u", f);
		io_uring_prep_poll_add(sqe, e->sqe_fds[f], POLLIN);
		sqe->flags |= e->sqe_flags & IOSQE_FIXED_FILE;
		sqe->user_data = UD_POLL;
		ret = io_uring_submit(&e->ring);
		if (ret < 0 || (ret != 1 && !(e->plan->ring_flags & ZC_RING_SQPOLL)))
			break;
	}
	/* SQPOLL: the SQ thread may not have taken it yet, which is fine */
	if (ret < 0 || (ret != 1 && !(e->plan->ring_flags & ZC_RING_SQPOLL)))
		return zc_fail(e->res, ret < 0 ? ret : -EIO, "submit of the background poll: %s",
			       strerror(ret < 0 ? -ret : EIO));
	return 0;
}

int zc_uring_setup(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	unsigned f;
	int ret;

	ret = ring_init(&e->ring, p, p->ring_flags);
	if (ret)
		return ring_setup_failed(e, ret);
	e->ring_ready = true;
	/* registered files: flow i is file i of the table, one registration for all */
	for (f = 0; f < e->flows; f++)
		e->sqe_fds[f] = p->flags & ZC_PLAN_FIXED_FILES ? (int)f : e->fds[f];
	if (p->flags & ZC_PLAN_FIXED_FILES) {
		ret = io_uring_register_files(&e->ring, e->fds, e->flows);
		if (ret)
			return zc_fail(e->res, ret, "io_uring_register_files (%u files): %s",
				       e->flows, strerror(-ret));
		e->sqe_flags |= IOSQE_FIXED_FILE;
	}
	if (p->flags & ZC_PLAN_ASYNC)
		e->sqe_flags |= IOSQE_ASYNC;
	if (p->flags & ZC_PLAN_REG_RING_FD) {
		ret = io_uring_register_ring_fd(&e->ring);
		if (ret < 0)
			return zc_fail(e->res, ret, "io_uring_register_ring_fd: %s", strerror(-ret));
	}
	if ((p->flags & ZC_PLAN_FIXED_BUF) && (ret = register_buffers(e)))
		return ret;
	if (has_iowq_cpus(p) && (ret = register_iowq_cpus(e)))
		return ret;
	if (p->napi_busy_poll_us && (ret = register_napi(e)))
		return ret;
	if ((p->flags & ZC_PLAN_BACKGROUND_POLL) && (ret = arm_background_poll(e)))
		return ret;

	/* streams: the kernel retries partial sends, so payloads stay whole */
	if (e->tcp)
		e->prep.msg_flags = MSG_WAITALL | MSG_NOSIGNAL;
	if (p->cork == ZC_CORK_MSG_MORE)
		e->prep.more_flags = MSG_MORE;
	/* a stream's batch and a MSG_MORE batch must reach the socket in order */
	if (e->tcp || p->cork == ZC_CORK_MSG_MORE)
		e->prep.link = IOSQE_IO_LINK;
	if (p->flags & ZC_PLAN_POLL_FIRST)
		e->prep.ioprio |= IORING_RECVSEND_POLL_FIRST;
	/* a copying op refuses the zerocopy flag (-EINVAL): zerocopy kinds only */
	if (p->flags & ZC_PLAN_REPORT_USAGE)
		e->prep.zc_ioprio = IORING_SEND_ZC_REPORT_USAGE;
	e->prep.mixed = p->flags & ZC_PLAN_MIXED_BUF;
	e->prep.unconnected = !(p->flags & ZC_PLAN_CONNECT);
	ret = zc_mix_setup(e);
	if (ret)
		return ret;
	ret = setup_iovecs(e);
	if (ret)
		return ret;
	return zc_ts_setup(e);
}

void zc_uring_teardown(struct exec *e)
{
	if (e->ring_ready)
		io_uring_queue_exit(&e->ring);
	e->ring_ready = false;
	free(e->msgs);
	free(e->iovs);
	zc_mix_teardown(e);
	zc_ts_teardown(e);
}
