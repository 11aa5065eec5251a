/* SPDX-License-Identifier: MIT */
/*
 * Entering a target's network namespace, for the sender and receiver
 * threads alike: only ever on a thread of our own, never a pooled one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include "internal.h"

int zc_enter_netns(const char *path)
{
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET))
		ret = -errno;
	close(fd);
	return ret;
}

const char *zc_netns_hint(int err)
{
	return err == -EPERM ? " (needs CAP_SYS_ADMIN)" : "";
}
