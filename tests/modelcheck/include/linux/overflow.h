/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: saturating size arithmetic. */
#ifndef _MC_LINUX_OVERFLOW_H
#define _MC_LINUX_OVERFLOW_H

#include <linux/types.h>

static inline size_t size_add(size_t a, size_t b)
{
	size_t r;

	return __builtin_add_overflow(a, b, &r) ? SIZE_MAX : r;
}

static inline size_t size_mul(size_t a, size_t b)
{
	size_t r;

	return __builtin_mul_overflow(a, b, &r) ? SIZE_MAX : r;
}

#define array_size(n, size)	size_mul((n), (size))
#define struct_size(p, member, n)					\
	size_add(sizeof((p)[0]), size_mul((n), sizeof((p)[0].member[0])))

#endif /* _MC_LINUX_OVERFLOW_H */
