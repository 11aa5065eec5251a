/* SPDX-License-Identifier: MIT */
/*
 * The phases every mode shares: set up, warm up (then forget what was
 * counted), the measured window, then wait for the notifications still
 * owed. A mode supplies only its batch (prepare and send `nr` requests,
 * reap them) and its drain; so every mode runs the same loop shape and
 * they compare fairly. Nothing here allocates per request.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "internal.h"

static uint64_t tv_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * NSEC_PER_SEC + (uint64_t)tv->tv_usec * 1000ULL;
}

static void set_phase(struct exec *e, uint32_t phase)
{
	if (e->progress)
		__atomic_store_n(&e->progress->phase, phase, __ATOMIC_RELAXED);
}

/* once per batch: three stores the caller polls, never a call across the FFI */
static void publish_progress(struct exec *e, uint64_t elapsed)
{
	struct zc_progress *p = e->progress;

	if (!p)
		return;
	__atomic_store_n(&p->requests, e->c.requests, __ATOMIC_RELAXED);
	__atomic_store_n(&p->bytes, e->c.bytes, __ATOMIC_RELAXED);
	__atomic_store_n(&p->elapsed_ns, elapsed, __ATOMIC_RELAXED);
}

static unsigned next_batch(const struct exec *e)
{
	const struct zc_plan *p = e->plan;
	uint64_t left;

	if (!p->max_requests)
		return p->batch;
	if (e->c.completions >= p->max_requests)
		return 0;
	left = p->max_requests - e->c.completions;
	return left < p->batch ? (unsigned)left : p->batch;
}

static int send_loop(struct exec *e, const struct mode_ops *ops)
{
	const struct zc_plan *p = e->plan;
	struct zc_result *res = e->res;
	struct rusage ru0, ru1;
	uint64_t t0, t, end;
	unsigned nr;
	int ret;

	/* warmup: same loop, then forget everything it counted */
	set_phase(e, ZC_PHASE_WARMUP);
	t0 = zc_now_ns();
	/* paced: the warmup keeps the schedule too, and the window starts one of its own */
	if (p->interval_ps)
		zc_pace_begin(e, t0);
	for (end = t0 + p->warmup_ns; p->warmup_ns && zc_now_ns() < end;) {
		if (zc_stop_requested(e) || (p->interval_ps && zc_pace_wait(e, end)))
			break;
		ret = ops->batch(e, p->batch);
		if (ret)
			return ret;
		if (p->interval_ps)
			zc_pace_sent(e, p->batch);
	}
	ret = ops->drain(e);
	if (ret)
		return ret;
	memset(&e->c, 0, sizeof(e->c));
	zc_ts_reset(&e->ts);

	set_phase(e, ZC_PHASE_MEASURE);
	zc_window_begin(e);
	getrusage(RUSAGE_THREAD, &ru0);
	t0 = t = zc_now_ns();
	end = t0 + p->duration_ns;
	if (p->interval_ps)
		zc_pace_begin(e, t0);
	while (t < end && (nr = next_batch(e))) {
		if (zc_stop_requested(e))
			break;
		/* nothing due before the window's end: it closes there, the whole window counts */
		if (p->interval_ps && zc_pace_wait(e, end)) {
			t = zc_now_ns();
			break;
		}
		ret = ops->batch(e, nr);
		if (ret)
			return ret;
		if (p->interval_ps)
			zc_pace_sent(e, nr);
		/* a stopped batch may have left early, before its last stamp */
		t = zc_stop_requested(e) ? zc_now_ns() : zc_batch_end(e);
		publish_progress(e, t - t0);
	}
	getrusage(RUSAGE_THREAD, &ru1);
	zc_window_end(e);
	res->elapsed_ns = t - t0;
	res->user_ns = tv_ns(&ru1.ru_utime) - tv_ns(&ru0.ru_utime);
	res->sys_ns = tv_ns(&ru1.ru_stime) - tv_ns(&ru0.ru_stime);
	res->vol_ctxsw = (uint64_t)(ru1.ru_nvcsw - ru0.ru_nvcsw);
	res->invol_ctxsw = (uint64_t)(ru1.ru_nivcsw - ru0.ru_nivcsw);
	res->interrupted = zc_stop_requested(e);

	/* the measured requests' notifications belong to them */
	set_phase(e, ZC_PHASE_DRAIN);
	e->closing = true;
	ret = ops->drain(e);
	zc_ts_close(&e->ts);
	return ret;
}

