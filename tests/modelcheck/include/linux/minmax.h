/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: min() and max(), without the kernel's type checks. */
#ifndef _MC_LINUX_MINMAX_H
#define _MC_LINUX_MINMAX_H

#define min(a, b) ({							\
	typeof(a) __mc_a = (a);						\
	typeof(b) __mc_b = (b);						\
	__mc_a < __mc_b ? __mc_a : __mc_b;				\
})

#define max(a, b) ({							\
	typeof(a) __mc_a = (a);						\
	typeof(b) __mc_b = (b);						\
	__mc_a > __mc_b ? __mc_a : __mc_b;				\
})

#define min_t(type, a, b)	min((type)(a), (type)(b))
#define max_t(type, a, b)	max((type)(a), (type)(b))

#endif /* _MC_LINUX_MINMAX_H */
