// SPDX-License-Identifier: GPL-2.0
/*
 * Statistics and the consistency check.
 *
 * Concurrency: both read the pool under rcu_read_lock() without stopping
 * allocations. The statistics are then a moment's approximation; the
 * consistency check is only meaningful when nothing is in flight.
 */
#include <linux/bitmap.h>
#include <linux/export.h>
#include <linux/math.h>
#include <linux/rculist.h>
#include <linux/string.h>
#include "index.h"
#include "trace.h"

/* Longest free run of @chunk in units, and its free units. */
static unsigned long gpx_longest_free(struct genpool_ext_chunk *chunk,
				      unsigned long *free_units)
{
	struct gpx_ctx c = { .map = chunk->bits, .size = chunk->nbits };
	unsigned long p = 0, rs, re, longest = 0;

	for (;;) {
		rs = gpx_next_free(&c, p, c.size);
		if (rs >= c.size)
			break;
		re = gpx_next_busy(&c, rs, c.size);
		longest = max(longest, re - rs);
		*free_units += re - rs;
		p = re;
	}
	return longest;
}

/**
 * gpx_trace_alloc_fail - report a failed allocation to the tracepoint
 * @pool: the pool
 * @size: bytes asked for
 * @caller: the return address into the code that asked
 *
 * The free bytes and the longest free run are worked out here, walking
 * every chunk's bitmap, and only while the event is on: off, a failed
 * allocation pays one static branch.
 *
 * Context: any context.
 */
void gpx_trace_alloc_fail(struct genpool_ext *pool, size_t size,
			  unsigned long caller)
{
	struct genpool_ext_chunk *chunk;
	unsigned long free_units = 0, largest = 0;
	size_t avail = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		avail += atomic_long_read(&chunk->avail);
		largest = max(largest, gpx_longest_free(chunk, &free_units));
	}
	rcu_read_unlock();
	trace_genpool_ext_alloc_fail(pool, size, avail,
				     (size_t)largest << pool->min_alloc_order,
				     caller);
}

/**
 * genpool_ext_get_stats - take a snapshot of a pool's statistics
 * @pool: the pool
 * @stats: filled in
 *
 * Walks every chunk's bitmap for the largest free extent, so the cost is
 * linear in the pool size: meant for debugfs and tests, not hot paths.
 *
 * Context: any context.
 * Return: 0, or -EINVAL if @pool or @stats is NULL.
 */
int genpool_ext_get_stats(struct genpool_ext *pool,
			  struct genpool_ext_stats *stats)
{
	struct genpool_ext_chunk *chunk;
	unsigned long free_units = 0, largest = 0;
	int cpu;

	if (!pool || !stats)
		return -EINVAL;
	memset(stats, 0, sizeof(*stats));
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		stats->chunks++;
		stats->size += gpx_chunk_size(chunk);
		stats->avail += atomic_long_read(&chunk->avail);
		largest = max(largest, gpx_longest_free(chunk, &free_units));
	}
	rcu_read_unlock();
	stats->largest_free = (size_t)largest << pool->min_alloc_order;
	if (free_units)
		stats->fragmentation = mult_frac(free_units - largest, 1000,
						 free_units);
	for_each_possible_cpu(cpu) {
		struct genpool_ext_pcpu *p = per_cpu_ptr(pool->stats, cpu);

		stats->allocs += READ_ONCE(p->allocs);
		stats->frees += READ_ONCE(p->frees);
		stats->alloc_failures += READ_ONCE(p->alloc_failures);
		stats->misuse += READ_ONCE(p->misuse);
		stats->search_words += READ_ONCE(p->search_words);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(genpool_ext_get_stats);

/**
 * genpool_ext_read_stats - deprecated name of genpool_ext_get_stats()
 * @pool: the pool
 * @stats: filled in
 *
 * Kept so that drivers written against the first API keep building and
 * loading; the three modules now share the <module>_get_stats() name.
 *
 * Context: any context.
 * Return: as genpool_ext_get_stats().
 */
int genpool_ext_read_stats(struct genpool_ext *pool,
			   struct genpool_ext_stats *stats)
{
	return genpool_ext_get_stats(pool, stats);
}
EXPORT_SYMBOL_GPL(genpool_ext_read_stats);

/* Check one chunk; see genpool_ext_validate(). */
static bool gpx_chunk_ok(struct genpool_ext *pool,
			 struct genpool_ext_chunk *chunk)
{
	struct gpx_ctx c = {
		.map = chunk->bits,
		.size = chunk->nbits,
		.index = chunk->index,
	};
	unsigned long busy, g, sum, exact, b;
	unsigned long tail = chunk->nbits % BITS_PER_LONG;
	unsigned long ng = gpx_ngroups(&c);
	atomic_long_t *row;

	/* Bits past the end must stay clear: scans rely on it. */
	if (tail && (chunk->bits[chunk->nbits / BITS_PER_LONG] &
		     BITMAP_FIRST_WORD_MASK(tail)))
		return false;
	busy = bitmap_weight(chunk->bits, chunk->nbits);
	if ((unsigned long)atomic_long_read(&chunk->avail) !=
	    gpx_chunk_size(chunk) - (busy << pool->min_alloc_order))
		return false;
	for (g = 0; g < ng; g++) {
		sum = atomic_long_read(&chunk->index[g]);
		exact = gpx_index_exact(&c, g);
		/* The summary may promise more than the bitmap has, not less. */
		if (exact & ~sum)
			return false;
		/* So may the rows, for each bucket and suffix bit. */
		if (!gpx_has_rows(ng))
			continue;
		for (exact &= GPX_ROW_BITS; exact; exact &= exact - 1) {
			b = __ffs(exact);
			row = gpx_row(chunk->index, ng, gpx_row_of(b));
			if (!(atomic_long_read(&row[g / BITS_PER_LONG]) &
			      BIT(g % BITS_PER_LONG)))
				return false;
		}
	}
	/* Likewise the chunk's hint, or searches would pass the chunk by. */
	return (atomic_long_read(&chunk->longest) & GPX_LONGEST_LEN) >=
	       min(gpx_chunk_longest(&c), GPX_LONGEST_LEN);
}

/**
 * genpool_ext_validate - check a pool's internal consistency
 * @pool: the pool, with no allocation or free in flight
 *
 * Checks, for every chunk, that avail matches the bitmap, that no bit past
 * the chunk's end is set, and that the search index (summaries and rows)
 * and the chunk's longest-run hint do not claim less free space than the
 * bitmap holds (which would make searches miss it).
 *
 * Context: any context.
 * Return: 0 if consistent, -EUCLEAN if not, -EINVAL for a NULL @pool.
 */
int genpool_ext_validate(struct genpool_ext *pool)
{
	struct genpool_ext_chunk *chunk;
	int ret = 0;

	if (!pool)
		return -EINVAL;
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		if (!gpx_chunk_ok(pool, chunk)) {
			ret = -EUCLEAN;
			break;
		}
	}
	rcu_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(genpool_ext_validate);
