/* SPDX-License-Identifier: MIT */
/* What the sender and the receiver share: see common.h. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common.h"

uint64_t zc_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

int zc_vfail(int32_t *status, char *message, size_t size, int err, const char *fmt, va_list ap)
{
	if (*status)
		return err;
	*status = err;
	vsnprintf(message, size, fmt, ap);
	return err;
}

int zc_fail(struct zc_result *res, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	zc_vfail(&res->status, res->message, sizeof(res->message), err, fmt, ap);
	va_end(ap);
	return err;
}

void zc_count_errno(struct zc_errno_count slots[ZC_ERRNO_SLOTS], int32_t err, uint64_t n)
{
	unsigned i;

	for (i = 0; i < ZC_ERRNO_SLOTS; i++) {
		if (slots[i].err == err || !slots[i].err) {
			slots[i].err = err;
			slots[i].count += n;
			return;
		}
	}
}

void zc_fill_pattern(char *p, size_t len, uint32_t pattern)
{
	size_t i;

	for (i = 0; i < len; i++) {
		switch (pattern) {
		case ZC_PATTERN_ZEROS:
			p[i] = 0;
			break;
		case ZC_PATTERN_SEQUENCE:
			p[i] = (char)(i % 256);
			break;
		default:
			p[i] = (char)('a' + i % 26);
			break;
		}
	}
}

socklen_t zc_sockaddr(struct sockaddr_storage *ss, uint32_t family, uint16_t port,
		      const uint8_t addr[16])
{
	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, addr, 4);
		return sizeof(*sin);
	}
	if (family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, addr, 16);
		return sizeof(*sin6);
	}
	return 0;
}

int zc_enter_netns(const char *path, char *why, size_t why_size)
{
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	if (setns(fd, CLONE_NEWNET))
		ret = -errno;
	close(fd);
out:
	if (ret)
		snprintf(why, why_size, "enter network namespace %s: %s%s", path, strerror(-ret),
			 ret == -EPERM ? " (needs CAP_SYS_ADMIN)" : "");
	return ret;
}
