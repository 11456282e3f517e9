/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-checker shim: per-CPU data as one instance. The counters behind it
 * are statistics, and the last-chunk pointer a hint checked before use,
 * not part of the lockless protocol, so they are no switch points.
 */
#ifndef _MC_LINUX_PERCPU_H
#define _MC_LINUX_PERCPU_H

#include <stdlib.h>

#define alloc_percpu(type) ({						\
	type *__mc_pcp = calloc(1, sizeof(type));			\
	__mc_pcp;							\
})
#define free_percpu(p)			free(p)
#define per_cpu_ptr(p, cpu)		((void)(cpu), (p))
#define this_cpu_inc(pcp)		((pcp)++)
#define this_cpu_add(pcp, v)		((pcp) += (v))
#define this_cpu_read(pcp)		(pcp)
#define this_cpu_write(pcp, v)		((pcp) = (v))
/* One CPU: the body runs once, with @cpu 0. */
#define for_each_possible_cpu(cpu)					\
	for (int *__mc_cpu = &(cpu), __mc_n = (*__mc_cpu = 0);		\
	     __mc_n < 1; *__mc_cpu = ++__mc_n)

#endif /* _MC_LINUX_PERCPU_H */
