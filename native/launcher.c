/* SPDX-License-Identifier: MIT */
/*
 * Entry point: checks the plan, then runs the case on sender threads of its
 * own. The caller is one of libuv's pooled worker threads; setns() on it
 * would leave that reused thread inside the target namespace, so the
 * namespace is entered only by the private threads, which die with the case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* every thread arrives once, set up or failed; then all start together */
struct gate {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned waiting, total;
};

struct sender {
	struct exec e;
	struct gate *gate;
	pthread_t thread;
	bool started;
};

static void gate_arrive(void *arg)
{
	struct gate *g = arg;

	pthread_mutex_lock(&g->lock);
	if (++g->waiting == g->total)
		pthread_cond_broadcast(&g->cond);
	while (g->waiting < g->total)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
}

static int enter_netns(const char *path, struct zc_result *res)
{
	char why[ZC_MESSAGE_MAX];
	int ret = zc_enter_netns(path, why, sizeof(why));

	return ret ? zc_fail(res, ret, "%s", why) : 0;
}

static int pin(int cpu, struct zc_result *res)
{
	cpu_set_t set;
	int ret;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	ret = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (ret)
		return zc_fail(res, -ret, "pin to CPU %d: %s", cpu, strerror(ret));
	return 0;
}

static void *sender_thread(void *arg)
{
	struct sender *s = arg;
	struct exec *e = &s->e;
	int cpu = e->res->cpu;

	/* so that top -H and perf (--comm zcspec-tx) tell it from node's threads and the receiver */
	pthread_setname_np(pthread_self(), "zcspec-tx");
	if ((e->plan->netns_path[0] && enter_netns(e->plan->netns_path, e->res)) ||
	    (cpu >= 0 && pin(cpu, e->res))) {
		gate_arrive(s->gate);
		return NULL;
	}
	zc_exec_case(e);
	return NULL;
}

static int check_mix(const struct zc_plan *p, struct zc_result *res)
{
	uint32_t total = 0;
	unsigned k;

	for (k = 0; k < ZC_KINDS; k++) {
		if (p->mix[k] > ZC_MIX_WEIGHT_MAX)
			return zc_fail(res, -EINVAL, "mix weight %u of kind %u is over %u",
				       p->mix[k], k, ZC_MIX_WEIGHT_MAX);
		total += p->mix[k];
	}
	if (!total)
		return zc_fail(res, -EINVAL, "a mixed plan needs a weight above 0");
	if (p->mix_order > ZC_MIX_ROTATE)
		return zc_fail(res, -EINVAL, "unknown mix order %u", p->mix_order);
	/* a registered-buffer kind with nothing registered would send from index 0 of nothing */
	if (zc_plan_has_kind(p, ZC_KIND_FIXED) && !(p->flags & ZC_PLAN_FIXED_BUF))
		return zc_fail(res, -EINVAL, "the mix has registered-buffer kinds, the plan registers none");
	return 0;
}

/*
 * A send or send_zc request from a registered buffer with iov > 1. Linux
 * 6.17 ignored IORING_SEND_VECTORIZED beside IORING_RECVSEND_FIXED_BUF: it
 * took the iovec array's address for the payload's (-EFAULT, or its own
 * bytes sent when it lay in the buffer); later kernels and stable updates
 * refuse the pair with -EINVAL. So it is never sent.
 */
static bool vectored_fixed_send(const struct zc_plan *p)
{
	if (p->iov < 2)
		return false;
	if (p->mode == ZC_MODE_MIXED)
		return p->mix[ZC_KIND_SEND_FIXED] || p->mix[ZC_KIND_SEND_ZC_FIXED];
	return (p->mode == ZC_MODE_SEND || p->mode == ZC_MODE_SEND_ZC) &&
	       (p->flags & ZC_PLAN_FIXED_BUF);
}

/*
 * The most payload one UDP GSO send carries: with gso_size the kernel's
 * __ip_append_data and __ip6_append_data allow IP_MAX_MTU (65535) less the
 * IPv4 and UDP headers, and IP6_MAX_MTU (65535 + 40) less the IPv6 and UDP
 * headers; a plain datagram's own limit, as it happens.
 */
#define GSO_PAYLOAD_MAX_V4 65507U
#define GSO_PAYLOAD_MAX_V6 65527U

