/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmapool_ext: pools of fixed-size blocks of coherent DMA memory.
 *
 * A drop-in for the kernel's dma_pool (include/linux/dmapool.h): the
 * functions carry the same arguments and semantics, so a driver ports by
 * renaming dma_pool_X to dmapool_ext_X and dmam_pool_X to
 * devm_dmapool_ext_X. Beyond the kernel, every free is validated in every
 * build at O(1) cost, freed blocks can be poisoned at run time (module
 * parameter "poison"), and each pool keeps statistics, shown in debugfs
 * under /sys/kernel/debug/dmapool_ext/<name>-<id>/stats and returned by
 * dmapool_ext_get_stats().
 */
#ifndef _DMAPOOL_EXT_H
#define _DMAPOOL_EXT_H

#include <linux/gfp.h>
#include <linux/types.h>

struct device;
struct dmapool_ext;

/**
 * struct dmapool_ext_stats - a snapshot of one pool's counters
 * @size: block size in bytes, after rounding up to @align
 * @align: block alignment in bytes
 * @boundary: no block crosses a multiple of this (the allocation unit when
 *	the pool was created without a boundary)
 * @allocation: bytes taken from dma_alloc_coherent() per page
 * @blocks_per_page: blocks carved from each page
 * @blocks_in_use: blocks allocated and not yet freed
 * @blocks_total: blocks in all pages, free or not
 * @pages: pages held by the pool
 * @high_water: the largest @blocks_in_use seen since creation
 * @allocs: blocks handed out since creation
 * @frees: blocks taken back since creation (refused frees not counted)
 * @alloc_failures: allocations that returned %NULL for lack of memory
 * @bad_frees: frees refused by validation (each left the pool unchanged)
 * @corruptions: poisoned free blocks found modified when allocated
 * @poison: whether the pool poisons its free blocks
 */
struct dmapool_ext_stats {
	size_t size;
	size_t align;
	size_t boundary;
	size_t allocation;
	size_t blocks_per_page;
	size_t blocks_in_use;
	size_t blocks_total;
	size_t pages;
	size_t high_water;
	unsigned long allocs;
	unsigned long frees;
	unsigned long alloc_failures;
	unsigned long bad_frees;
	unsigned long corruptions;
	bool poison;
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

void dmapool_ext_get_stats(struct dmapool_ext *pool,
			   struct dmapool_ext_stats *stats);

#endif /* _DMAPOOL_EXT_H */
