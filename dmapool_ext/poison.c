// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext runtime poisoning.
 *
 * The kernel's dma_pool poisons only in CONFIG_SLUB_DEBUG_ON builds. Here
 * the module parameter "poison" turns it on at run time, for the pools
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
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/poison.h>
#include <linux/printk.h>
#include <linux/string.h>

#include <common/pool_ext_leak.h>
#include "internal.h"

DEFINE_STATIC_KEY_FALSE(dpx_poison_key);

static bool dpx_poison_param;
module_param_named(poison, dpx_poison_param, bool, 0644);
MODULE_PARM_DESC(poison,
		 "Poison free blocks of pools created from now on and check the poison at allocation (default: off)");

bool dpx_poison_enabled(void)
{
	return READ_ONCE(dpx_poison_param);
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

		if (!WARN(warn,
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
		for (page = pool->hash[b]; page != DPX_CHAIN_END;
		     page = page->hnext) {
			if (page->nr_free == pool->blocks_per_page)
				continue;
			callers = dpx_callers(pool, page);
			/* A busy block: its start granule is not free. */
			for_each_set_bit(n, pool->start_map, pool->map_bits)
				if (!test_bit(n, page->free_map))
					pool_ext_leaks_add(l, callers[n],
							   pool->size);
		}
	}
}
