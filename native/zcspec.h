/* SPDX-License-Identifier: MIT */
/*
 * zcspec native ABI: the one contract between the TypeScript planner
 * (src/native/abi.ts) and the C executor. Every field is fixed-width and
 * every struct is padded by hand so that koffi's layout and the compiler's
 * agree; the _Static_asserts below pin sizes and offsets, and the library
 * exports its sizes so the binding can refuse a mismatched build at load.
 *
 * Change any struct => bump ZC_ABI_VERSION.
 */
#ifndef ZCSPEC_H
#define ZCSPEC_H

#include <stddef.h>
#include <stdint.h>

#define ZC_ABI_VERSION 7

#define ZC_EXPORT __attribute__((visibility("default")))

/* ---- sender: plan, result, shared control ---------------------------- */

enum zc_mode {
	ZC_MODE_SEND = 0,	  /* IORING_OP_SEND: the kernel copies the payload */
	ZC_MODE_SEND_ZC = 1,	  /* IORING_OP_SEND_ZC: completion + notification */
	ZC_MODE_SENDMSG = 2,	  /* IORING_OP_SENDMSG */
	ZC_MODE_SENDMSG_ZC = 3,	  /* IORING_OP_SENDMSG_ZC */
	ZC_MODE_MSG_ZEROCOPY = 4, /* sendmsg(MSG_ZEROCOPY), error-queue completions */
	ZC_MODE_SENDTO = 5,	  /* plain sendto()/send() syscall loop */
	ZC_MODE_MIXED = 6,	  /* io_uring: each request's kind from zc_plan.mix */
};

/*
 * What one io_uring request is: bit 0 a registered buffer, bit 1 a zerocopy
 * op, bit 2 the msghdr op. Indexes zc_plan.mix and zc_result.kinds.
 */
#define ZC_KIND_FIXED	(1U << 0)
#define ZC_KIND_ZC	(1U << 1)
#define ZC_KIND_MSG	(1U << 2)
enum zc_kind {
	ZC_KIND_SEND = 0,		/* IORING_OP_SEND */
	ZC_KIND_SEND_FIXED = 1,		/* ... from a registered buffer */
	ZC_KIND_SEND_ZC = 2,		/* IORING_OP_SEND_ZC */
	ZC_KIND_SEND_ZC_FIXED = 3,	/* ... from a registered buffer */
	ZC_KIND_SENDMSG = 4,		/* IORING_OP_SENDMSG */
	ZC_KIND_SENDMSG_FIXED = 5,	/* ... from a registered buffer */
	ZC_KIND_SENDMSG_ZC = 6,		/* IORING_OP_SENDMSG_ZC */
	ZC_KIND_SENDMSG_ZC_FIXED = 7,	/* ... from a registered buffer */
	ZC_KINDS = 8,
};
_Static_assert((ZC_KIND_MSG | ZC_KIND_ZC | ZC_KIND_FIXED) == ZC_KIND_SENDMSG_ZC_FIXED,
	       "zc_kind bits");

/* how ZC_MODE_MIXED orders its kinds */
enum zc_mix_order {
	ZC_MIX_RANDOM = 0,	/* drawn per request, weighted, from a seeded PRNG */
	ZC_MIX_ROTATE = 1,	/* a fixed, evenly interleaved rotation of the weights */
};

/* flows (issue 24): how a thread spreads its requests over its sockets */
enum zc_flow_order {
	ZC_FLOW_ROUND_ROBIN = 0,	/* request i on flow i mod flows */
	ZC_FLOW_RANDOM = 1,		/* drawn per request from a seeded PRNG */
};

/* sockets per sender thread; user_data carries the flow in 8 bits, the receiver keys by port */
#define ZC_FLOWS_MAX 64

#define ZC_MIX_WEIGHT_MAX 1000

/* when a buffer slot may be handed to the kernel again */
enum zc_reuse {
	ZC_REUSE_IMMEDIATE = 0,	   /* never wait for notifications */
	ZC_REUSE_AFTER_BATCH = 1,  /* all of a batch's notifications before the next batch */
	ZC_REUSE_AFTER_NOTIF = 2,  /* a slot only after its own notification */
};

/* byte i of every payload, counted from the payload's start */
enum zc_pattern {
	ZC_PATTERN_ALPHABET = 0,   /* 'a' + i % 26 */
	ZC_PATTERN_ZEROS = 1,	   /* 0 */
	ZC_PATTERN_SEQUENCE = 2,   /* i % 256 */
};

enum zc_cork {
	ZC_CORK_NONE = 0,
	ZC_CORK_UDP = 1,	/* UDP_CORK around each batch */
	ZC_CORK_MSG_MORE = 2,	/* MSG_MORE on all but a batch's last request, linked */
};