/* flows (issue 24): each socket's port, its window's counts, all it sent */
static void publish_flows(const struct exec *e)
{
	struct zc_result *res = e->res;
	unsigned f;

	res->flows = e->flows;
	for (f = 0; f < e->flows; f++) {
		struct zc_flow *o = &res->flow[f];

		o->port = zc_flow_port(e, f);
		o->requests = e->c.flow_requests[f];
		o->bytes = e->c.flow_bytes[f];
		o->sent_bytes = e->flow_sent[f];
	}
}

static void publish(const struct exec *e)
{
	const struct counters *c = &e->c;
	struct zc_result *res = e->res;

	res->requests = c->requests;
	res->bytes = c->bytes;
	res->completions = c->completions;
	res->notifications = c->notifications;
	res->errors = c->errors;
	res->short_sends = c->short_sends;
	res->first_error = c->first_error;
	res->zc_copied = c->zc_copied;
	res->zc_requests = c->zc_requests;
	res->owed_notifications = c->owed;
	res->max_outstanding = c->max_outstanding;
	res->reuse_busy = c->reuse_busy;
	res->notif_unexpected = c->notif_unexpected;
	res->more_on_notif = c->more_on_notif;
	res->more_on_plain = c->more_on_plain;
	res->zc_sent = c->zc_sent;
	memcpy(res->kinds, c->kinds, sizeof(res->kinds));
	memcpy(res->errnos, c->errnos, sizeof(res->errnos));
	zc_lat_publish(&c->lat, res);
	publish_flows(e);
	zc_ts_publish(&e->ts, res);
}

int zc_exec_case(struct exec *e)
{
	const struct zc_plan *p = e->plan;
	const struct mode_ops *ops;
	int ret;
	unsigned f;

	for (f = 0; f < ZC_FLOWS_MAX; f++)
		e->fds[f] = -1;
	ops = p->mode == ZC_MODE_MSG_ZEROCOPY || p->mode == ZC_MODE_SENDTO ?
		&zc_syscall_ops : &zc_uring_ops;
	zc_window_open(e);
	e->tcp = p->flags & ZC_PLAN_TCP;
	e->zc = p->mode == ZC_MODE_MSG_ZEROCOPY || zc_plan_has_kind(p, ZC_KIND_ZC);
	e->lat_every = p->latency_every;

	ret = zc_setup_buffers(e);
	/*
	 * sendto times each call as it returns: no record to keep; the io_uring
	 * modes keep none untimed (the CQE says what a request pinned);
	 * msg_zerocopy keeps what each id pinned, timed or not.
	 */
	if (!ret && p->mode != ZC_MODE_SENDTO && (p->latency_every || ops == &zc_syscall_ops)) {
		e->lat_recs = calloc(ZC_LAT_RING, sizeof(*e->lat_recs));
		if (!e->lat_recs)
			ret = zc_fail(e->res, -ENOMEM, "no memory for the latency records");
	}
	if (!ret)
		ret = zc_setup_socket(e);
	if (!ret)
		ret = ops->setup(e);
	if (e->on_ready)
		e->on_ready(e->ready_arg);
	if (!ret) {
		ret = send_loop(e, ops);
		publish(e);
	}
	set_phase(e, ZC_PHASE_DONE);
	ops->teardown(e);
	for (f = 0; f < ZC_FLOWS_MAX; f++)
		if (e->fds[f] >= 0)
			close(e->fds[f]);
	free(e->busy);
	free(e->lat_recs);
	zc_window_close(e);
	if (e->buf)
		munmap(e->buf, e->buf_len);
	return ret;
}
