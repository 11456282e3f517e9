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

/*
 * Sum the counters into @stats and return handed out minus given back.
 *
 * The order of the reads matters. An element is freed only after it was
 * handed out, and an allocator call fails only after it was counted; so
 * frees are read first, then the failures, then the calls and the reserve
 * hits, each group after a read barrier. A sum taken while the pool is in
 * use can then over-count the elements out (by the operations in flight)
 * but not under-count them, on a machine that orders stores as x86 does;
 * elsewhere the counters' stores are unordered and a transient
 * under-count stays possible, which mempool_ext_get_stats() allows for.
 */
static long mpx_sum(struct mempool_ext *pool,
		    struct mempool_ext_stats *stats)
{
	unsigned long frees = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		frees += READ_ONCE(per_cpu_ptr(pool->pcpu, cpu)->frees);
	/* Frees before the hand-outs they match (see above). */
	smp_rmb();
	for_each_possible_cpu(cpu) {
		struct mempool_ext_pcpu_stats *c = per_cpu_ptr(pool->pcpu, cpu);

		stats->alloc_failures += READ_ONCE(c->alloc_failures);
		stats->faults_injected += READ_ONCE(c->faults_injected);
	}
	/* Failures before the calls they failed. */
	smp_rmb();
	for_each_possible_cpu(cpu)
		stats->alloc_calls += READ_ONCE(per_cpu_ptr(pool->pcpu, cpu)->alloc_calls);
	/* Written under pool->lock; a lockless read is only a snapshot. */
	stats->reserve_hits = READ_ONCE(pool->reserve_hits);
	stats->frees = frees;
	stats->allocs = stats->alloc_calls - stats->alloc_failures +
			stats->reserve_hits;
	return (long)(stats->allocs - frees);
}

long mpx_outstanding(struct mempool_ext *pool)
{
	struct mempool_ext_stats st = {};

	return mpx_sum(pool, &st);
}

/**
 * mempool_ext_get_stats - read a pool's statistics
 * @pool: the pool
 * @stats: filled in with a snapshot, see &struct mempool_ext_stats
 *
 * Sums the per-CPU counters and reads the others without stopping the
 * pool: while allocations and frees run, the snapshot is approximate (in
 * particular @stats->outstanding); on a quiescent pool it is exact.
 *
 * @stats->outstanding is never negative. More frees than allocations mean
 * that elements this pool never handed out were freed into it (possible
 * only with the debug checks off, which refuse them): the pool warns once
 * and reports 0, see "Bad frees" in <mempool_ext/mempool_ext.h>.
 *
 * Context: Any context.
 * Return: 0, or -EINVAL for a %NULL or uninitialised pool (@stats is then
 * zeroed).
 */
int mempool_ext_get_stats(struct mempool_ext *pool,
			  struct mempool_ext_stats *stats)
{
	long out;

	memset(stats, 0, sizeof(*stats));
	if (!pool || !mempool_ext_initialized(pool) || !pool->pcpu)
		return -EINVAL;

	out = mpx_sum(pool, stats);
	if (unlikely(out < 0)) {
		/* Not a passing reordering (see mpx_sum()): look again. */
		smp_mb();
		memset(stats, 0, sizeof(*stats));
		out = mpx_sum(pool, stats);
	}
	if (unlikely(out < 0)) {
		mpx_warn_once(pool, MEMPOOL_EXT_WARN_EXCESS_FREES,
			      "%ld more frees than allocations: elements this pool never handed out were freed into it (or freed twice), which can hide real leaks; turn on its debug checks to catch them\n",
			      -out);
		out = 0;
	}
	stats->outstanding = out;
	stats->reserve_max_drain = READ_ONCE(pool->reserve_max_drain);
	stats->waits = atomic_long_read(&pool->waits);
	stats->wait_ns = atomic64_read(&pool->wait_ns);
	stats->wait_max_ns = atomic64_read(&pool->wait_max_ns);
	stats->debug_reports = atomic_long_read(&pool->debug_reports);
	return 0;
}
EXPORT_SYMBOL_GPL(mempool_ext_get_stats);
