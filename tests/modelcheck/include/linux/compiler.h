/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-checker shim: compiler attributes, and READ_ONCE()/WRITE_ONCE() as
 * switch points of the scheduler (see mc_sched.h).
 */
#ifndef _MC_LINUX_COMPILER_H
#define _MC_LINUX_COMPILER_H

#include <sys/cdefs.h>		/* __always_inline, as the kernel's */
#include <mc_sched.h>

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
/* As the kernel's compiler_attributes.h spells them. */
#define __mc_attribute(x)	__attribute__((x))
#define __printf(a, b)		__mc_attribute(format(printf, a, b))
#define __maybe_unused		__mc_attribute(__unused__)
#define __percpu
#define __rcu
#define __init
#define __exit
/* An intentional race, annotated for KCSAN: a plain access here. */
#define data_race(expr)		(expr)

/* Each macro argument is evaluated once: callers pass "map[++w]". */
#define READ_ONCE(x) ({							\
	__typeof__(x) *__mc_rp = &(x);					\
	MC_POINT(MC_READ, __mc_rp);					\
	mc_load(__mc_rp);						\
})

#define WRITE_ONCE(x, val) do {						\
	__typeof__(x) *__mc_wp = &(x);					\
	typeof(x) __mc_wv = (val);					\
	MC_POINT(MC_WRITE, __mc_wp);					\
	mc_store(__mc_wp, __mc_wv);					\
} while (0)

#endif /* _MC_LINUX_COMPILER_H */
