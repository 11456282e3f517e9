/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: bit masks. */
#ifndef _MC_LINUX_BITS_H
#define _MC_LINUX_BITS_H

/* 64, or 32 when built with -m32 (CC="gcc -m32"). */
#define BITS_PER_LONG		(__SIZEOF_LONG__ * 8)
#define BIT(nr)			(1UL << (nr))
#define BIT_MASK(nr)		(1UL << ((nr) % BITS_PER_LONG))
#define BIT_WORD(nr)		((nr) / BITS_PER_LONG)
#define GENMASK(h, l)		((~0UL << (l)) & (~0UL >> (BITS_PER_LONG - 1 - (h))))

#endif /* _MC_LINUX_BITS_H */
