// SPDX-License-Identifier: GPL-2.0
/*
 * genpool_ext runtime debug checks: allocation boundaries.
 *
 * A bitmap records which units are in use, not where allocations begin
 * and end, so a free of part of a live block, or one that runs on over a
 * live neighbour, finds every bit set and would be accepted (the kernel's
 * gen_pool accepts both). With the checks on, each chunk keeps two more
 * bitmaps: the first and the last unit of every live allocation. A free
 * must then start on a first unit, end on a last unit, and contain no
 * other first unit, or it is refused as misuse.
 *
 * The module parameter "debug" is the default for new pools;
 * genpool_ext_set_debug() switches one pool. Switching on needs a pool
 * with no allocation, because those made while off have no marks.
 *
 * The marks change by atomic bitops (set_bit(), test_and_clear_bit()), so
 * the checks are as lockless and NMI-safe as the rest; with the checks
 * off, the alloc and free paths test one pool field and nothing else.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include "internal.h"

bool gpx_debug_default;
module_param_named(debug, gpx_debug_default, bool, 0644);
MODULE_PARM_DESC(debug,
		 "Check every free against the allocation's boundaries in new pools (default: off)");

/* First-unit marks of @chunk; the last-unit marks follow them. */
static inline unsigned long *gpx_firsts(struct genpool_ext_chunk *chunk)
{
	return chunk->marks;
}

static inline unsigned long *gpx_lasts(struct genpool_ext_chunk *chunk)
{
	return chunk->marks + BITS_TO_LONGS(chunk->nbits);
}

/**
 * gpx_debug_chunk_init - give a new chunk its marks if its pool checks
 * @pool: the pool
 * @chunk: the chunk, not yet visible
 *
 * Context: process context.
 * Return: 0, or -ENOMEM.
 */
int gpx_debug_chunk_init(struct genpool_ext *pool,
			 struct genpool_ext_chunk *chunk)
{
	if (!READ_ONCE(pool->debug))
		return 0;
	chunk->marks = kvcalloc(2 * BITS_TO_LONGS(chunk->nbits),
				sizeof(unsigned long), GFP_KERNEL);
	return chunk->marks ? 0 : -ENOMEM;
}

/**
 * __gpx_debug_alloc - mark the boundaries of a new allocation
 * @chunk: its chunk
 * @bit: its first unit
 * @nr: its units
 *
 * Context: any context.
 */
void __gpx_debug_alloc(struct genpool_ext_chunk *chunk, unsigned long bit,
		       unsigned long nr)
{
	if (!chunk->marks)
		return;
	set_bit(bit + nr - 1, gpx_lasts(chunk));
	set_bit(bit, gpx_firsts(chunk));
}

/**
 * __gpx_debug_free - check a free against the allocation boundaries
 * @pool: the pool
 * @chunk: the chunk holding the range
 * @bit: first unit freed
 * @nr: units freed
 *
 * On success the range's marks are gone, so a second free of it is seen
 * as such even if the bitmap has been reused since.
 *
 * Context: any context.
 * Return: %GPX_MISUSE_NR if the range is exactly one live allocation;
 * otherwise what is wrong with it, and nothing has changed.
 */
enum gpx_misuse __gpx_debug_free(struct genpool_ext *pool,
				 struct genpool_ext_chunk *chunk,
				 unsigned long bit, unsigned long nr)
{
	unsigned long end = bit + nr;

	if (!chunk->marks)
		return GPX_MISUSE_NR;
	if (!test_bit(bit, gpx_firsts(chunk)) ||
	    !test_bit(end - 1, gpx_lasts(chunk)))
		goto bad;
	/*
	 * data_race(): find_next_bit() reads whole words with plain loads
	 * while other allocations set and clear their marks in them; only
	 * the bits inside this range count, and only a misuse racing with
	 * us can change those.
	 */
	if (data_race(find_next_bit(gpx_firsts(chunk), end, bit + 1)) < end)
		goto bad;
	/* Two frees of one block racing: only one takes the first mark. */
	if (!test_and_clear_bit(bit, gpx_firsts(chunk)))
		goto bad;
	clear_bit(end - 1, gpx_lasts(chunk));
	return GPX_MISUSE_NR;
bad:
	/* Only picks the warning's wording: a racy read is good enough. */
	return data_race(find_next_bit(chunk->bits, end, bit)) < end ?
	       GPX_MISUSE_BOUNDARY : GPX_MISUSE_DOUBLE;
}

/**
 * __gpx_debug_unfree - put back the marks of a free that failed
 * @chunk: the chunk
 * @bit: first unit
 * @nr: units
 *
 * Context: any context.
 */
void __gpx_debug_unfree(struct genpool_ext_chunk *chunk, unsigned long bit,
			unsigned long nr)
{
	__gpx_debug_alloc(chunk, bit, nr);
}

/**
 * genpool_ext_set_debug - turn one pool's allocation-boundary checks on or off
 * @pool: the pool
 * @enable: true to check every free against its allocation
 *
 * Pools start with the module parameter "debug". With the checks on, a
 * free must match one live allocation exactly: a free of part of one, or
 * one that covers a neighbour too, is refused with a warning (once per
 * pool) and changes nothing. Turning them on needs a pool with no live
 * allocation; turning them off always works.
 *
 * Context: process context; no other call on @pool may run concurrently.
 * Return: 0; -EINVAL for a NULL @pool; -EBUSY if @enable and the pool has
 * allocations; -ENOMEM.
 */
int genpool_ext_set_debug(struct genpool_ext *pool, bool enable)
{
	struct genpool_ext_chunk *chunk;
	int ret = 0;

	if (!pool)
		return -EINVAL;
	if (!enable || pool->debug) {
		WRITE_ONCE(pool->debug, enable);
		return 0;
	}
	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		if (atomic_long_read(&chunk->avail) !=
		    (long)gpx_chunk_size(chunk))
			return -EBUSY;
	WRITE_ONCE(pool->debug, true);
	list_for_each_entry(chunk, &pool->chunks, next_chunk) {
		/* Marks left from frees made while the checks were off. */
		if (chunk->marks) {
			bitmap_zero(chunk->marks,
				    2 * BITS_TO_LONGS(chunk->nbits) *
				    BITS_PER_LONG);
			continue;
		}
		ret = gpx_debug_chunk_init(pool, chunk);
		if (ret)
			break;
	}
	if (ret)
		WRITE_ONCE(pool->debug, false);
	return ret;
}
EXPORT_SYMBOL_GPL(genpool_ext_set_debug);