/* zc_plan.flags */
#define ZC_PLAN_FIXED_BUF	(1U << 0) /* register buffers, send them by index */
#define ZC_PLAN_REG_RING_FD	(1U << 1) /* io_uring_register_ring_fd() */
#define ZC_PLAN_FIXED_FILES	(1U << 2) /* register the socket, IOSQE_FIXED_FILE */
#define ZC_PLAN_MIXED_BUF	(1U << 3) /* with FIXED_BUF: every other request unregistered */
#define ZC_PLAN_TCP		(1U << 4) /* SOCK_STREAM (else SOCK_DGRAM) */
#define ZC_PLAN_CONNECT		(1U << 5) /* connect(); else a destination per request */
#define ZC_PLAN_NODELAY		(1U << 6) /* TCP_NODELAY */
#define ZC_PLAN_POLL_FIRST	(1U << 7) /* IORING_RECVSEND_POLL_FIRST */
#define ZC_PLAN_ASYNC		(1U << 8) /* IOSQE_ASYNC */
#define ZC_PLAN_SUBMIT_AND_WAIT	(1U << 9) /* one io_uring_submit_and_wait per batch */
#define ZC_PLAN_REPORT_USAGE	(1U << 10) /* IORING_SEND_ZC_REPORT_USAGE */
#define ZC_PLAN_HUGETLB		(1U << 11) /* MAP_HUGETLB buffers */
#define ZC_PLAN_SO_ZEROCOPY	(1U << 12) /* SO_ZEROCOPY (msg_zerocopy sets it anyway) */
#define ZC_PLAN_CORRUPT_PATTERN	(1U << 13) /* test only: flip one byte of every payload */
#define ZC_PLAN_BACKGROUND_POLL	(1U << 14) /* a POLLIN poll on the socket left armed */

/* zc_plan.ring_flags, mapped to IORING_SETUP_* by the executor */
#define ZC_RING_COOP_TASKRUN	(1U << 0)
#define ZC_RING_SINGLE_ISSUER	(1U << 1)
#define ZC_RING_DEFER_TASKRUN	(1U << 2) /* needs ZC_RING_SINGLE_ISSUER */
#define ZC_RING_TASKRUN_FLAG	(1U << 3) /* needs COOP_TASKRUN or DEFER_TASKRUN */
#define ZC_RING_SQPOLL		(1U << 4)
#define ZC_RING_NO_SQARRAY	(1U << 5) /* Linux 6.6 */
#define ZC_RING_SQ_AFF		(1U << 6) /* needs ZC_RING_SQPOLL: SQ thread on zc_plan.sqpoll_cpu */
#define ZC_RING_SUBMIT_ALL	(1U << 7) /* Linux 5.18 */

#define ZC_NETNS_PATH_MAX 128
#define ZC_DEVICE_MAX 16
#define ZC_MESSAGE_MAX 256
#define ZC_MAX_THREADS 256
#define ZC_ERRNO_SLOTS 8
#define ZC_MAX_DURATION_NS (3600ULL * 1000000000ULL)
#define ZC_IOV_MAX 64
#define ZC_GSO_SEGMENTS_MAX 128	/* the kernel's UDP_MAX_SEGMENTS (64 before 6.11) */
#define ZC_CPU_SET_BYTES 128	/* a CPU bitmap of CPUs 0..1023 (glibc's CPU_SETSIZE) */
#define ZC_PACE_INTERVAL_MAX_PS 1000000000000000ULL /* 1000 s between requests */

