/* SPDX-License-Identifier: MIT */
/* The sender's state and the declarations its files share; none is exported. */
#ifndef ZCSPEC_INTERNAL_H
#define ZCSPEC_INTERNAL_H

#include <liburing.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "common.h"
#include "latency.h"
#include "tstamp.h"
#include "zcspec.h"

/* liburing 2.3 predates these (kernel 6.2 uapi) */
#ifndef IORING_SEND_ZC_REPORT_USAGE
#define IORING_SEND_ZC_REPORT_USAGE (1U << 3)
#endif
#ifndef IORING_NOTIF_USAGE_ZC_COPIED
#define IORING_NOTIF_USAGE_ZC_COPIED (1U << 31)
#endif
/* Linux 6.17 uapi: SEND/SEND_ZC take sqe->addr as an iovec array, sqe->len as its count */
#ifndef IORING_SEND_VECTORIZED
#define IORING_SEND_VECTORIZED (1U << 5)
#endif
/* Linux 6.6 uapi, liburing 2.6: no SQ index array (ring.c sets such a ring up on 2.3) */
#ifndef IORING_SETUP_NO_SQARRAY
#define IORING_SETUP_NO_SQARRAY (1U << 16)
#define ZC_LIBURING_LACKS_NO_SQARRAY 1
#endif

/* no progress at all for this long ends a case */
#define ZC_STALL_NS (5ULL * NSEC_PER_SEC)
/* a blocking send wakes up this often to see the stop flag */
#define ZC_SEND_SLICE_MS 50

/*
 * user_data of a request: its slot, its flow, whether it was sent zerocopy, its enum
 * zc_kind, and from bit 44 on its latency record's tag (struct zc_lat_rec):
 * 16 bits of index and 4 of generation, to tell a record overwritten since.
 */
#define UD_SLOT_MASK 0xffffffULL
/* flows (issue 24): the request's socket, 0..ZC_FLOWS_MAX - 1 */
#define UD_FLOW_SHIFT 24
#define UD_FLOW_MASK 0xffU
#define UD_ZC (1ULL << 32)
#define UD_KIND_SHIFT 40
#define UD_TAG_SHIFT 44
#define UD_TAG_MASK 0xfffffU
/* not a send: the cancel of a stop, the background poll (ZC_PLAN_BACKGROUND_POLL) */
#define UD_CANCEL (1ULL << 33)
#define UD_POLL (1ULL << 34)
/* a timed request (zc_plan.latency_every): its record holds its submit time */
#define UD_TIMED (1ULL << 35)
/* tx-timestamps: a sampled request; the timestamp command or POLLERR poll (tstamp.c) */
#define UD_TS (1ULL << 36)
#define UD_TSTAMP (1ULL << 37)

struct counters {
	uint64_t requests, bytes, completions, notifications, errors, short_sends;
	uint64_t zc_copied, zc_requests, max_outstanding, reuse_busy;
	uint64_t notif_unexpected, more_on_notif, more_on_plain;
	uint64_t owed;		/* notifications owed right now */
	uint64_t zc_sent;	/* successful requests of a zerocopy kind */
	uint64_t kinds[ZC_KINDS]; /* successful requests by enum zc_kind */
	int32_t first_error;
	struct zc_errno_count errnos[ZC_ERRNO_SLOTS];
	struct zc_lat lat;
	/* flows (issue 24): successful requests and their bytes by flow */
	uint64_t flow_requests[ZC_FLOWS_MAX], flow_bytes[ZC_FLOWS_MAX];
};

/* TCP_INFO's growing counters at the window's start (window.c) */
struct tcp_edge {
	bool ok;
	uint32_t total_retrans;
	uint64_t bytes_retrans, busy_us, rwnd_limited_us, sndbuf_limited_us;
};

/* One sender thread's state: its sockets (flows), one ring (io_uring modes), its buffers. */
struct exec {
	const struct zc_plan *plan;
	struct zc_result *res;
	struct zc_progress *progress;	/* may be NULL */
	const uint32_t *stop;		/* may be NULL */
	/* called once set up (or failed), so threads start their windows together */
	void (*on_ready)(void *arg);
	void *ready_arg;

	unsigned index;		/* the thread's number, 0.. */
	/* flows (issue 24): the thread's sockets, and the next request's (zc_next_flow) */
	int fds[ZC_FLOWS_MAX];
	unsigned flows, flow;
	uint64_t flow_rng;
	/* every byte each socket took, warmup included (outside c, which the warmup clears) */
	uint64_t flow_sent[ZC_FLOWS_MAX];
	struct sockaddr_storage dst;
	socklen_t dst_len;
	bool tcp, zc;