/* udp_send_skb()'s checks, said before anything is sent (it checks the MTU itself) */
static int check_gso(const struct zc_plan *p, struct zc_result *res)
{
	uint32_t max = p->family == AF_INET6 ? GSO_PAYLOAD_MAX_V6 : GSO_PAYLOAD_MAX_V4;
	uint32_t segs = (p->buf_size + p->gso_size - 1) / p->gso_size;

	if (p->flags & ZC_PLAN_TCP)
		return zc_fail(res, -EINVAL, "gso_size %u: UDP_SEGMENT is UDP only", p->gso_size);
	/* a corked datagram holds several payloads: its segments would straddle them */
	if (p->cork != ZC_CORK_NONE)
		return zc_fail(res, -EINVAL, "gso_size %u with cork is not supported", p->gso_size);
	if (p->buf_size > max)
		return zc_fail(res, -EMSGSIZE,
			       "buffer size %u is over %u, the most one UDP GSO send carries over IPv%c",
			       p->buf_size, max, p->family == AF_INET6 ? '6' : '4');
	if (segs > ZC_GSO_SEGMENTS_MAX)
		return zc_fail(res, -EINVAL,
			       "buffer size %u in segments of %u is %u segments, over the kernel's %u (UDP_MAX_SEGMENTS)",
			       p->buf_size, p->gso_size, segs, ZC_GSO_SEGMENTS_MAX);
	return 0;
}

static int check_plan(const struct zc_plan *p, struct zc_result *res)
{
	if (p->abi_version != ZC_ABI_VERSION)
		return zc_fail(res, -EINVAL, "plan ABI %u, library ABI %u",
			       p->abi_version, ZC_ABI_VERSION);
	if (p->mode > ZC_MODE_MIXED)
		return zc_fail(res, -EINVAL, "unknown mode %u", p->mode);
	if (p->mode == ZC_MODE_MIXED && check_mix(p, res))
		return res->status;
	if (!p->threads || p->threads > ZC_MAX_THREADS)
		return zc_fail(res, -EINVAL, "threads %u must be 1..%u", p->threads, ZC_MAX_THREADS);
	if (!p->batch || p->batch > p->ring_entries)
		return zc_fail(res, -EINVAL, "batch %u must be 1..ring entries (%u)",
			       p->batch, p->ring_entries);
	if (!p->iov || p->iov > ZC_IOV_MAX || p->iov > p->buf_size)
		return zc_fail(res, -EINVAL, "iov %u must be 1..%u and at most the buffer size",
			       p->iov, ZC_IOV_MAX);
	if (vectored_fixed_send(p))
		return zc_fail(res, -EINVAL,
			       "iov %u on send/send_zc from registered buffers: IORING_SEND_VECTORIZED takes none",
			       p->iov);
	if (p->gso_size && check_gso(p, res))
		return res->status;
	if (!p->buf_size || !p->buf_count)
		return zc_fail(res, -EINVAL, "buffer size and count must be > 0");
	if (p->reuse > ZC_REUSE_AFTER_NOTIF || p->pattern > ZC_PATTERN_SEQUENCE ||
	    p->cork > ZC_CORK_MSG_MORE)
		return zc_fail(res, -EINVAL, "unknown reuse, pattern or cork value");
	/* a slot of this batch cannot wait for a notification of this batch */
	if (p->reuse == ZC_REUSE_AFTER_NOTIF && p->buf_count < p->batch)
		return zc_fail(res, -EINVAL,
			       "reuse after_notification needs buffers.count (%u) >= batch (%u)",
			       p->buf_count, p->batch);
	if ((p->flags & ZC_PLAN_TCP) && !(p->flags & ZC_PLAN_CONNECT))
		return zc_fail(res, -EINVAL, "a TCP socket must be connected");
	if ((p->ring_flags & ZC_RING_SQ_AFF) && p->sqpoll_cpu < 0)
		return zc_fail(res, -EINVAL, "sq_aff needs an SQ thread CPU (sqpoll_cpu %d)",
			       p->sqpoll_cpu);
	/* the poll is an io_uring request: the syscall modes have no ring for it */
	if ((p->flags & ZC_PLAN_BACKGROUND_POLL) &&
	    (p->mode == ZC_MODE_MSG_ZEROCOPY || p->mode == ZC_MODE_SENDTO))
		return zc_fail(res, -EINVAL, "the background poll needs an io_uring mode");
	if (p->flows > ZC_FLOWS_MAX || p->flow_order > ZC_FLOW_RANDOM)
		return zc_fail(res, -EINVAL, "flows %u must be 0..%u, flow order 0 or 1",
			       p->flows, ZC_FLOWS_MAX);
	/* msg_zerocopy's ids and a cork's batch belong to one socket */
	if (p->flows > 1 && (p->mode == ZC_MODE_MSG_ZEROCOPY || p->cork != ZC_CORK_NONE))
		return zc_fail(res, -EINVAL, "flows %u with msg_zerocopy or cork: one flow only",
			       p->flows);
	/* OPT_ID keys and the stamp reader belong to one socket (tstamp.c) */
	if (p->flows > 1 && p->tstamp_every)
		return zc_fail(res, -EINVAL, "flows %u with timestamps: one flow only", p->flows);
	/* user_data holds a request's slot in 24 bits */
	if (p->buf_count > UD_SLOT_MASK + 1)
		return zc_fail(res, -EINVAL, "at most %llu buffer slots", UD_SLOT_MASK + 1);
	/* keeps request n's due time (n * interval_ps, pace.c) far from 64-bit overflow */
	if (p->interval_ps > ZC_PACE_INTERVAL_MAX_PS)
		return zc_fail(res, -EINVAL, "interval_ps %llu is over %llu (1000 s)",
			       (unsigned long long)p->interval_ps, ZC_PACE_INTERVAL_MAX_PS);
	if ((p->flags & ZC_PLAN_FIXED_BUF) && p->buf_count > UINT16_MAX)
		return zc_fail(res, -EINVAL, "at most %u registered buffers", UINT16_MAX);
	/* every send loop must stop by itself, whatever the caller asked */
	if (!p->duration_ns || p->duration_ns > ZC_MAX_DURATION_NS ||
	    p->warmup_ns > ZC_MAX_DURATION_NS)
		return zc_fail(res, -EINVAL, "duration must be 1 ns..1 h, warmup at most 1 h");
	if (!memchr(p->netns_path, 0, sizeof(p->netns_path)) ||
	    !memchr(p->bind_device, 0, sizeof(p->bind_device)))
		return zc_fail(res, -EINVAL, "netns path or bind device is not terminated");
	return 0;
}

