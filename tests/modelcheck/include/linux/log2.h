/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: integer log2 and powers of two. */
#ifndef _MC_LINUX_LOG2_H
#define _MC_LINUX_LOG2_H

#include <linux/bitops.h>

#define ilog2(n)		((int)__fls((unsigned long)(n)))

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << (__fls(n - 1) + 1);
}

static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return 1UL << __fls(n);
}

#endif /* _MC_LINUX_LOG2_H */
