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

#define ZC_ABI_VERSION 1

#define ZC_EXPORT __attribute__((visibility("default")))

enum zc_mode {
	ZC_MODE_SEND = 0,	/* IORING_OP_SEND: the kernel copies the payload */
	ZC_MODE_SEND_ZC = 1,	/* IORING_OP_SEND_ZC: completion + notification */
};

/* zc_plan.flags */
#define ZC_PLAN_FIXED_BUF	(1U << 0) /* register buffers, send them by index */
#define ZC_PLAN_REG_RING_FD	(1U << 1) /* io_uring_register_ring_fd() */
#define ZC_PLAN_FIXED_FILES	(1U << 2) /* register the socket, IOSQE_FIXED_FILE */

/* zc_plan.ring_flags, mapped to IORING_SETUP_* by the executor */
#define ZC_RING_COOP_TASKRUN	(1U << 0)
#define ZC_RING_SINGLE_ISSUER	(1U << 1)
#define ZC_RING_DEFER_TASKRUN	(1U << 2) /* needs ZC_RING_SINGLE_ISSUER */

#define ZC_NETNS_PATH_MAX 128
#define ZC_MESSAGE_MAX 256
#define ZC_MAX_DURATION_NS (3600ULL * 1000000000ULL)

/* One case for one sender thread. Addresses are in network byte order. */
struct zc_plan {
	uint32_t abi_version;	/* must be ZC_ABI_VERSION */
	uint32_t mode;		/* enum zc_mode */
	uint32_t family;	/* AF_INET or AF_INET6 */
	uint32_t flags;		/* ZC_PLAN_* */
	uint8_t dst_addr[16];	/* IPv4 in the first 4 bytes */
	uint16_t dst_port;	/* host byte order */
	uint16_t reserved0;
	uint32_t ring_entries;
	uint32_t ring_flags;	/* ZC_RING_* */
	uint32_t batch;		/* requests per submit */
	uint32_t buf_size;	/* payload bytes per request */
	uint32_t buf_count;	/* buffer slots in rotation */
	uint32_t sndbuf;	/* SO_SNDBUF, 0 = leave the default */
	uint32_t reserved1;
	uint64_t duration_ns;	/* measured window, 1 ns .. ZC_MAX_DURATION_NS */
	uint64_t warmup_ns;	/* excluded from every figure */
	uint64_t max_requests;	/* stop after this many measured requests, 0 = no cap */
	char netns_path[ZC_NETNS_PATH_MAX]; /* "" = the caller's namespace */
};

struct zc_result {
	int32_t status;		/* 0, or -errno of the failure that ended the case */
	int32_t first_error;	/* first negative cqe->res seen, 0 if none */
	uint64_t requests;	/* successful send completions */
	uint64_t bytes;		/* bytes those completions reported */
	uint64_t elapsed_ns;	/* CLOCK_MONOTONIC, measured window only */
	uint64_t completions;	/* request CQEs (not notifications) */
	uint64_t notifications;	/* IORING_CQE_F_NOTIF CQEs */
	uint64_t errors;	/* request CQEs with res < 0 */
	uint64_t short_sends;	/* 0 <= res < buf_size */
	uint64_t user_ns;	/* sender thread CPU, measured window */
	uint64_t sys_ns;
	uint64_t vol_ctxsw;
	uint64_t invol_ctxsw;
	char message[ZC_MESSAGE_MAX]; /* what failed, for status != 0 */
};

_Static_assert(sizeof(struct zc_plan) == 216, "zc_plan size");
_Static_assert(offsetof(struct zc_plan, dst_addr) == 16, "zc_plan.dst_addr");
_Static_assert(offsetof(struct zc_plan, duration_ns) == 64, "zc_plan.duration_ns");
_Static_assert(offsetof(struct zc_plan, netns_path) == 88, "zc_plan.netns_path");
_Static_assert(sizeof(struct zc_result) == 352, "zc_result size");
_Static_assert(offsetof(struct zc_result, requests) == 8, "zc_result.requests");
_Static_assert(offsetof(struct zc_result, message) == 96, "zc_result.message");

ZC_EXPORT uint32_t zc_abi_version(void);
ZC_EXPORT uint32_t zc_plan_size(void);
ZC_EXPORT uint32_t zc_result_size(void);

/*
 * Run one case to its end on a thread of its own (which enters
 * plan->netns_path, so the caller's thread never changes namespace).
 * Returns 0 or -errno; res is always filled, with res->message set on
 * failure. Blocks for about warmup + duration.
 */
ZC_EXPORT int zc_run_case(const struct zc_plan *plan, struct zc_result *res);

#endif
