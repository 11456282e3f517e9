/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: integer arithmetic helpers (run time only). */
#ifndef _MC_LINUX_MATH_H
#define _MC_LINUX_MATH_H

#define DIV_ROUND_UP(n, d) ({						\
	typeof(d) __mc_d = (d);						\
	((n) + __mc_d - 1) / __mc_d;					\
})

/* @x * @n / @d without overflowing in the product, as the kernel's. */
#define mult_frac(x, n, d) ({						\
	typeof(x) __mc_x = (x), __mc_n = (n), __mc_d = (d);		\
	typeof(x) __mc_q = __mc_x / __mc_d, __mc_r = __mc_x % __mc_d;	\
	__mc_q * __mc_n + __mc_r * __mc_n / __mc_d;			\
})

#endif /* _MC_LINUX_MATH_H */