/* One case: every sender thread runs it with a ring and sockets (flows) of its own. */
struct zc_plan {
	uint32_t abi_version;	/* must be ZC_ABI_VERSION */
	uint32_t mode;		/* enum zc_mode */
	uint32_t family;	/* AF_INET or AF_INET6 */
	uint32_t flags;		/* ZC_PLAN_* */
	uint8_t dst_addr[16];	/* network byte order; IPv4 in the first 4 bytes */
	uint16_t dst_port;	/* host byte order */
	/*
	 * UDP only: UDP_SEGMENT size, 0 = none. One request of buf_size bytes
	 * leaves as ceil(buf_size / gso_size) datagrams of gso_size bytes (the
	 * last one shorter): a socket option for send/send_zc, a cmsg on every
	 * request of the msghdr modes (sendmsg, sendmsg_zc, msg_zerocopy, sendto).
	 */
	uint16_t gso_size;
	uint32_t ring_entries;
	uint32_t ring_flags;	/* ZC_RING_* */
	uint32_t batch;		/* requests per submit */
	uint32_t buf_size;	/* payload bytes per request */
	uint32_t buf_count;	/* buffer slots in rotation */
	uint32_t sndbuf;	/* SO_SNDBUF, 0 = leave the default */
	uint32_t buf_offset;	/* payload starts this far into its slot */
	uint32_t buf_align;	/* slot alignment, a power of two (0 = 1) */
	uint32_t pattern;	/* enum zc_pattern */
	uint32_t reuse;		/* enum zc_reuse */
	uint32_t cork;		/* enum zc_cork */
	uint32_t threads;	/* sender threads, 1..ZC_MAX_THREADS */
	uint32_t sqpoll_idle_ms; /* sq_thread_idle with ZC_RING_SQPOLL */
	uint64_t duration_ns;	/* measured window, 1 ns .. ZC_MAX_DURATION_NS */
	uint64_t warmup_ns;	/* excluded from every figure */
	uint64_t max_requests;	/* per thread: stop after this many measured requests, 0 = no cap */
	int16_t cpus[ZC_MAX_THREADS]; /* CPU for thread i, -1 = not pinned */
	char bind_device[ZC_DEVICE_MAX]; /* SO_BINDTODEVICE, "" = none */
	char netns_path[ZC_NETNS_PATH_MAX]; /* "" = the caller's namespace */
	/* ZC_MODE_MIXED only: weight of each enum zc_kind, 0..ZC_MIX_WEIGHT_MAX, sum > 0 */
	uint16_t mix[ZC_KINDS];
	uint32_t mix_order;	/* enum zc_mix_order */
	/*
	 * iovecs per request, 1..ZC_IOV_MAX: the payload split into this many
	 * nearly equal consecutive pieces. msghdr modes: msg_iovlen; send and
	 * send_zc with iov > 1: IORING_SEND_VECTORIZED.
	 */
	uint32_t iov;
	uint64_t mix_seed;	/* ZC_MIX_RANDOM: thread i draws from stream seed + i */
	int32_t sqpoll_cpu;	/* with ZC_RING_SQ_AFF: every thread's SQ thread on this CPU */
	uint32_t cq_entries;	/* IORING_SETUP_CQSIZE with this many CQ entries, 0 = 2 x SQ */
	/* io-wq workers' CPUs (IORING_REGISTER_IOWQ_AFF): bit n of byte n / 8; all 0 = any */
	uint8_t iowq_cpus[ZC_CPU_SET_BYTES];
	/* napi: NAPI busy poll (ring.napi), IORING_REGISTER_NAPI on every thread's ring */
	uint32_t napi_busy_poll_us; /* busy_poll_to, 0 = not registered */
	uint8_t napi_prefer_busy_poll; /* prefer_busy_poll */
	uint8_t napi_pad[3];
	/*
	 * lat-modes: which requests are timed into zc_result.latency. 0: none
	 * (no clock read but the window's, one a batch); 1: every request; N:
	 * one request in N (a countdown across batches). Peak pinned bytes are
	 * counted exactly whatever this says.
	 */
	uint32_t latency_every;
	uint32_t reserved_lat;
	/* flows (issue 24): each thread's sockets, one ring for all of them */
	uint32_t flows;		/* sockets (connections) per thread, 1..ZC_FLOWS_MAX (0 = 1) */
	uint32_t flow_order;	/* enum zc_flow_order */
	uint64_t flow_seed;	/* ZC_FLOW_RANDOM: thread i draws from stream seed + i */
	/*
	 * pacing (rate:): each thread's request n (counted from the start of
	 * the warmup, and again of the window) is due at start + n *
	 * interval_ps / 1000 ns; a batch is due when its first request is.
	 * 0 = unpaced, as fast as the loop goes.
	 */
	uint64_t interval_ps;	/* 0..ZC_PACE_INTERVAL_MAX_PS */
	/* ---- tx-timestamps: transmit timestamps on sampled requests (struct zc_tstamp) */
	uint32_t tstamp_every;	/* one zerocopy request in this many, 0 = off; io_uring modes only */
	uint32_t tstamp_via;	/* enum zc_ts_via */
};

/*
 * A latency histogram in ns with log-linear buckets (HDR-style): values
 * below 32 have a bucket each; above, every power of two [2^e, 2^(e+1)) is
 * cut into 16 equal buckets, so a bucket is at most 1/16 of its lower bound
 * wide. Values from 2^36 ns (68.7 s) on land in the last bucket; max_ns is
 * exact. Bucket b >= 32 starts at (16 + (b - 32) % 16) << (1 + (b - 32) / 16).
 */
#define ZC_HIST_LINEAR 32
#define ZC_HIST_SUB_BITS 4
#define ZC_HIST_TOP_BIT 36
#define ZC_HIST_BUCKETS (ZC_HIST_LINEAR + (ZC_HIST_TOP_BIT - 5) * (1 << ZC_HIST_SUB_BITS))

struct zc_hist {
	uint64_t count;
	uint64_t sum_ns;
	uint64_t min_ns;	/* 0 when count is 0 */
	uint64_t max_ns;
	uint64_t buckets[ZC_HIST_BUCKETS];
};

/* zc_result.latency[] indexes */
enum zc_latency {
	ZC_LAT_COMPLETION = 0,	/* submit -> the request's completion (CQE, or the syscall's return) */
	ZC_LAT_NOTIF = 1,	/* submit -> its notification: the whole time the kernel holds the buffer */
	ZC_LAT_PINNED = 2,	/* completion -> notification: the buffer's extra pinned time */
	/* pacing (interval_ps) only, else empty: timed from the request's intended start */
	ZC_LAT_INTENDED_COMPLETION = 3, /* intended start -> completion */
	ZC_LAT_INTENDED_NOTIF = 4,	/* intended start -> notification */
	ZC_LAT_LATENESS = 5,		/* intended start -> submit: how late the schedule ran */
	ZC_LAT_COUNT = 6,
};