static void add_errnos(struct zc_result *t, const struct zc_result *r)
{
	unsigned i;

	for (i = 0; i < ZC_ERRNO_SLOTS && r->errnos[i].err; i++)
		zc_count_errno(t->errnos, r->errnos[i].err, r->errnos[i].count);
}

#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* res[0] = every thread together: sums, the longest window, the first failure */
static void total(struct zc_result *res, unsigned n)
{
	struct zc_result *t = &res[0];
	unsigned i, k;

	t->cpu = -1;
	for (i = 1; i <= n; i++) {
		const struct zc_result *r = &res[i];

		if (r->status && !t->status) {
			t->status = r->status;
			memcpy(t->message, r->message, sizeof(t->message));
		}
		if (!t->first_error)
			t->first_error = r->first_error;
		t->requests += r->requests;
		t->bytes += r->bytes;
		t->elapsed_ns = MAX(t->elapsed_ns, r->elapsed_ns);
		t->completions += r->completions;
		t->notifications += r->notifications;
		t->errors += r->errors;
		t->short_sends += r->short_sends;
		t->user_ns += r->user_ns;
		t->sys_ns += r->sys_ns;
		t->vol_ctxsw += r->vol_ctxsw;
		t->invol_ctxsw += r->invol_ctxsw;
		t->zc_copied += r->zc_copied;
		t->zc_requests += r->zc_requests;
		t->owed_notifications += r->owed_notifications;
		t->max_outstanding = MAX(t->max_outstanding, r->max_outstanding);
		t->reuse_busy += r->reuse_busy;
		t->notif_unexpected += r->notif_unexpected;
		t->more_on_notif += r->more_on_notif;
		t->more_on_plain += r->more_on_plain;
		t->zc_sent += r->zc_sent;
		for (k = 0; k < ZC_KINDS; k++)
			t->kinds[k] += r->kinds[k];
		t->interrupted |= r->interrupted;
		add_errnos(t, r);
		zc_lat_total(t, r);
		zc_window_total(t, r);
		zc_ts_total(t, r);
	}
}

int zc_run_case(const struct zc_plan *plan, struct zc_result *res, struct zc_control *ctl)
{
	struct gate gate = {
		.lock = PTHREAD_MUTEX_INITIALIZER,
		.cond = PTHREAD_COND_INITIALIZER,
	};
	struct sender *s;
	sigset_t all, old;
	unsigned i, n;
	int ret;

	if (!plan || !res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	if (check_plan(plan, res))
		return res->status;
	n = plan->threads;
	memset(res + 1, 0, n * sizeof(*res));
	s = calloc(n, sizeof(*s));
	if (!s)
		return zc_fail(res, -ENOMEM, "no memory for %u sender threads", n);
	gate.total = n;
	for (i = 0; i < n; i++) {
		s[i].gate = &gate;
		s[i].e.plan = plan;
		s[i].e.index = i;
		s[i].e.res = &res[1 + i];
		s[i].e.res->cpu = plan->cpus[i];
		s[i].e.progress = ctl ? &ctl->progress[i] : NULL;
		s[i].e.stop = ctl ? &ctl->stop : NULL;
		s[i].e.on_ready = gate_arrive;
		s[i].e.ready_arg = &gate;
	}
	/* the senders inherit a full mask: the process's signals stay node's to handle */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < n; i++) {
		ret = pthread_create(&s[i].thread, NULL, sender_thread, &s[i]);
		if (ret) {
			zc_fail(&res[1 + i], -ret, "pthread_create: %s", strerror(ret));
			/* the threads already started must not wait for this one */
			pthread_mutex_lock(&gate.lock);
			gate.total = i;
			pthread_cond_broadcast(&gate.cond);
			pthread_mutex_unlock(&gate.lock);
			n = i + 1;
			break;
		}
		s[i].started = true;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	for (i = 0; i < n; i++)
		if (s[i].started)
			pthread_join(s[i].thread, NULL);
	free(s);
	total(res, n);
	return res->status;
}
