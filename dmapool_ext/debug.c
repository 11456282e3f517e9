// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext runtime checks: poisoning, and the report of a refused free.
 *
 * The kernel's dma_pool poisons only in CONFIG_SLUB_DEBUG_ON builds. Here
 * the module parameter "debug" (the name mempool_ext and genpool_ext use
 * too; "poison" is its deprecated old name and sets the same switch) turns
 * it on at run time, for the pools
 * created while it is set (a pool keeps the setting it was born with:
 * switching an existing pool would make its unpoisoned free blocks look
 * corrupted). A poisoning pool fills free blocks, every byte of them (the
 * pool keeps nothing in a block), with POOL_POISON_FREED, checks that fill
 * when it hands a block out, and fills allocated blocks with
 * POOL_POISON_ALLOCATED unless they must be zeroed, so writes to free
 * blocks (a use after free, or a device still writing) and reads of
 * uninitialised blocks both show. A modified free block is reported (a
 * WARN the first time for a pool, an error line after that) and counted,
 * and the block is then handed out refilled, like any other.
 */

#include <linux/device.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/poison.h>
#include <linux/printk.h>
#include <linux/string.h>

#include <common/pool_ext_leak.h>
#include "internal.h"
#include "trace.h"

DEFINE_STATIC_KEY_FALSE(dpx_poison_key);

static bool dpx_debug_param;
module_param_named(debug, dpx_debug_param, bool, 0644);
MODULE_PARM_DESC(debug,
		 "Poison free blocks of pools created from now on and check the poison at allocation (default: off)");
/* The first name of "debug", kept so that old command lines still work. */
module_param_named(poison, dpx_debug_param, bool, 0644);
MODULE_PARM_DESC(poison, "Deprecated: the old name of \"debug\"");

bool dpx_poison_enabled(void)
{
	return READ_ONCE(dpx_debug_param);
}

/* A new page, before it is carved: everything in it is free. */
void dpx_poison_page(struct dmapool_ext *pool, void *vaddr)
{
	memset(vaddr, POOL_POISON_FREED, pool->allocation);
}

/*
 * Finish freeing a block of a poisoning pool: poison it, then drop the
 * lock the caller took.
 */
void dpx_free_poisoned(struct dmapool_ext *pool, void *block,
		       unsigned long flags)
	__releases(&pool->lock)
{
	memset(block, POOL_POISON_FREED, pool->size);
	dpx_unlock(pool, flags);
}

/*
 * A block just handed out: report any byte that changed while the block
 * was free, then fill it for its new owner. The block is the caller's
 * now, so no lock is held for the check.
 * Return: @block.
 */
void *dpx_poison_alloc(struct dmapool_ext *pool, void *block, dma_addr_t dma,
		       gfp_t gfp)
{
	unsigned long flags;
	u8 *bad;
	bool warn;

	bad = memchr_inv(block, POOL_POISON_FREED, pool->size);
	if (unlikely(bad)) {
		unsigned int at = bad - (u8 *)block;

		spin_lock_irqsave(&pool->lock, flags);
		pool->nr_corruptions++;
		warn = !pool->warned_corrupt;
		pool->warned_corrupt = true;
		spin_unlock_irqrestore(&pool->lock, flags);

		if (!dpx_warn(warn,
			      "dmapool_ext_alloc: %s %s: block %p (dma %pad) corrupted while free, first bad byte at offset %u\n",
			      dev_name(pool->dev), pool->name, block, &dma, at))
			dev_err_ratelimited(pool->dev,
					    "dmapool_ext_alloc: %s: block %p (dma %pad) corrupted while free, first bad byte at offset %u\n",
					    pool->name, block, &dma, at);
		print_hex_dump(KERN_ERR, "dmapool_ext: ", DUMP_PREFIX_OFFSET,
			       16, 1, (u8 *)block + ALIGN_DOWN(at, 16),
			       min(64U, pool->size - ALIGN_DOWN(at, 16)),
			       false);
	}
	if (want_init_on_alloc(gfp))
		return dpx_zero(pool, block);
	return memset(block, POOL_POISON_ALLOCATED, pool->size);
}

/*
 * Add the busy blocks of a checking pool to a by-caller table. Caller
 * holds pool->lock, or is the destroy (nothing else runs on the pool).
 */
void dpx_debug_leaks(struct dmapool_ext *pool, struct pool_ext_leaks *l)
{
	struct dpx_page *page;
	unsigned long *callers;
	unsigned long n;
	unsigned int b;

	for (b = 0; b < (1U << pool->hash_bits); b++) {
		for (page = pool->hash->bucket[b]; page != DPX_CHAIN_END;
		     page = page->hnext) {
			if (page->nr_free == pool->blocks_per_page)
				continue;
			callers = dpx_callers(pool, page);
			/*
			 * A busy block: its start is not free. A checking pool
			 * has no magazines, so no block is cached, and keeps
			 * no busy map.
			 */
			for_each_set_bit(n, pool->start_map, pool->map_bits)
				if (!test_bit(n, page->free_map))
					pool_ext_leaks_add(l, callers[n],
							   pool->size);
		}
	}
}

/*
 * dpx_refuse_free - refuse a free that failed validation
 * @pool: the pool
 * @flags: from taking pool->lock, which the caller holds
 * @vaddr: the address passed to dmapool_ext_free()
 * @dma: the DMA address passed with it
 * @page: the pool's page holding @vaddr, or NULL (or the chain end) if
 *	there is none
 *
 * The fast path only knows that some check failed; work out which, count
 * it, drop the lock and say why the free was refused: a full warning the
 * first time for a pool, so the backtrace names the caller, and a
 * rate-limited error line after that. Nothing else changes.
 */
void dpx_refuse_free(struct dmapool_ext *pool, unsigned long flags,
		     const void *vaddr, dma_addr_t dma, struct dpx_page *page)
	__releases(&pool->lock)
{
	static const char * const whys[] = {
		[DPX_BAD_FOREIGN] = "address not from this pool",
		[DPX_BAD_INSIDE] = "address not at a block start",
		[DPX_BAD_DMA] = "DMA handle does not match the address",
		[DPX_BAD_DOUBLE] = "double free",
	};
	enum dpx_bad bad;
	unsigned long off;
	const char *why;
	bool warn;

	if (page == DPX_CHAIN_END)
		page = NULL;
	off = page ? vaddr - page->vaddr : 0;
	if (!page)
		bad = DPX_BAD_FOREIGN;
	else if (!dpx_block_start(pool, off))
		bad = DPX_BAD_INSIDE;
	else if (dma != page->dma + off)
		bad = DPX_BAD_DMA;
	else
		bad = DPX_BAD_DOUBLE;
	why = whys[bad];
	/* Neither busy nor on the free list: in a magazine, or on its way. */
	if (bad == DPX_BAD_DOUBLE &&
	    !test_bit(off >> pool->gran_shift, page->free_map))
		why = "double free (block cached for reuse)";
	trace_dmapool_ext_bad_free(pool, vaddr, dma, bad);
	pool->nr_bad_frees++;
	warn = !pool->warned;
	pool->warned = true;
	dpx_unlock(pool, flags);

	dpx_warn(warn, "dmapool_ext_free: %s %s: refused free of %p (dma %pad): %s\n",
		 dev_name(pool->dev), pool->name, vaddr, &dma, why);
	if (!warn)
		dev_err_ratelimited(pool->dev,
				    "dmapool_ext_free: %s: refused free of %p (dma %pad): %s\n",
				    pool->name, vaddr, &dma, why);
}