/*
 * The whole machine's CPU time over a thread's measured window: /proc/stat's
 * cpu lines read just before the window opens and just after it closes, raw
 * in USER_HZ ticks (clk_tck per second), converted by the caller. Each row
 * is user nice system idle iowait irq softirq steal (enum zc_cpu_state;
 * guest time is inside user and nice). Total: each counter's earliest start
 * and latest end over the threads, the union of their windows.
 */
#define ZC_MACHINE_CPUS 64
enum zc_cpu_state {
	ZC_CPU_USER = 0,
	ZC_CPU_NICE = 1,
	ZC_CPU_SYSTEM = 2,
	ZC_CPU_IDLE = 3,
	ZC_CPU_IOWAIT = 4,
	ZC_CPU_IRQ = 5,
	ZC_CPU_SOFTIRQ = 6,
	ZC_CPU_STEAL = 7,
	ZC_CPU_STATES = 8,
};

struct zc_cpu_ticks {
	uint64_t start[ZC_CPU_STATES];
	uint64_t end[ZC_CPU_STATES];
};

struct zc_machine {
	uint32_t cpus;		/* per-CPU rows filled, 0 when /proc/stat could not be read */
	uint32_t clk_tck;	/* sysconf(_SC_CLK_TCK): ticks per second */
	uint32_t more_cpus;	/* 1: the machine has CPUs past the rows (the aggregate covers them) */
	uint32_t reserved;
	uint64_t start_ns;	/* CLOCK_MONOTONIC of the two reads */
	uint64_t end_ns;
	struct zc_cpu_ticks all; /* the aggregate "cpu" line */
	struct zc_cpu_ticks cpu[ZC_MACHINE_CPUS];
	uint16_t cpu_id[ZC_MACHINE_CPUS]; /* N of row i's "cpuN" line */
};

/*
 * TCP's view of a sending connection (getsockopt TCP_INFO), read at the
 * window's edges: state at the end, and the change over the window where a
 * counter only grows. A thread's flows, and the total's threads: connections
 * counted, rtt and rttvar of the slowest one, the rest summed.
 */
struct zc_tcp {
	uint32_t connections;	/* connections read at both edges (thread: up to its flows) */
	uint32_t rtt_us;	/* smoothed RTT at the end */
	uint32_t rttvar_us;
	uint32_t snd_cwnd;	/* segments */
	uint32_t snd_mss;	/* bytes */
	uint32_t unacked;	/* segments sent and not acknowledged, at the end */
	uint32_t lost;		/* segments deemed lost, at the end */
	uint32_t retrans;	/* segments retransmitted during the window */
	uint64_t delivery_rate;	/* bytes/s, the kernel's last estimate */
	uint64_t notsent_bytes;	/* written and not yet sent, at the end */
	/* sent and not acknowledged, at the end: bytes_sent - bytes_retrans - (bytes_acked - 1 for the SYN) */
	uint64_t in_flight_bytes;
	uint64_t retrans_bytes;	/* during the window */
	uint64_t busy_us;	/* during the window: time with data outstanding */
	uint64_t rwnd_limited_us; /* ... of it limited by the peer's receive window */
	uint64_t sndbuf_limited_us; /* ... of it limited by the send buffer */
};

/* flows (issue 24): one socket of a thread */
struct zc_flow {
	uint16_t port;		/* its local (source) port, host order: the receiver's key */
	uint16_t reserved0;
	uint32_t reserved1;
	uint64_t requests;	/* successful requests, measured window */
	uint64_t bytes;		/* bytes they reported, measured window */
	uint64_t sent_bytes;	/* every byte the socket took, warmup included: what the receiver gets */
};

/*
 * tx-timestamps: transmit timestamps (SO_TIMESTAMPING with OPT_ID) on one
 * zerocopy request in zc_plan.tstamp_every, split its submit ->
 * notification time at the kernel's stamps. A span is timed only where
 * both its ends are: UDP has no ACK stamp, a device whose driver does not
 * call skb_tx_timestamp() gives no SOFTWARE stamp (the span after the last
 * stamp then starts earlier). Every timed request's spans add up to its
 * own submit -> notification time (ZC_TS_TOTAL), to the ns, unless a stamp
 * is out of order (counted, and its span clamped to 0).
 */
enum zc_ts_via {
	ZC_TS_VIA_AUTO = 0,	/* io_uring's SOCKET_URING_OP_TX_TIMESTAMP where the kernel has it, else the error queue */
	ZC_TS_VIA_URING = 1,	/* SOCKET_URING_OP_TX_TIMESTAMP (Linux 6.17), a multishot command on a CQE32 ring */
	ZC_TS_VIA_ERRQUEUE = 2,	/* recvmsg(MSG_ERRQUEUE) when a multishot POLLERR poll fires */
};

