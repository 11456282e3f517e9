// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext statistics: the reader that sums them.
 *
 * The counters live where updating them is cheapest. The fast paths
 * (allocator calls and their failures, injected faults, frees) bump per-CPU
 * counters without any atomic instruction; the reserve counters (hits,
 * high-water mark) are plain fields updated under pool->lock, which the
 * reserve path holds anyway; the sleeps of waiting allocations, already
 * slow, use atomics. Nothing counts "outstanding" directly: it is what the
 * allocator and the reserve handed out minus what came back.
 */
#include <linux/cpumask.h>
#include <linux/percpu.h>
#include <linux/string.h>

#include "internal.h"

/**
 * mempool_ext_get_stats - read a pool's statistics
 * @pool: the pool
 * @stats: filled in with a snapshot, see &struct mempool_ext_stats
 *
 * Sums the per-CPU counters and reads the others without stopping the
 * pool: while allocations and frees run, the snapshot is approximate (in
 * particular @stats->outstanding); on a quiescent pool it is exact.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for a %NULL or uninitialised pool (@stats is then
 * zeroed).
 */
int mempool_ext_get_stats(struct mempool_ext *pool,
			  struct mempool_ext_stats *stats)
{
	unsigned long frees = 0;
	int cpu;

	memset(stats, 0, sizeof(*stats));
	if (!pool || !mempool_ext_initialized(pool) || !pool->pcpu)
		return -EINVAL;

	for_each_possible_cpu(cpu) {
		struct mempool_ext_pcpu_stats *c = per_cpu_ptr(pool->pcpu, cpu);

		stats->alloc_calls += READ_ONCE(c->alloc_calls);
		stats->alloc_failures += READ_ONCE(c->alloc_failures);
		stats->faults_injected += READ_ONCE(c->faults_injected);
		frees += READ_ONCE(c->frees);
	}
	/* Written under pool->lock; a lockless read is only a snapshot. */
	stats->reserve_hits = READ_ONCE(pool->reserve_hits);
	stats->high_water = READ_ONCE(pool->high_water);
	stats->waits = atomic_long_read(&pool->waits);
	stats->wait_ns = atomic64_read(&pool->wait_ns);
	stats->wait_max_ns = atomic64_read(&pool->wait_max_ns);
	stats->debug_reports = atomic_long_read(&pool->debug_reports);
	stats->outstanding = (long)(stats->alloc_calls - stats->alloc_failures +
				    stats->reserve_hits - frees);
	return 0;
}
EXPORT_SYMBOL_GPL(mempool_ext_get_stats);
