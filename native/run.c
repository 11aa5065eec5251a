/* SPDX-License-Identifier: MIT */
/*
 * Entry point: checks the plan, then runs the case on a pthread of its own.
 * The caller is one of libuv's pooled worker threads; setns() on it would
 * leave that reused thread inside the target namespace, so the namespace is
 * entered only by the private thread, which dies with the case.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

struct case_args {
	const struct zc_plan *plan;
	struct zc_result *res;
};

int zc_fail(struct zc_result *res, int err, const char *fmt, ...)
{
	va_list ap;

	if (res->status)
		return err;
	res->status = err;
	va_start(ap, fmt);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
	return err;
}

static int enter_netns(const char *path, struct zc_result *res)
{
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return zc_fail(res, -errno, "open network namespace %s: %s",
			       path, strerror(errno));
	if (setns(fd, CLONE_NEWNET))
		ret = zc_fail(res, -errno, "setns %s: %s (needs CAP_SYS_ADMIN)",
			      path, strerror(errno));
	close(fd);
	return ret;
}

static void *case_thread(void *arg)
{
	struct case_args *a = arg;

	if (a->plan->netns_path[0] && enter_netns(a->plan->netns_path, a->res))
		return NULL;
	zc_exec_case(a->plan, a->res);
	return NULL;
}

static int check_plan(const struct zc_plan *p, struct zc_result *res)
{
	if (p->abi_version != ZC_ABI_VERSION)
		return zc_fail(res, -EINVAL, "plan ABI %u, library ABI %u",
			       p->abi_version, ZC_ABI_VERSION);
	if (p->mode > ZC_MODE_SEND_ZC)
		return zc_fail(res, -EINVAL, "unknown mode %u", p->mode);
	if (!p->batch || p->batch > p->ring_entries)
		return zc_fail(res, -EINVAL, "batch %u must be 1..ring entries (%u)",
			       p->batch, p->ring_entries);
	if (!p->buf_size || !p->buf_count)
		return zc_fail(res, -EINVAL, "buffer size and count must be > 0");
	/* every send loop must stop by itself, whatever the caller asked */
	if (!p->duration_ns || p->duration_ns > ZC_MAX_DURATION_NS ||
	    p->warmup_ns > ZC_MAX_DURATION_NS)
		return zc_fail(res, -EINVAL, "duration must be 1 ns..1 h, warmup at most 1 h");
	if (!memchr(p->netns_path, 0, sizeof(p->netns_path)))
		return zc_fail(res, -EINVAL, "netns path is not terminated");
	return 0;
}

int zc_run_case(const struct zc_plan *plan, struct zc_result *res)
{
	struct case_args args = { .plan = plan, .res = res };
	pthread_t thread;
	int ret;

	memset(res, 0, sizeof(*res));
	if (check_plan(plan, res))
		return res->status;
	ret = pthread_create(&thread, NULL, case_thread, &args);
	if (ret)
		return zc_fail(res, -ret, "pthread_create: %s", strerror(ret));
	pthread_join(thread, NULL);
	return res->status;
}