enum zc_ts_span {
	ZC_TS_SCHED = 0,	/* submit -> SCHED (the packet reached the device's queue) */
	ZC_TS_DRIVER = 1,	/* SCHED -> SOFTWARE (the driver took it: skb_tx_timestamp) */
	ZC_TS_ACK = 2,		/* SOFTWARE -> ACK (TCP: the peer acknowledged its last byte) */
	ZC_TS_NOTIF = 3,	/* the last stamp -> the notification */
	ZC_TS_TOTAL = 4,	/* submit -> notification of the same requests */
	ZC_TS_SPANS = 5,
};

struct zc_tstamp {
	uint32_t via;		/* enum zc_ts_via the case read its stamps with, 0 = off */
	uint32_t reserved;
	uint64_t sampled;	/* requests sent asking for stamps */
	uint64_t timed;		/* of them: notified, in the histograms */
	/* of them: closed with no notification, or with a stamp missing before a later one */
	uint64_t incomplete;
	uint64_t unmatched;	/* stamps whose key no open sampled request had */
	uint64_t disordered;	/* timed requests with a stamp before the one before it (span clamped to 0) */
	/* timed requests whose spans' sum is off their submit -> notification by more than its bucket */
	uint64_t mismatched;
	/*
	 * sampled requests notified before a stamp of theirs: the kernel gave
	 * the buffer back before the packet left (it copied the data), so no
	 * span ends at the notification; left out of the histograms
	 */
	uint64_t early;
	uint64_t stamps[3];	/* stamps received: SCHED, SOFTWARE, ACK */
	struct zc_hist hist[ZC_TS_SPANS];
};

struct zc_errno_count {
	int32_t err;		/* -errno */
	uint32_t reserved;
	uint64_t count;
};

/* One thread's figures, or (slot 0 of the array) all threads together. */
struct zc_result {
	int32_t status;		/* 0, or -errno of the failure that ended the case */
	int32_t first_error;	/* first negative request result seen, 0 if none */
	uint64_t requests;	/* successful send completions */
	uint64_t bytes;		/* bytes those completions reported */
	uint64_t elapsed_ns;	/* CLOCK_MONOTONIC, measured window only (total: longest) */
	uint64_t completions;	/* request completions (not notifications) */
	uint64_t notifications;	/* buffer-free notifications (F_NOTIF CQEs, errqueue ids) */
	uint64_t errors;	/* request completions with res < 0 */
	uint64_t short_sends;	/* 0 <= res < buf_size */
	uint64_t user_ns;	/* sender thread CPU, measured window */
	uint64_t sys_ns;
	uint64_t vol_ctxsw;
	uint64_t invol_ctxsw;
	uint64_t zc_copied;	/* notifications whose data the kernel copied */
	uint64_t zc_requests;	/* completions that owe a notification (F_MORE, MSG_ZEROCOPY ids) */
	uint64_t owed_notifications; /* still owed when the case ended (invariant: 0) */
	uint64_t max_outstanding; /* most notifications owed at once */
	uint64_t reuse_busy;	/* slots handed out while the kernel still held them */
	uint64_t notif_unexpected; /* a notification with no zc request owing one */
	uint64_t more_on_notif;	/* F_MORE set on a notification */
	uint64_t more_on_plain;	/* F_MORE on a completion of a copying op */
	uint64_t zc_sent;	/* successful requests of a zerocopy kind (msg_zerocopy: calls' requests) */
	uint64_t kinds[ZC_KINDS]; /* io_uring modes: successful requests by enum zc_kind */
	uint32_t interrupted;	/* 1 when the caller's stop flag ended the case */
	int32_t cpu;		/* CPU the thread was pinned to, -1 = none */
	struct zc_errno_count errnos[ZC_ERRNO_SLOTS]; /* errors by errno, first seen first */
	char message[ZC_MESSAGE_MAX]; /* what failed, for status != 0 */
	/* zerocopy payload bytes submitted and not yet notified, at most (total: sum over threads) */
	uint64_t peak_pinned_bytes;
	/* requests whose timestamps were overwritten before their notification: in no histogram */
	uint64_t latency_lost;
	/* measured window only; total: every thread's buckets merged */
	struct zc_hist latency[ZC_LAT_COUNT];
	struct zc_machine machine;
	struct zc_tcp tcp;
	/* napi: NAPI busy poll (ring.napi) */
	uint32_t napi_threads;	/* rings that took IORING_REGISTER_NAPI (thread: 0 or 1; total: sum) */
	uint32_t napi_id;	/* SO_INCOMING_NAPI_ID at the window's end, 0 = none (total: the highest) */
	/* flows (issue 24): a thread's sockets; the total (res[0]) has none, its threads list them */
	uint32_t flows;
	uint32_t reserved_flows;
	struct zc_flow flow[ZC_FLOWS_MAX];
	struct zc_tstamp tstamp;	/* tx-timestamps */
};

