/* SPDX-License-Identifier: MIT */
/*
 * Helpers the sender, the receiver and the launcher share. common.c calls
 * nothing of the other files, so it sits under all of them; none is exported.
 */
#ifndef ZCSPEC_COMMON_H
#define ZCSPEC_COMMON_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "zcspec.h"

#define NSEC_PER_SEC 1000000000ULL

/* CLOCK_MONOTONIC in ns */
uint64_t zc_now_ns(void);

/* splitmix64: the next number of the stream whose state is *s (any seed works) */
static inline uint64_t zc_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* a number in [0, n) from zc_rand, without a division */
static inline uint32_t zc_rand_below(uint64_t *s, uint32_t n)
{
	return (uint32_t)(((zc_rand(s) >> 32) * n) >> 32);
}

/*
 * Record a failure into status and message unless one is there already:
 * the first one wins. Returns err.
 */
int zc_vfail(int32_t *status, char *message, size_t size, int err, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
/* zc_vfail into a sender's result */
int zc_fail(struct zc_result *res, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* add n to err's slot: its own, else the first free one; lost when all are taken */
void zc_count_errno(struct zc_errno_count slots[ZC_ERRNO_SLOTS], int32_t err, uint64_t n);

/* the payload bytes of a zc_pattern, as every sender writes and the receiver expects */
void zc_fill_pattern(char *p, size_t len, uint32_t pattern);

/* addr (network order, IPv4 in its first 4 bytes) and port: the length, 0 for another family */
socklen_t zc_sockaddr(struct sockaddr_storage *ss, uint32_t family, uint16_t port,
		      const uint8_t addr[16]);

/*
 * setns() the calling thread into the network namespace at path: 0, or
 * -errno with why filled in (the missing capability named for EPERM).
 * Only ever on a thread of our own, never a pooled one.
 */
int zc_enter_netns(const char *path, char *why, size_t why_size);

#endif
