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
 * Each chunk also keeps, per unit, the return address into the code that
 * made the allocation starting there, so that a destroy that finds live
 * allocations, and the "leaks" debugfs file, can name that code
 * (common/pool_ext_leak.h). It is written once per allocation with
 * WRITE_ONCE() and only read where a first mark says it is live.
 *
 * The marks change by atomic bitops (set_bit(), test_and_clear_bit()), so
 * the checks are as lockless and NMI-safe as the rest; with the checks
 * off, the alloc and free paths test one pool field and nothing else.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/compiler.h>
#include <linux/export.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <common/pool_ext_leak.h>
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

/* The callers, one word per unit, after both sets of marks. */
static inline unsigned long *gpx_callers(struct genpool_ext_chunk *chunk)
{
	return chunk->marks + 2 * BITS_TO_LONGS(chunk->nbits);
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
	chunk->marks = kvcalloc(2 * BITS_TO_LONGS(chunk->nbits) + chunk->nbits,
				sizeof(unsigned long), GFP_KERNEL);
	return chunk->marks ? 0 : -ENOMEM;
}

/**
 * __gpx_debug_alloc - mark the boundaries of a new allocation
 * @chunk: its chunk
 * @bit: its first unit
 * @nr: its units
 * @caller: the return address into the code that asked for it, or 0 to
 *	keep the one recorded (marks put back after a refused free)
 *
 * Context: any context.
 */
void __gpx_debug_alloc(struct genpool_ext_chunk *chunk, unsigned long bit,
		       unsigned long nr, unsigned long caller)
{
	if (!chunk->marks)
		return;
	/* Before the first mark, which is what makes it count as live. */
	if (caller)
		WRITE_ONCE(gpx_callers(chunk)[bit], caller);
	set_bit(bit + nr - 1, gpx_lasts(chunk));
	set_bit(bit, gpx_firsts(chunk));
}

/**
 * __gpx_debug_free - check a free against the allocation boundaries
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
enum gpx_misuse __gpx_debug_free(struct genpool_ext_chunk *chunk,
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

/**
 * gpx_debug_leaks - add @chunk's live allocations to a by-caller table
 * @chunk: a chunk of a pool with the debug checks on
 * @order: the pool's min_alloc_order
 * @l: the table
 *
 * Each live allocation starts on a first mark and ends on the next last
 * mark. Allocations made before the checks were on have no marks and are
 * not seen (genpool_ext_set_debug() turns them on only on an idle pool).
 *
 * Context: any context; a moment's picture if the pool is in use.
 * Return: false if the chunk keeps no marks.
 */
bool gpx_debug_leaks(struct genpool_ext_chunk *chunk, int order,
		     struct pool_ext_leaks *l)
{
	unsigned long bit = 0, end;

	if (!chunk->marks)
		return false;
	for (;;) {
		/*
		 * data_race(): word reads racing with other allocations'
		 * marks, as in __gpx_debug_free(); a report on a pool in use
		 * is a moment's picture anyway.
		 */
		bit = data_race(find_next_bit(gpx_firsts(chunk), chunk->nbits,
					      bit));
		if (bit >= chunk->nbits)
			break;
		/* data_race(): as above. */
		end = data_race(find_next_bit(gpx_lasts(chunk), chunk->nbits,
					      bit));
		if (end >= chunk->nbits)
			break;
		pool_ext_leaks_add(l, READ_ONCE(gpx_callers(chunk)[bit]),
				   (end - bit + 1) << order);
		bit = end + 1;
	}
	return true;
}

/**
 * gpx_debug_report_leaks - name the code behind a destroyed pool's leaks
 * @pool: a pool being destroyed with live allocations
 *
 * Prints, after the destroy's warning, up to %POOL_EXT_LEAK_CALLERS lines
 * such as "3 blocks (192 bytes) from mydrv_xmit+0x4c/0x120 [mydrv]".
 * Nothing without the debug checks: then no caller was recorded.
 *
 * Context: process context.
 */
void gpx_debug_report_leaks(struct genpool_ext *pool)
{
	struct genpool_ext_chunk *chunk;
	struct pool_ext_leaks l;
	bool any = false;

	pool_ext_leaks_init(&l);
	list_for_each_entry(chunk, &pool->chunks, next_chunk)
		any |= gpx_debug_leaks(chunk, pool->min_alloc_order, &l);
	if (!any || !l.count)
		return;
	pool_ext_leaks_print(&l, pool->name ?: "pool", pool->id, "blocks");
}
