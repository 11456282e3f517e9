/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-checker shim: atomics. Each operation is one switch point
 * (mc_sched.h) and then runs whole. Fully ordered, acquire, release and
 * relaxed forms are all the same here: the model is sequentially
 * consistent, so it finds interleaving bugs, not memory-ordering ones.
 */
#ifndef _MC_LINUX_ATOMIC_H
#define _MC_LINUX_ATOMIC_H

#include <linux/compiler.h>
#include <linux/types.h>

typedef struct { int counter; } atomic_t;
typedef struct { s64 counter; } atomic_long_t;	/* 64-bit only, as atomic64_t */

#define ATOMIC_INIT(i)		{ (i) }
#define ATOMIC_LONG_INIT(i)	{ (i) }

/* Barriers order nothing in a sequentially consistent model: switch points. */
#define smp_mb()		MC_FENCE_POINT()	/* see above */
#define smp_rmb()		MC_FENCE_POINT()	/* see above */
#define smp_wmb()		MC_FENCE_POINT()	/* see above */
#define smp_mb__before_atomic()	MC_FENCE_POINT()	/* see above */
#define smp_mb__after_atomic()	MC_FENCE_POINT()	/* see above */

/* Return the old value of *@ptr; store @new if it was @old. */
#define cmpxchg(ptr, old, new) ({					\
	typeof(ptr) __mc_p = (ptr);					\
	typeof(*__mc_p) __mc_old = (old), __mc_new = (new), __mc_cur;	\
	MC_POINT(MC_CAS, __mc_p);					\
	__mc_cur = mc_load(__mc_p);					\
	if (__mc_cur == __mc_old)					\
		mc_store(__mc_p, __mc_new);				\
	__mc_cur;							\
})

/* Like cmpxchg(), from *@oldp; on failure, *@oldp is set to what was found. */
#define try_cmpxchg(ptr, oldp, new) ({					\
	typeof(ptr) __mc_tp = (ptr);					\
	typeof(oldp) __mc_op = (oldp);					\
	typeof(*__mc_tp) __mc_o = *__mc_op;				\
	typeof(*__mc_tp) __mc_r = cmpxchg(__mc_tp, __mc_o, (new));	\
	if (__mc_r != __mc_o)						\
		*__mc_op = __mc_r;					\
	__mc_r == __mc_o;						\
})

#define xchg(ptr, new) ({						\
	typeof(ptr) __mc_p = (ptr);					\
	typeof(*__mc_p) __mc_new = (new);				\
	MC_POINT(MC_RMW, __mc_p);					\
	__atomic_exchange_n(__mc_p, __mc_new, __ATOMIC_RELAXED);	\
})

#define cmpxchg_relaxed		cmpxchg
#define try_cmpxchg_relaxed	try_cmpxchg

#define atomic_read(v)		READ_ONCE((v)->counter)
#define atomic_set(v, i)	WRITE_ONCE((v)->counter, (i))
#define atomic_long_read(v)	READ_ONCE((v)->counter)
#define atomic_long_set(v, i)	WRITE_ONCE((v)->counter, (i))

/* One read-modify-write by __atomic_@op (a GCC builtin), e.g. fetch_add. */
#define mc_rmw_at(p, i, op) ({						\
	__typeof__(p) __mc_c = (p);					\
	MC_POINT(MC_RMW, __mc_c);					\
	__atomic_##op(__mc_c, (i), __ATOMIC_RELAXED);			\
})

#define mc_rmw(v, i, op)	mc_rmw_at(&(v)->counter, i, op)

#define atomic_inc_return(v)		mc_rmw(v, 1, add_fetch)
#define atomic_dec_return(v)		mc_rmw(v, 1, sub_fetch)
#define atomic_inc(v)			((void)atomic_inc_return(v))
#define atomic_dec(v)			((void)atomic_dec_return(v))

#define atomic_long_add_return(i, v)	mc_rmw(v, (long)(i), add_fetch)
#define atomic_long_sub_return(i, v)	mc_rmw(v, (long)(i), sub_fetch)
#define atomic_long_fetch_add(i, v)	mc_rmw(v, (long)(i), fetch_add)
#define atomic_long_fetch_or(i, v)	mc_rmw(v, (long)(i), fetch_or)
#define atomic_long_fetch_and(i, v)	mc_rmw(v, (long)(i), fetch_and)
#define atomic_long_fetch_andnot(i, v)	mc_rmw(v, ~(long)(i), fetch_and)
#define atomic_long_add(i, v)		((void)atomic_long_fetch_add(i, v))
#define atomic_long_sub(i, v)		((void)atomic_long_sub_return(i, v))
#define atomic_long_inc(v)		atomic_long_add(1, v)
#define atomic_long_dec(v)		atomic_long_sub(1, v)
#define atomic_long_inc_return(v)	atomic_long_add_return(1, v)
#define atomic_long_dec_return(v)	atomic_long_sub_return(1, v)
#define atomic_long_or(i, v)		((void)atomic_long_fetch_or(i, v))
#define atomic_long_and(i, v)		((void)atomic_long_fetch_and(i, v))
#define atomic_long_andnot(i, v)	((void)atomic_long_fetch_andnot(i, v))

#define atomic_long_cmpxchg(v, old, new)				\
	cmpxchg(&(v)->counter, (long)(old), (long)(new))

/* Takes the kernel's long *, or the unsigned long * that callers pass too. */
#define atomic_long_try_cmpxchg(v, oldp, new)				\
	try_cmpxchg(&(v)->counter, (long *)(oldp), (long)(new))

#define atomic_long_xchg(v, new)	xchg(&(v)->counter, (long)(new))
#define atomic_long_cmpxchg_relaxed	atomic_long_cmpxchg
#define atomic_long_try_cmpxchg_relaxed	atomic_long_try_cmpxchg
#define atomic_long_try_cmpxchg_acquire	atomic_long_try_cmpxchg
#define atomic_long_try_cmpxchg_release	atomic_long_try_cmpxchg
#define atomic_long_read_acquire	atomic_long_read
#define atomic_long_set_release		atomic_long_set

#endif /* _MC_LINUX_ATOMIC_H */