	struct io_uring ring;
	bool ring_ready;
	/* flow i's fd as the SQE names it: i when the flows are registered files */
	int sqe_fds[ZC_FLOWS_MAX];
	uint8_t sqe_flags;
	bool cancelled;
	/* a stream send that came back short, finished after its CQE is consumed */
	bool short_pending;
	unsigned short_slot, short_flow;
	uint32_t short_sent;
	/* what every SQE of the case shares, worked out once at setup */
	struct {
		uint16_t ioprio;	/* POLL_FIRST */
		uint16_t zc_ioprio;	/* REPORT_USAGE, on zerocopy kinds only */
		uint16_t vec_ioprio;	/* SEND_VECTORIZED (iov > 1), on send kinds only */
		int msg_flags;		/* every request */
		int more_flags;		/* all but a batch's last request */
		uint8_t link;		/* IOSQE_IO_LINK on all but a batch's last */
		uint8_t kind;		/* enum zc_kind of every request (not ZC_MODE_MIXED) */
		bool mixed, unconnected; /* mixed: register mixed, every other request plain */
	} prep;
	/* ZC_MODE_MIXED: kinds in rotation order, or to draw from at random (mix.c) */
	uint8_t *mix;
	uint32_t mix_len, mix_pos;
	uint64_t rng;

	char *buf;		/* buf_count slots of stride bytes */
	size_t buf_len, stride;
	unsigned slot;
	uint64_t seq;		/* requests prepared: mixed registration, latency tags */
	uint64_t clock_ns;	/* the send loop's last clock read (zc_clock): a batch ends at it */
	/* lat-modes: zc_plan.latency_every, and the batch's first timed request (UINT64_MAX: none) */
	uint32_t lat_every;
	uint64_t timed_first;
	/* pacing (pace.c): when the batch being sent was due, 0 unpaced; the schedule's state */
	uint64_t due_ns;
	struct {
		uint64_t origin_ns;	/* request 0's due time */
		uint64_t sent;		/* requests scheduled since origin_ns */
		uint64_t slack_ns;	/* wake this early from a sleep, then spin (adapts) */
	} pace;
	uint32_t *busy;		/* per slot: kernel references outstanding */
	struct msghdr *msgs;	/* per request of a batch (sendmsg modes) */
	/* the UDP_SEGMENT cmsg every msghdr request carries (gso_size), built once at setup */
	union {
		char buf[CMSG_SPACE(sizeof(uint16_t))];
		struct cmsghdr align;
	} gso_cmsg;
	size_t gso_cmsg_len;	/* 0: no cmsg */
	struct iovec *iovs;	/* plan->iov pieces per request of a batch (syscall modes: of the one request) */
	uint32_t *id_slot;	/* msg_zerocopy: slot of each zerocopy id, mod ID_RING */
	uint32_t next_id;
	/* latency records: io_uring modes by request tag, msg_zerocopy by zerocopy id */
	struct zc_lat_rec *lat_recs;
	/* window.c: /proc/stat, open for the case, and TCP_INFO at the window's start */
	int stat_fd;
	char *stat_buf;
	struct tcp_edge tcp_start[ZC_FLOWS_MAX];
	/* tx-timestamps: sampled requests' stamps; closing: the drain after the window */
	struct zc_ts ts;
	bool closing;

	struct counters c;
};

/* What a mode's loop does; the phases around it (warmup, window, drain) are shared. */
struct mode_ops {
	int (*setup)(struct exec *e);
	int (*batch)(struct exec *e, unsigned nr);
	/* wait until no notification is owed (bounded in time) */
	int (*drain)(struct exec *e);
	void (*teardown)(struct exec *e);
};

extern const struct mode_ops zc_uring_ops;
/* uring_setup.c: zc_uring_ops's setup and teardown */
int zc_uring_setup(struct exec *e);
void zc_uring_teardown(struct exec *e);
/* io_uring modes: how long one wait lasts before the stop flag is checked again */
#define WAIT_SLICE_NS (50ULL * 1000000ULL)
/*
 * uring_reap.c: wait for at least one CQE, then account all that are ready
 * (done counts the completions; 1 when stopped and give_up_on_stop), and
 * wait until no notification is owed.
 */
int zc_uring_reap(struct exec *e, unsigned *done, bool give_up_on_stop);
int zc_uring_drain(struct exec *e);
extern const struct mode_ops zc_syscall_ops;

/* mix.c: ZC_MODE_MIXED's table of kinds (0 or -errno), and its release */
int zc_mix_setup(struct exec *e);
void zc_mix_teardown(struct exec *e);
/* true when the plan sends some requests of a kind with all of the bits in `bits` */
bool zc_plan_has_kind(const struct zc_plan *p, unsigned bits);

/* the kind of the next request: from the mix, or the case's own (alternating registration) */
static inline unsigned zc_next_kind(struct exec *e)
{
	unsigned i;

	if (!e->mix)
		return e->prep.kind ^ (e->prep.mixed && (e->seq & 1) ? ZC_KIND_FIXED : 0);
	if (e->plan->mix_order == ZC_MIX_ROTATE) {
		i = e->mix_pos;
		if (++e->mix_pos == e->mix_len)
			e->mix_pos = 0;
	} else {
		i = zc_rand_below(&e->rng, e->mix_len);
	}
	return e->mix[i];
}

/* flows (issue 24): the socket of the next request, round robin or drawn */
static inline unsigned zc_next_flow(struct exec *e)
{
	unsigned f;

	if (e->flows == 1)
		return 0;
	if (e->plan->flow_order == ZC_FLOW_RANDOM)
		return zc_rand_below(&e->flow_rng, e->flows);
	f = e->flow;
	if (++e->flow == e->flows)
		e->flow = 0;
	return f;
}

