/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: bit searches, and atomic bit operations as switch points. */
#ifndef _MC_LINUX_BITOPS_H
#define _MC_LINUX_BITOPS_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/math.h>
#include <linux/types.h>

#define BITS_TO_LONGS(nr)	(((nr) + BITS_PER_LONG - 1) / BITS_PER_LONG)

/* First / last set bit of a non-zero word. */
static inline unsigned long __ffs(unsigned long x)
{
	return __builtin_ctzl(x);
}

static inline unsigned long __fls(unsigned long x)
{
	return BITS_PER_LONG - 1 - __builtin_clzl(x);
}

static inline unsigned int hweight_long(unsigned long x)
{
	return __builtin_popcountl(x);
}

/* Atomic bit operations: one switch point each, then the whole operation. */
#define mc_bitop(nr, addr, op, ret) ({					\
	unsigned long __mc_nr = (nr);					\
	unsigned long *__mc_w = (addr) + BIT_WORD(__mc_nr);		\
	unsigned long __mc_m = BIT_MASK(__mc_nr), __mc_old;		\
	MC_POINT(MC_RMW, __mc_w);					\
	__mc_old = op(__mc_w, __mc_m);					\
	(ret);								\
})

#define mc_or(p, m)		__atomic_fetch_or((p), (m), __ATOMIC_RELAXED)
#define mc_andnot(p, m)		__atomic_fetch_and((p), ~(m), __ATOMIC_RELAXED)

#define test_and_set_bit(nr, addr)	mc_bitop(nr, addr, mc_or, !!(__mc_old & __mc_m))
#define test_and_clear_bit(nr, addr)	mc_bitop(nr, addr, mc_andnot, !!(__mc_old & __mc_m))
#define set_bit(nr, addr)		((void)test_and_set_bit(nr, addr))
#define clear_bit(nr, addr)		((void)test_and_clear_bit(nr, addr))

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return READ_ONCE(addr[BIT_WORD(nr)]) & BIT_MASK(nr);
}

#endif /* _MC_LINUX_BITOPS_H */
