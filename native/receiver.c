/* SPDX-License-Identifier: MIT */
/*
 * The built-in receiver of the loopback and pair targets. One pthread per
 * receiver: it enters the target's namespace (a private thread, so no pooled
 * thread ever changes namespace), listens, and counts and verifies whatever
 * arrives until it is stopped. The caller switches the expected pattern
 * between cases and copies the counters; nothing per packet leaves C.
 * Here: the ABI calls and the thread; rx_reader.c reads and verifies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "rx_reader.h"

#define RX_EXPECT_TIMEOUT_S 2
#define RX_RCVBUF_MAX	(1U << 30)

/* Caller side: ask the thread to switch (or stop) and wake it. */
static void poke(struct zc_rx *rx)
{
	uint64_t one = 1;

	if (write(rx->efd, &one, sizeof(one)) < 0) {
		/* the counter can only be full if the thread is gone; nothing to wake */
	}
}

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;

	if (clock_gettime(clock, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void *rx_thread(void *arg)
{
	struct zc_rx *rx = arg;
	int ret;

	/* so that top -H, perf and /proc/PID/task tell it from the sender */
	pthread_setname_np(pthread_self(), "zcspec-rx");
	ret = rx_setup(rx);

	pthread_mutex_lock(&rx->lock);
	rx->ready = true;
	pthread_cond_broadcast(&rx->cond);
	pthread_mutex_unlock(&rx->lock);
	if (!ret)
		rx_serve(rx);
	pthread_mutex_lock(&rx->lock);
	/* its CPU clock goes with the thread: the last reading stays for zc_rx_read */
	rx->final_cpu_ns = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	rx->exited = true;
	pthread_cond_broadcast(&rx->cond);
	pthread_mutex_unlock(&rx->lock);
	return NULL;
}

void zc_rx_read(struct zc_rx *rx, struct zc_rx_stats *st)
{
	uint64_t last = __atomic_load_n(&rx->last_rx_ns, __ATOMIC_RELAXED);
	uint64_t now = zc_now_ns();

	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&rx->lock);
	st->status = rx->status;
	memcpy(st->message, rx->message, sizeof(st->message));
	/* held under the lock, the thread cannot exit (and its clock vanish) meanwhile */
	st->cpu_ns = rx->exited ? rx->final_cpu_ns : clock_ns(rx->clock);
	pthread_mutex_unlock(&rx->lock);
	st->now_ns = now;
	st->checked = __atomic_load_n(&rx->checked, __ATOMIC_RELAXED);
	st->port = __atomic_load_n(&rx->port, __ATOMIC_RELAXED);
	st->datagrams = __atomic_load_n(&rx->datagrams, __ATOMIC_RELAXED);
	st->bytes = __atomic_load_n(&rx->bytes, __ATOMIC_RELAXED);
	st->mismatches = __atomic_load_n(&rx->mismatches, __ATOMIC_RELAXED);
	st->connections = __atomic_load_n(&rx->connections, __ATOMIC_RELAXED);
	st->reads = __atomic_load_n(&rx->reads, __ATOMIC_RELAXED);
	st->idle_ns = now > last ? now - last : 0;
}

void zc_rx_flow_bytes(struct zc_rx *rx, const uint16_t *ports, uint32_t n, uint64_t *bytes)
{
	uint32_t i;

	/* allocated before the thread reports ready, freed only with rx */
	for (i = 0; i < n; i++)
		bytes[i] = rx->port_bytes ?
				   __atomic_load_n(&rx->port_bytes[ports[i]], __ATOMIC_RELAXED) : 0;
}

static void rx_free(struct zc_rx *rx)
{
	rx_close(rx);
	if (rx->efd >= 0)
		close(rx->efd);
	pthread_cond_destroy(&rx->cond);
	pthread_mutex_destroy(&rx->lock);
	free(rx);
}

void zc_rx_stop(struct zc_rx *rx, struct zc_rx_stats *st)
{
	pthread_mutex_lock(&rx->lock);
	rx->stop = true;
	pthread_mutex_unlock(&rx->lock);
	poke(rx);
	pthread_join(rx->thread, NULL);
	zc_rx_read(rx, st);
	rx_free(rx);
}

static int check_config(const struct zc_rx_config *c, struct zc_rx_stats *st)
{
	const char *why = NULL;

	if (c->abi_version != ZC_ABI_VERSION)
		why = "config ABI version differs from the library's";
	else if (c->family != AF_INET && c->family != AF_INET6)
		why = "family must be AF_INET or AF_INET6";
	else if (c->proto != ZC_PROTO_UDP && c->proto != ZC_PROTO_TCP)
		why = "proto must be ZC_PROTO_UDP or ZC_PROTO_TCP";
	else if (c->rcvbuf > RX_RCVBUF_MAX)
		why = "rcvbuf must be at most 1 GiB";
	else if (c->verify > ZC_VERIFY_OFF)
		why = "verify must be ZC_VERIFY_FULL, ZC_VERIFY_SAMPLE or ZC_VERIFY_OFF";
	else if (c->verify == ZC_VERIFY_SAMPLE &&
		 (!c->sample_bytes || c->sample_bytes > ZC_RX_SAMPLE_MAX || !c->sample_every))
		why = "sample needs sample_bytes 1..65536 and sample_every >= 1";
	else if (c->cpu < -1 || c->cpu >= CPU_SETSIZE)
		why = "cpu must be -1 (not pinned) or a CPU number";
	else if (!memchr(c->netns_path, 0, sizeof(c->netns_path)))
		why = "netns path is not terminated";
	if (!why)
		return 0;
	st->status = -EINVAL;
	snprintf(st->message, sizeof(st->message), "receiver: %s", why);
	return -EINVAL;
}

int zc_rx_start(const struct zc_rx_config *cfg, struct zc_rx **out, struct zc_rx_stats *st)
{
	sigset_t all, old;
	struct zc_rx *rx;
	int ret;

	*out = NULL;
	memset(st, 0, sizeof(*st));
	if (check_config(cfg, st))
		return st->status;
	rx = calloc(1, sizeof(*rx));
	if (!rx) {
		st->status = -ENOMEM;
		snprintf(st->message, sizeof(st->message), "receiver: out of memory");
		return st->status;
	}
	rx->cfg = *cfg;
	rx->fd = rx->epfd = -1;
	/* no thread yet: nothing runs, its CPU time is final_cpu_ns (0) */
	rx->exited = true;
	pthread_mutex_init(&rx->lock, NULL);
	pthread_cond_init(&rx->cond, NULL);
	rx->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (rx->efd < 0) {
		ret = rx_fail(rx, -errno, "eventfd: %s", strerror(errno));
		goto fail;
	}
	/* signals are the caller's business: keep them off this thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rx->exited = false;
	ret = pthread_create(&rx->thread, NULL, rx_thread, rx);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		rx->exited = true;
		ret = rx_fail(rx, -ret, "pthread_create: %s", strerror(ret));
		goto fail;
	}
	/*
	 * Its clock is good while it runs; zc_rx_read looks at it only while
	 * `exited` is false, which the thread sets (under the lock) before it ends.
	 */
	pthread_getcpuclockid(rx->thread, &rx->clock);
	pthread_mutex_lock(&rx->lock);
	while (!rx->ready)
		pthread_cond_wait(&rx->cond, &rx->lock);
	ret = rx->status;
	pthread_mutex_unlock(&rx->lock);
	if (ret) {
		pthread_join(rx->thread, NULL);
		goto fail;
	}
	zc_rx_read(rx, st);
	*out = rx;
	return 0;
fail:
	zc_rx_read(rx, st);
	rx_free(rx);
	return ret;
}

int zc_rx_expect(struct zc_rx *rx, uint32_t pattern, uint32_t size, uint32_t segment)
{
	struct timespec deadline;
	uint64_t gen;
	int ret = 0;

	if (pattern > ZC_PATTERN_SEQUENCE || !size || segment > UINT16_MAX ||
	    (segment && rx->cfg.proto != ZC_PROTO_UDP))
		return -EINVAL;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += RX_EXPECT_TIMEOUT_S;
	pthread_mutex_lock(&rx->lock);
	rx->want_pattern = pattern;
	rx->want_size = size;
	rx->want_segment = segment;
	gen = ++rx->want_gen;
	pthread_mutex_unlock(&rx->lock);
	poke(rx);
	pthread_mutex_lock(&rx->lock);
	while (rx->applied_gen < gen && !rx->exited && !ret)
		ret = -pthread_cond_timedwait(&rx->cond, &rx->lock, &deadline);
	if (rx->applied_gen >= gen)
		ret = rx->applied_status;
	else if (rx->exited)
		ret = rx->status ? rx->status : -ESRCH;
	pthread_mutex_unlock(&rx->lock);
	return ret;
}