/* Live counters of one thread; plain stores by C once per batch, loads by JS. */
struct zc_progress {
	uint64_t requests;
	uint64_t bytes;
	uint64_t elapsed_ns;	/* into the measured window */
	uint32_t phase;		/* enum zc_phase */
	uint32_t reserved;
};

enum zc_phase {
	ZC_PHASE_SETUP = 0,
	ZC_PHASE_WARMUP = 1,
	ZC_PHASE_MEASURE = 2,
	ZC_PHASE_DRAIN = 3,
	ZC_PHASE_DONE = 4,
};

/* Memory shared with the caller for the whole call: it sets stop, reads progress. */
struct zc_control {
	uint32_t stop;		/* nonzero: end the case within about 100 ms, mid-batch if need be */
	uint32_t reserved;
	struct zc_progress progress[ZC_MAX_THREADS];
};

_Static_assert(sizeof(struct zc_plan) == 984, "zc_plan size");
_Static_assert(offsetof(struct zc_plan, napi_busy_poll_us) == 936, "zc_plan.napi_busy_poll_us");
_Static_assert(offsetof(struct zc_plan, latency_every) == 944, "zc_plan.latency_every");
_Static_assert(offsetof(struct zc_plan, flows) == 952, "zc_plan.flows");
_Static_assert(offsetof(struct zc_plan, interval_ps) == 968, "zc_plan.interval_ps");
_Static_assert(offsetof(struct zc_plan, tstamp_every) == 976, "zc_plan.tstamp_every");
_Static_assert(offsetof(struct zc_plan, dst_addr) == 16, "zc_plan.dst_addr");
_Static_assert(offsetof(struct zc_plan, duration_ns) == 88, "zc_plan.duration_ns");
_Static_assert(offsetof(struct zc_plan, cpus) == 112, "zc_plan.cpus");
_Static_assert(offsetof(struct zc_plan, netns_path) == 640, "zc_plan.netns_path");
_Static_assert(offsetof(struct zc_plan, mix) == 768, "zc_plan.mix");
_Static_assert(offsetof(struct zc_plan, mix_seed) == 792, "zc_plan.mix_seed");
_Static_assert(offsetof(struct zc_plan, sqpoll_cpu) == 800, "zc_plan.sqpoll_cpu");
_Static_assert(offsetof(struct zc_plan, iowq_cpus) == 808, "zc_plan.iowq_cpus");
_Static_assert(sizeof(struct zc_hist) == 4256, "zc_hist size"); /* 32 + 8 * ZC_HIST_BUCKETS */
_Static_assert(ZC_HIST_BUCKETS == 528, "zc_hist buckets");
_Static_assert(sizeof(struct zc_machine) == 8480, "zc_machine size");
_Static_assert(offsetof(struct zc_machine, all) == 32, "zc_machine.all");
_Static_assert(offsetof(struct zc_machine, cpu_id) == 8352, "zc_machine.cpu_id");
_Static_assert(sizeof(struct zc_tcp) == 88, "zc_tcp size");
/* 640 + 6 histograms + machine + tcp + napi + flows + tstamp */
_Static_assert(sizeof(struct zc_flow) == 32, "zc_flow size");
_Static_assert(sizeof(struct zc_tstamp) == 88 + 5 * 4256, "zc_tstamp size");
_Static_assert(sizeof(struct zc_result) == 58176, "zc_result size");
_Static_assert(offsetof(struct zc_result, machine) == 26176, "zc_result.machine");
_Static_assert(offsetof(struct zc_result, tcp) == 34656, "zc_result.tcp");
_Static_assert(offsetof(struct zc_result, napi_threads) == 34744, "zc_result.napi_threads");
_Static_assert(offsetof(struct zc_result, flow) == 34760, "zc_result.flow");
_Static_assert(offsetof(struct zc_result, tstamp) == 36808, "zc_result.tstamp");
_Static_assert(offsetof(struct zc_result, peak_pinned_bytes) == 624, "zc_result.peak_pinned_bytes");
_Static_assert(offsetof(struct zc_result, latency) == 640, "zc_result.latency");
_Static_assert(offsetof(struct zc_result, requests) == 8, "zc_result.requests");
_Static_assert(offsetof(struct zc_result, zc_sent) == 160, "zc_result.zc_sent");
_Static_assert(offsetof(struct zc_result, interrupted) == 232, "zc_result.interrupted");
_Static_assert(offsetof(struct zc_result, message) == 368, "zc_result.message");
_Static_assert(sizeof(struct zc_control) == 8 + 32 * ZC_MAX_THREADS, "zc_control size");

/* ---- capability probe ------------------------------------------------- */

