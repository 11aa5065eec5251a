/* SPDX-License-Identifier: MIT */
/*
 * tx-timestamps: a sender thread's transmit timestamps (struct zc_tstamp in
 * zcspec.h). One zerocopy request in zc_plan.tstamp_every carries a
 * SO_TIMESTAMPING cmsg asking for SCHED, SOFTWARE and (TCP) ACK stamps;
 * the socket option itself only sets how they are reported (OPT_ID,
 * OPT_TSONLY, SOFTWARE), so the other requests generate no stamp and cost
 * one counter decrement each. The stamps come back on io_uring
 * (SOCKET_URING_OP_TX_TIMESTAMP) or from the error queue; each is matched
 * to its request by the OPT_ID key, the notification by the request's tag.
 */
#ifndef ZCSPEC_TSTAMP_H
#define ZCSPEC_TSTAMP_H

#include <liburing.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "zcspec.h"

/* how long the case's end waits for the stamps of requests already notified */
#define ZC_TS_SETTLE_NS (50ULL * 1000000ULL)

/* sampled requests open at once, at most: the oldest is closed as it is when a new one needs its slot */
#define ZC_TS_RING 256U

/* the stamps of a request, in the order the kernel takes them */
enum { TS_SCHED = 0, TS_SOFTWARE = 1, TS_ACK = 2, TS_POINTS = 3 };

struct zc_ts_rec {
	uint64_t submit_ns;	/* CLOCK_MONOTONIC (zc_now_ns), as the latency records */
	uint64_t notif_ns;	/* 0: not notified yet */
	uint64_t stamp[TS_POINTS]; /* the kernel's stamps turned CLOCK_MONOTONIC, 0 = none */
	uint32_t key;		/* the OPT_ID the kernel reports its stamps with */
	uint32_t tag;		/* the request's latency tag (user_data) */
	bool open;
};

struct zc_ts {
	uint32_t every;		/* 0: off */
	uint32_t countdown;	/* zerocopy requests until the next sampled one */
	uint32_t via;		/* enum zc_ts_via in use */
	unsigned want;		/* stamps a request gets at most: 3 over TCP, 2 over UDP */
	/* CLOCK_REALTIME - CLOCK_MONOTONIC in ns, read once at setup (tstamp.c says why) */
	int64_t rt_offset;
	uint64_t next;		/* sample number of the next sampled request */
	uint64_t oldest;	/* the oldest sample number that may still be open */
	uint64_t unsubmitted;	/* sample numbers from here on wait for their batch's submit time */
	unsigned unsettled;	/* open records notified, waiting for a stamp */
	bool rearm;		/* the multishot command or poll ended: arm it with the next batch */
	bool read_errqueue;	/* the POLLERR poll fired: read the error queue after this pass */
	struct zc_ts_rec *recs;	/* ZC_TS_RING */
	/* a sampled msghdr's control: the case's UDP_SEGMENT cmsg (if any), then SO_TIMESTAMPING */
	union {
		char buf[CMSG_SPACE(sizeof(uint16_t)) + CMSG_SPACE(sizeof(uint32_t))];
		struct cmsghdr align;
	} ctl;
	size_t ctl_len;
	struct zc_tstamp out;
};

struct exec;

/* setsockopt, records, the reading path armed (io_uring modes, after the ring is up): 0 or -errno */
int zc_ts_setup(struct exec *e);
void zc_ts_teardown(struct exec *e);
/* the warmup's figures forgotten; its open requests closed uncounted */
void zc_ts_reset(struct zc_ts *ts);
/* arm the multishot command (or poll) again if it ended; goes with the next submit: SQEs added */
unsigned zc_ts_rearm(struct exec *e);
/* request `seq` (latency tag `tag`) is sampled: its record opened, msg's control set */
void zc_ts_sample(struct exec *e, struct msghdr *msg, uint64_t seq, uint32_t tag);
/* the msghdr of a request not sampled: the case's own control back */
void zc_ts_plain(const struct exec *e, struct msghdr *msg);
/* the batch's sampled requests entered the kernel at t */
void zc_ts_submitted(struct zc_ts *ts, uint64_t t);
/* a CQE of the timestamp command or poll */
void zc_ts_cqe(struct exec *e, const struct io_uring_cqe *cqe);
/* a sampled request's notification, seen at t */
void zc_ts_notified(struct zc_ts *ts, uint32_t tag, uint64_t t);
/* after a reap pass: read the error queue when its poll fired */
void zc_ts_after_pass(struct exec *e);
/* tstamp_read.c: arm the reader (auto: io_uring, else the error queue when the command fails at once) */
int zc_ts_arm_reader(struct exec *e, bool fallback);
/* a stamp of the kernel's (SCM_TSTAMP_* type, CLOCK_REALTIME ns) to its request's record */
void zc_ts_stamp(struct zc_ts *ts, uint32_t key, uint32_t type, uint64_t rt_ns);
/* every open record closed into the figures (the case's end) */
void zc_ts_close(struct zc_ts *ts);
/* the figures of a thread into its result, and the threads' into the total */
void zc_ts_publish(const struct zc_ts *ts, struct zc_result *res);
void zc_ts_total(struct zc_result *t, const struct zc_result *r);

/* the countdown of sampling: true for the request to sample (inline: it runs per zerocopy request) */
static inline bool zc_ts_pick(struct zc_ts *ts)
{
	if (!ts->every || --ts->countdown)
		return false;
	ts->countdown = ts->every;
	return true;
}

#endif
