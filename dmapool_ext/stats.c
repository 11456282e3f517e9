// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext statistics: the stats reader. The counters themselves are
 * plain fields of the pool, updated under its lock by the paths that
 * count (alloc.c, core.c, debug.c), so one lock round trip reads a
 * consistent set; the running allocs and frees are per-CPU counters,
 * summed here.
 */
#include <linux/export.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "internal.h"

/**
 * dmapool_ext_get_stats - read a pool's counters
 * @pool: the pool
 * @stats: where the snapshot goes
 *
 * The counters are read together under the pool lock, so they are
 * consistent with each other. Free blocks cached in the per-CPU
 * magazines count as free; dmapool_ext_blocks_cached() says how many
 * there are. Those are read without their CPUs' locks, so while other
 * CPUs allocate and free, a block may be counted in use or free a moment
 * early; on a pool at rest the figures are exact. For a pool with
 * magazines, @blocks_in_use_max counts the cached blocks too (the most
 * blocks ever off the pages' free lists): an upper bound on the most in
 * use at once, exact for poisoning pools, which have no magazines.
 *
 * Context: any context that may take a spinlock_t: not NMI, and on
 * PREEMPT_RT not hard interrupt context.
 * Return: 0 with @stats filled in, or -EINVAL if @pool or @stats is %NULL
 * (a misuse, warned about once; @stats, if given, is then zeroed).
 */
int dmapool_ext_get_stats(struct dmapool_ext *pool,
			  struct dmapool_ext_stats *stats)
{
	unsigned long flags;
	size_t cached;
	int cpu;

	if (WARN_ON_ONCE(!stats))
		return -EINVAL;
	memset(stats, 0, sizeof(*stats));
	if (WARN_ON_ONCE(!pool))
		return -EINVAL;
	stats->size = pool->size;
	stats->align = pool->align;
	stats->boundary = pool->boundary;
	stats->allocation = pool->allocation;
	stats->blocks_per_page = pool->blocks_per_page;
	stats->debug = pool->poison;
	/*
	 * Before the lock, so that the sums trail the counts read under it:
	 * they are per-CPU and not in step with them anyway.
	 */
	for_each_possible_cpu(cpu) {
		stats->allocs += READ_ONCE(per_cpu_ptr(pool->pcpu, cpu)->allocs);
		stats->frees += READ_ONCE(per_cpu_ptr(pool->pcpu, cpu)->frees);
	}
	spin_lock_irqsave(&pool->lock, flags);
	/* Cached blocks count as free (see "Per-CPU magazines", internal.h). */
	cached = dpx_mag_count(pool);
	stats->blocks_in_use = pool->nr_active - min(cached, pool->nr_active);
	stats->blocks_total = pool->nr_blocks;
	stats->pages = pool->nr_pages;
	stats->blocks_in_use_max = pool->blocks_in_use_max;
	stats->alloc_failures = pool->nr_failures;
	stats->bad_frees = pool->nr_bad_frees;
	stats->corruptions = pool->nr_corruptions;
	spin_unlock_irqrestore(&pool->lock, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(dmapool_ext_get_stats);