/* zc_probe.works[] indexes: 0 = works, else -errno of the tiny real request */
enum zc_feature {
	ZC_FEAT_SEND_ZC = 0,
	ZC_FEAT_SENDMSG_ZC = 1,
	ZC_FEAT_REPORT_USAGE = 2,
	ZC_FEAT_COOP_TASKRUN = 3,
	ZC_FEAT_SINGLE_ISSUER = 4,
	ZC_FEAT_DEFER_TASKRUN = 5,
	ZC_FEAT_TASKRUN_FLAG = 6,
	ZC_FEAT_SQPOLL = 7,
	ZC_FEAT_FIXED_BUF_SEND = 8,
	ZC_FEAT_FIXED_BUF_SEND_ZC = 9,
	ZC_FEAT_FIXED_BUF_SENDMSG_ZC = 10,
	ZC_FEAT_HUGETLB = 11,
	ZC_FEAT_NETNS = 12,
	ZC_FEAT_MSG_ZEROCOPY = 13,
	ZC_FEAT_REG_RING_FD = 14,
	ZC_FEAT_POLL_FIRST = 15,
	ZC_FEAT_UDP_SEGMENT = 16,	/* UDP_SEGMENT accepted and a GSO datagram sent on loopback */
	ZC_FEAT_SEND_VECTORIZED = 17,	/* IORING_SEND_VECTORIZED on send_zc */
	ZC_FEAT_NO_SQARRAY = 18,	/* IORING_SETUP_NO_SQARRAY, one NOP (Linux 6.6) */
	ZC_FEAT_SQ_AFF = 19,		/* SQPOLL|SQ_AFF on a CPU of ours, one NOP */
	ZC_FEAT_CQSIZE = 20,		/* IORING_SETUP_CQSIZE, the CQ as asked */
	ZC_FEAT_SUBMIT_ALL = 21,	/* IORING_SETUP_SUBMIT_ALL (Linux 5.18) */
	ZC_FEAT_IOWQ_AFF = 22,		/* IORING_REGISTER_IOWQ_AFF (Linux 5.14) */
	ZC_FEAT_BACKGROUND_POLL = 23,	/* IORING_OP_POLL_ADD POLLIN fires on a datagram */
	ZC_FEAT_NAPI = 24,		/* IORING_REGISTER_NAPI then UNREGISTER (Linux 6.9) */
	ZC_FEAT_TX_TIMESTAMP = 25,	/* SOCKET_URING_OP_TX_TIMESTAMP posts a datagram's stamp (Linux 6.17) */
	ZC_FEAT_COUNT = 26,
};

#define ZC_PROBE_OPS 256

struct zc_probe {
	uint32_t ops_last;	/* IORING_REGISTER_PROBE's last_op + 1, 0 if refused */
	int32_t probe_status;	/* 0 or -errno of IORING_REGISTER_PROBE */
	int32_t works[ZC_FEAT_COUNT];
	uint8_t ops[ZC_PROBE_OPS]; /* 1 where IO_URING_OP_SUPPORTED */
	char liburing[16];	/* liburing version built against */
};

_Static_assert(sizeof(struct zc_probe) == 384, "zc_probe size");

ZC_EXPORT uint32_t zc_abi_version(void);
ZC_EXPORT uint32_t zc_plan_size(void);
ZC_EXPORT uint32_t zc_result_size(void);
ZC_EXPORT uint32_t zc_control_size(void);
ZC_EXPORT uint32_t zc_probe_size(void);

/*
 * Run one case to its end: plan->threads sender threads of its own (which
 * enter plan->netns_path, so the caller's thread never changes namespace).
 * res points to plan->threads + 1 results: res[0] the total, res[1 + i]
 * thread i. ctl may be NULL; else the caller may set ctl->stop at any time
 * and read ctl->progress[i] while the call runs. Returns 0 or -errno;
 * res[0].message says what failed. Blocks for warmup + duration, plus the
 * wait for the notifications still owed; a peer that takes nothing for 5 s
 * ends the case with -ETIMEDOUT, and ctl->stop ends it within about 100 ms.
 */
ZC_EXPORT int zc_run_case(const struct zc_plan *plan, struct zc_result *res,
			  struct zc_control *ctl);

/* What this kernel and process can do, each tried with a tiny real request on loopback. */
ZC_EXPORT int zc_probe(struct zc_probe *out);

/*
 * The built-in receiver of the loopback and pair targets: a thread of its
 * own (in cfg->netns_path when set, pinned to cfg->cpu when >= 0) that
 * counts what arrives and compares it with the case's pattern, as
 * cfg->verify says. Byte i of a payload is f(i); a UDP datagram is one
 * payload, a TCP stream is payloads back to back (byte n is f(n mod size));
 * f is enum zc_pattern. Counters are read by copying, never per packet.
 */
enum zc_proto {
	ZC_PROTO_UDP = 0,
	ZC_PROTO_TCP = 1,
};

/* how much of what arrives the receiver compares with the pattern */
enum zc_verify {
	/* every byte: the kernel copies all of it out, one memcmp per datagram or read */
	ZC_VERIFY_FULL = 0,
	/*
	 * the first sample_bytes of every datagram (UDP) or read (TCP), and one
	 * datagram or read in every sample_every in full; the kernel discards
	 * the rest uncopied (MSG_TRUNC)
	 */
	ZC_VERIFY_SAMPLE = 1,
	/* nothing: count bytes only, the kernel copies none (MSG_TRUNC) */
	ZC_VERIFY_OFF = 2,
};

