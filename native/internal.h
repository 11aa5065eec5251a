/* SPDX-License-Identifier: MIT */
/* Declarations shared between the executor's files; none is exported. */
#ifndef ZCSPEC_INTERNAL_H
#define ZCSPEC_INTERNAL_H

#include "zcspec.h"

/* Record the failure that ends a case: the first one wins. Returns err. */
int zc_fail(struct zc_result *res, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Run the send loop in the calling thread's network namespace. */
int zc_exec_case(const struct zc_plan *plan, struct zc_result *res);

#endif
