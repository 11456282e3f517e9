/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook between the kernel-header shims and the model checker's
 * scheduler: every shared-memory access the shims model (READ_ONCE,
 * WRITE_ONCE, atomics, cmpxchg, bit operations, barriers) first calls
 * mc_point(), where the scheduler may switch to another simulated thread.
 * The access itself then runs with no switch in between, so each one is
 * atomic and the model is sequentially consistent.
 */
#ifndef _MC_SCHED_H
#define _MC_SCHED_H

enum mc_kind {
	MC_READ,
	MC_WRITE,
	MC_RMW,		/* atomic read-modify-write: or, add, test_and_set */
	MC_CAS,		/* compare-and-exchange */
	MC_FENCE,	/* a barrier: no data, still a switch point */
	MC_YIELD,	/* the workload's own switch point between operations */
	MC_NR_ACCESS,
};

/* Non-zero while simulated threads run; outside, the shims are plain. */
extern int mc_active;

void mc_point(enum mc_kind kind, const void *addr, unsigned int size,
	      const char *func, const char *file, int line);

#define MC_POINT(kind, addr)						\
	(mc_active ? mc_point((kind), (addr), sizeof((addr)[0]), __func__, \
			      __FILE__, __LINE__) : (void)0)

#define MC_FENCE_POINT()						\
	(mc_active ? mc_point(MC_FENCE, NULL, 0, __func__, __FILE__,	\
			      __LINE__) : (void)0)

/*
 * Loads and stores of the modelled memory. The simulated threads share one
 * OS thread, so relaxed atomics only keep the compiler from merging or
 * tearing accesses across switch points, as READ_ONCE() does in the kernel.
 */
#define mc_load(p)		__atomic_load_n((p), __ATOMIC_RELAXED)
#define mc_store(p, v)		__atomic_store_n((p), (v), __ATOMIC_RELAXED)

#endif /* _MC_SCHED_H */