#define ZC_RX_SAMPLE_MAX 65536

struct zc_rx_config {
	uint32_t abi_version;	/* must be ZC_ABI_VERSION */
	uint32_t family;	/* AF_INET or AF_INET6 */
	uint32_t proto;		/* enum zc_proto */
	uint16_t port;		/* host byte order, 0 = any free port */
	uint16_t reserved0;
	uint8_t addr[16];	/* bind address, network order */
	uint32_t rcvbuf;	/* SO_RCVBUF(FORCE), 0 = leave the default */
	uint32_t verify;	/* enum zc_verify */
	uint32_t sample_bytes;	/* ZC_VERIFY_SAMPLE: 1..ZC_RX_SAMPLE_MAX */
	uint32_t sample_every;	/* ZC_VERIFY_SAMPLE: one datagram or read in this many in full, >= 1 */
	int32_t cpu;		/* pin the receiver thread to this CPU, -1 = not pinned */
	uint32_t reserved1;
	char netns_path[ZC_NETNS_PATH_MAX]; /* "" = the caller's namespace */
};

struct zc_rx_stats {
	int32_t status;		/* 0, or -errno of the failure that stopped it */
	uint16_t port;		/* the port it listens on */
	uint16_t reserved0;
	/*
	 * UDP datagrams as they were on the wire (0 for TCP): with a segment
	 * size expected, a read that UDP_GRO coalesced counts ceil(len / size)
	 */
	uint64_t datagrams;
	uint64_t bytes;		/* payload bytes received */
	uint64_t mismatches;	/* received bytes that differ from the pattern */
	uint64_t connections;	/* TCP connections accepted */
	uint64_t idle_ns;	/* since the last byte arrived (or since start) */
	uint64_t checked;	/* received bytes compared with the pattern */
	uint64_t cpu_ns;	/* the receiver thread's CPU time (user + sys) since start */
	uint64_t now_ns;	/* CLOCK_MONOTONIC when these were read */
	char message[ZC_MESSAGE_MAX]; /* what failed, for status != 0 */
	/* pair-speed: how the receiver read, to tell its own cost and batching */
	uint64_t reads;		/* recv/recvmmsg calls that returned data */
};

_Static_assert(sizeof(struct zc_rx_config) == 184, "zc_rx_config size");
_Static_assert(offsetof(struct zc_rx_config, addr) == 16, "zc_rx_config.addr");
_Static_assert(offsetof(struct zc_rx_config, cpu) == 48, "zc_rx_config.cpu");
_Static_assert(offsetof(struct zc_rx_config, netns_path) == 56, "zc_rx_config.netns_path");
_Static_assert(sizeof(struct zc_rx_stats) == 336, "zc_rx_stats size");
_Static_assert(offsetof(struct zc_rx_stats, reads) == 328, "zc_rx_stats.reads");
_Static_assert(offsetof(struct zc_rx_stats, datagrams) == 8, "zc_rx_stats.datagrams");
_Static_assert(offsetof(struct zc_rx_stats, checked) == 48, "zc_rx_stats.checked");
_Static_assert(offsetof(struct zc_rx_stats, message) == 72, "zc_rx_stats.message");

struct zc_rx;

ZC_EXPORT uint32_t zc_rx_config_size(void);
ZC_EXPORT uint32_t zc_rx_stats_size(void);

/*
 * Start a receiver; returns once it listens (st->port) or failed (-errno,
 * st->message). *rx is NULL on failure.
 */
ZC_EXPORT int zc_rx_start(const struct zc_rx_config *cfg, struct zc_rx **rx,
			  struct zc_rx_stats *st);
/*
 * Verify what arrives from now on against this pattern and payload size;
 * returns once the receiver thread has switched (0, -EINVAL, -ETIMEDOUT).
 * segment > 0 (UDP): the sender segments each payload into datagrams of
 * this size (UDP GSO); the receiver reads them with UDP_GRO and checks
 * them as consecutive pieces of the payload.
 */
ZC_EXPORT int zc_rx_expect(struct zc_rx *rx, uint32_t pattern, uint32_t size, uint32_t segment);
/* Copy the counters (cumulative since start). */
ZC_EXPORT void zc_rx_read(struct zc_rx *rx, struct zc_rx_stats *st);
/*
 * Flows (issue 24): the payload bytes received from each of n peer (source)
 * ports since the last zc_rx_expect, into bytes[i] for ports[i]; one call
 * per case, never per packet.
 */
ZC_EXPORT void zc_rx_flow_bytes(struct zc_rx *rx, const uint16_t *ports, uint32_t n,
				uint64_t *bytes);
/* Stop the thread, close its sockets, fill st a last time, free rx. */
ZC_EXPORT void zc_rx_stop(struct zc_rx *rx, struct zc_rx_stats *st);

#endif
