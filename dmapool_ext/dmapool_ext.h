/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmapool_ext: pools of fixed-size blocks of coherent DMA memory.
 *
 * A drop-in for the kernel's dma_pool (include/linux/dmapool.h): the
 * functions carry the same arguments and semantics, so a driver ports by
 * renaming dma_pool_X to dmapool_ext_X and dmam_pool_X to
 * devm_dmapool_ext_X. Beyond the kernel, every free is validated in every
 * build at O(1) cost, freed blocks can be poisoned at run time (module
 * parameter "debug"; "poison" is its deprecated old name), and each pool
 * keeps statistics, shown in debugfs under
 * /sys/kernel/debug/dmapool_ext/<name>-<id>/stats and returned by
 * dmapool_ext_get_stats().
 *
 * Concurrency contract:
 *  - dmapool_ext_alloc(), dmapool_ext_zalloc() and dmapool_ext_free() may be
 *    called concurrently on one pool from any context, interrupts included,
 *    as long as the GFP flags fit the context (GFP_ATOMIC where sleeping is
 *    not allowed). Each pool has one spinlock, taken with interrupts off,
 *    that serialises its list of pages with a free block, changes to its
 *    page hash table, the page headers' free lists and the counters. In
 *    front of it, each CPU keeps up to 32 free blocks of each pool that
 *    does not poison, in task context under a local_lock: most
 *    allocations and frees from tasks take no pool-wide lock. Every
 *    operation is O(1).
 *  - A new page is allocated (header and DMA memory) and poisoned with the
 *    lock dropped: dma_alloc_coherent() may sleep, and the page is private
 *    until it is published under the lock.
 *  - dmapool_ext_create*() and dmapool_ext_destroy() may sleep. The caller
 *    guarantees that nothing uses a pool once its destruction has begun, as
 *    with the kernel's dma_pool.
 *  - The contents of a block belong to whoever holds it, and the pool never
 *    reads them for its own use: it writes a free block (poison, zeroes on
 *    free) only under the lock, and an allocated block only in the
 *    allocating call, before handing it out.
 */
#ifndef _DMAPOOL_EXT_H
#define _DMAPOOL_EXT_H

#include <linux/gfp.h>
#include <linux/types.h>

struct device;
struct dmapool_ext;

/**
 * struct dmapool_ext_stats - a snapshot of one pool's counters
 * @block_size: block size in bytes, after rounding up to @align
 * @size: deprecated name of @block_size, kept for old callers
 * @align: block alignment in bytes
 * @boundary: no block crosses a multiple of this (the allocation unit when
 *	the pool was created without a boundary)
 * @allocation: bytes taken from dma_alloc_coherent() per page
 * @blocks_per_page: blocks carved from each page
 * @blocks_in_use: blocks allocated and not yet freed
 * @blocks_total: blocks in all pages, free or not
 * @pages: pages held by the pool
 * @blocks_in_use_max: the largest @blocks_in_use seen since creation; on a
 *	pool with per-CPU caches (any pool that does not poison), the largest
 *	number of blocks in use and cached together, an upper bound
 * @high_water: deprecated name of @blocks_in_use_max, kept for old callers
 *	(mempool_ext's high-water mark was a reserve drain, a different
 *	quantity, hence the new names on both sides)
 * @allocs: blocks handed out since creation
 * @frees: blocks taken back since creation (refused frees not counted)
 * @alloc_failures: allocations that returned %NULL for lack of memory
 * @bad_frees: frees refused by validation (each left the pool unchanged)
 * @corruptions: poisoned free blocks found modified when allocated
 * @debug: whether the pool runs the debug checks: it poisons its free
 *	blocks and checks the poison when it hands them out (module parameter
 *	"debug" when the pool was created)
 * @poison: deprecated name of @debug, kept for old callers
 */
struct dmapool_ext_stats {
	union {
		size_t block_size;
		size_t size;		/* deprecated: use block_size */
	};
	size_t align;
	size_t boundary;
	size_t allocation;
	size_t blocks_per_page;
	size_t blocks_in_use;
	size_t blocks_total;
	size_t pages;
	union {
		size_t blocks_in_use_max;
		size_t high_water;	/* deprecated: use blocks_in_use_max */
	};
	unsigned long allocs;
	unsigned long frees;
	unsigned long alloc_failures;
	unsigned long bad_frees;
	unsigned long corruptions;
	union {
		bool debug;
		bool poison;		/* deprecated: use debug */
	};
};

struct dmapool_ext *dmapool_ext_create(const char *name, struct device *dev,
				       size_t size, size_t align,
				       size_t boundary);
struct dmapool_ext *dmapool_ext_create_node(const char *name,
					    struct device *dev, size_t size,
					    size_t align, size_t boundary,
					    int node);
void dmapool_ext_destroy(struct dmapool_ext *pool);

void *dmapool_ext_alloc(struct dmapool_ext *pool, gfp_t gfp,
			dma_addr_t *handle);
void *dmapool_ext_zalloc(struct dmapool_ext *pool, gfp_t gfp,
			 dma_addr_t *handle);
void dmapool_ext_free(struct dmapool_ext *pool, void *vaddr, dma_addr_t dma);

struct dmapool_ext *devm_dmapool_ext_create(const char *name,
					    struct device *dev, size_t size,
					    size_t align, size_t boundary);
void devm_dmapool_ext_destroy(struct dmapool_ext *pool);

int dmapool_ext_get_stats(struct dmapool_ext *pool,
			  struct dmapool_ext_stats *stats);
size_t dmapool_ext_blocks_cached(struct dmapool_ext *pool);

#endif /* _DMAPOOL_EXT_H */