/*
 * Read the clock for a latency stamp and keep it: timing every request, the
 * last read of a batch also ends the batch for the measured window, which
 * so costs no read of its own (zc_batch_end).
 */
static inline uint64_t zc_clock(struct exec *e)
{
	return e->clock_ns = zc_now_ns();
}

/*
 * When the batch just run ended: timing every request, its last stamp;
 * else (timing some or none) a read of its own, the one clock read a batch
 * the liburing example makes too.
 */
static inline uint64_t zc_batch_end(struct exec *e)
{
	return e->lat_every == 1 ? e->clock_ns : zc_now_ns();
}

/* the caller asked the case to end (zc_control.stop) */
static inline bool zc_stop_requested(const struct exec *e)
{
	return e->stop && __atomic_load_n(e->stop, __ATOMIC_RELAXED);
}

static inline char *zc_slot_data(const struct exec *e, unsigned slot)
{
	return e->buf + (size_t)slot * e->stride + e->plan->buf_offset;
}

/* count a failed request, by errno (res < 0) */
static inline void zc_count_error(struct exec *e, int res)
{
	e->c.errors++;
	if (!e->c.first_error)
		e->c.first_error = res;
	zc_count_errno(e->c.errnos, res, 1);
}

/* bytes flow f's socket took beyond a request's result (the rest of a short stream send) */
static inline void zc_count_bytes(struct exec *e, unsigned f, uint64_t n)
{
	e->c.bytes += n;
	e->c.flow_bytes[f] += n;
	e->flow_sent[f] += n;
}

/* count one request result of flow f; inline, as it runs once per request */
static inline void zc_count_result(struct exec *e, int res, unsigned f)
{
	e->c.completions++;
	if (res < 0) {
		zc_count_error(e, res);
		return;
	}
	e->c.requests++;
	e->c.flow_requests[f]++;
	zc_count_bytes(e, f, (uint64_t)res);
	if ((uint32_t)res < e->plan->buf_size)
		e->c.short_sends++;
}

/*
 * A payload's iovecs: n nearly equal consecutive pieces of it. Their lengths
 * are set once (zc_iov_alloc), only their bases per request (zc_iov_place).
 */
static inline void zc_iov_place(struct iovec *v, unsigned n, char *data)
{
	unsigned k;

	for (k = 0; k < n; k++) {
		v[k].iov_base = data;
		data += v[k].iov_len;
	}
}

/*
 * ring.c: io_uring_queue_init_params, and IORING_SETUP_NO_SQARRAY with a
 * liburing too old to know it. 0 or -errno.
 */
int zc_ring_init(unsigned entries, struct io_uring *ring, struct io_uring_params *p);
/* napi.c: NAPI busy poll (ring.napi) */
int zc_napi_register(struct io_uring *ring, uint32_t busy_poll_us, bool prefer_busy_poll);
int zc_napi_unregister(struct io_uring *ring);
uint32_t zc_napi_id(int fd);

/*
 * probe_ring.c: zc_probe's ring tries, and the pause for closed rings'
 * memory to come back (false once the probe's pauses are spent)
 */
void zc_probe_rings(struct zc_probe *out, unsigned *pauses);
bool zc_probe_settle(unsigned *pauses);
/* probe_tstamp.c: SOCKET_URING_OP_TX_TIMESTAMP posts a stamp: 0 or -errno */
int zc_probe_tx_timestamp(void);

/* setup.c */
int zc_setup_buffers(struct exec *e);
int zc_setup_socket(struct exec *e);
uint16_t zc_flow_port(const struct exec *e, unsigned f);
/* UDP_CORK on (1) or off (0) on the one socket a corked case has: 0 or the failure's -errno */
int zc_set_cork(struct exec *e, int on);
/* `reqs` requests' iovecs, plan->iov each, lengths set: NULL when out of memory */
struct iovec *zc_iov_alloc(const struct zc_plan *p, unsigned reqs);

/* window.c: the machine's and TCP's figures at the measured window's edges */
void zc_window_open(struct exec *e);	/* /proc/stat; without it the case runs, figures absent */
void zc_window_close(struct exec *e);
void zc_window_begin(struct exec *e);
void zc_window_end(struct exec *e);
/* add thread result r's machine and TCP figures into the total t */
void zc_window_total(struct zc_result *t, const struct zc_result *r);

/*
 * pace.c: the schedule of a paced plan (interval_ps). zc_pace_begin starts
 * it at t0; zc_pace_wait waits for the next batch's due time (sets due_ns)
 * and returns 0, or 1 when `end` or a stop came first; zc_pace_sent moves
 * the schedule past nr requests.
 */
void zc_pace_begin(struct exec *e, uint64_t t0);
int zc_pace_wait(struct exec *e, uint64_t end);
static inline void zc_pace_sent(struct exec *e, unsigned nr)
{
	e->pace.sent += nr;
}

/* Run the send loop in the calling thread's network namespace. */
int zc_exec_case(struct exec *e);

#endif
