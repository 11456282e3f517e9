// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext core: pool creation and destruction, pages and their carving.
 *
 * Concurrency contract
 * --------------------
 * - dmapool_ext_alloc(), dmapool_ext_zalloc() and dmapool_ext_free() may be
 *   called concurrently on one pool from any context, interrupts included,
 *   as long as the GFP flags fit the context (GFP_ATOMIC where sleeping is
 *   not allowed). Each pool has one spinlock, taken with interrupts off,
 *   that serialises its free list, its page hash table, the page bitmaps
 *   and the counters; every operation holds it for O(1) work.
 * - A new page is allocated (header and DMA memory), poisoned and carved
 *   with the lock dropped: dma_alloc_coherent() may sleep, and the page is
 *   private until it is published under the lock.
 * - dmapool_ext_create*() and dmapool_ext_destroy() may sleep. The caller
 *   guarantees that nothing uses a pool once its destruction has begun, as
 *   with the kernel's dma_pool.
 * - The contents of a block belong to whoever holds it: the pool touches a
 *   free block (its link, its poison) only under the lock, and an allocated
 *   block only in the allocating call, before handing it out.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

static atomic_t dpx_next_id = ATOMIC_INIT(0);

/* Zone modifiers and __GFP_ZERO make no sense for kmalloc'ed headers. */
static gfp_t dpx_meta_gfp(gfp_t gfp)
{
	return gfp & ~(GFP_ZONEMASK | __GFP_ZERO);
}

/*
 * Check the arguments as the kernel's dma_pool does and work out the
 * geometry. Return: true if the pool can be built.
 */
static bool dpx_geometry(struct dmapool_ext *pool, size_t size, size_t align,
			 size_t boundary)
{
	size_t allocation;

	if (!align)
		align = 1;
	if (!is_power_of_2(align) || !size || size > INT_MAX)
		return false;
	size = max_t(size_t, size, DPX_MIN_SIZE);
	size = ALIGN(size, align);
	if (size > INT_MAX)
		return false;
	allocation = max_t(size_t, size, PAGE_SIZE);
	if (!boundary)
		boundary = allocation;
	else if (boundary < size || !is_power_of_2(boundary))
		return false;
	boundary = min(boundary, allocation);

	pool->size = size;
	pool->align = align;
	pool->allocation = allocation;
	pool->boundary = boundary;
	pool->page_shift = PAGE_SHIFT + get_order(allocation);
	/* The widest rounds that divide the size. */
	if (size > PAGE_SIZE)
		pool->zero_mode = DPX_ZERO_MEMSET;
	else if (IS_ALIGNED(size, 256))
		pool->zero_mode = DPX_ZERO_256;
	else if (IS_ALIGNED(size, 64))
		pool->zero_mode = DPX_ZERO_64;
	else if (IS_ALIGNED(size, 16) && size <= DPX_ZERO_16_MAX)
		pool->zero_mode = DPX_ZERO_16;
	else
		pool->zero_mode = DPX_ZERO_MEMSET;
	if (boundary < allocation)
		/* Then size <= PAGE_SIZE == allocation, both powers of 2. */
		pool->blocks_per_page = (allocation / boundary) *
					(boundary / size);
	else
		pool->blocks_per_page = allocation / size;
	if (pool->blocks_per_page == 1) {
		/* The only block starts the page: one granule, one bit. */
		pool->gran_shift = pool->page_shift;
		pool->map_bits = 1;
	} else {
		/* allocation == PAGE_SIZE: a page of granules. */
		pool->gran_shift = __ffs(size);
		pool->map_bits = allocation >> pool->gran_shift;
	}
	pool->gran_mask = (1UL << pool->gran_shift) - 1;
	return true;
}

static struct dmapool_ext *dpx_create(const char *name, struct device *dev,
				      size_t size, size_t align,
				      size_t boundary, int node, bool dev_ref)
{
	struct dmapool_ext *pool;

	if (WARN_ONCE(!dev || !name, "dmapool_ext_create: no %s\n",
		      dev ? "name" : "device"))
		return NULL;

	pool = kzalloc_node(sizeof(*pool), GFP_KERNEL, node);
	if (!pool)
		return NULL;
	if (!dpx_geometry(pool, size, align, boundary)) {
		WARN_ONCE(1, "dmapool_ext_create: %s: invalid size %zu, align %zu or boundary %zu\n",
			  name, size, align, boundary);
		kfree(pool);
		return NULL;
	}
	pool->hash_bits = DPX_HASH_BITS_MIN;
	pool->hash_mask = (1UL << DPX_HASH_BITS_MIN) - 1;
	pool->hash = dpx_hash_alloc(pool->hash_bits, GFP_KERNEL, node);
	if (!pool->hash) {
		kfree(pool);
		return NULL;
	}
	spin_lock_init(&pool->lock);
	strscpy(pool->name, name, sizeof(pool->name));
	pool->node = node;
	pool->poison = dpx_poison_enabled();
	if (pool->poison)
		static_branch_inc(&dpx_poison_key);
	pool->dev = dev;
	/*
	 * The pool uses @dev until it is destroyed (DMA frees, debugfs), so
	 * it pins it. A managed pool does not: devres destroys it before the
	 * device can go, and a reference would keep the device, hence its
	 * devres list, alive forever when the device is never added.
	 */
	pool->dev_ref = dev_ref;
	if (dev_ref)
		get_device(dev);
	pool->id = atomic_inc_return(&dpx_next_id);
	dpx_debugfs_add(pool);
	return pool;
}

struct dmapool_ext *dpx_create_managed(const char *name, struct device *dev,
				       size_t size, size_t align,
				       size_t boundary)
{
	return dpx_create(name, dev, size, align, boundary, NUMA_NO_NODE,
			  false);
}

/**
 * dmapool_ext_create_node - create a pool of coherent DMA blocks
 * @name: name of the pool, for diagnostics and debugfs
 * @dev: device that will do the DMA; the pool holds a reference on it
 * @size: block size in bytes; rounded up to @align (and to 16 bytes)
 * @align: block alignment, a power of two; 0 means 1
 * @boundary: a power of two >= @size that no block may cross, or 0
 * @node: NUMA node for the pool's own structures, or %NUMA_NO_NODE
 *
 * Blocks come from dma_alloc_coherent() pages of max(@size, PAGE_SIZE)
 * bytes, so the device and the CPU see them without cache maintenance.
 * Blocks end exactly on @boundary when they fit: none is wasted.
 *
 * Context: process context; may sleep.
 * Return: the new pool, or %NULL if the arguments are invalid (a warning
 * says which) or memory is short.
 */
struct dmapool_ext *dmapool_ext_create_node(const char *name,
					    struct device *dev, size_t size,
					    size_t align, size_t boundary,
					    int node)
{
	return dpx_create(name, dev, size, align, boundary, node, true);
}
EXPORT_SYMBOL_GPL(dmapool_ext_create_node);

/**
 * dmapool_ext_create - create a pool of coherent DMA blocks
 * @name: name of the pool, for diagnostics and debugfs
 * @dev: device that will do the DMA; the pool holds a reference on it
 * @size: block size in bytes; rounded up to @align (and to 16 bytes)
 * @align: block alignment, a power of two; 0 means 1
 * @boundary: a power of two >= @size that no block may cross, or 0
 *
 * dmapool_ext_create_node() with no NUMA preference.
 *
 * Context: process context; may sleep.
 * Return: the new pool, or %NULL if the arguments are invalid (a warning
 * says which) or memory is short.
 */
struct dmapool_ext *dmapool_ext_create(const char *name, struct device *dev,
				       size_t size, size_t align,
				       size_t boundary)
{
	return dpx_create(name, dev, size, align, boundary, NUMA_NO_NODE, true);
}
EXPORT_SYMBOL_GPL(dmapool_ext_create);

/* Return: whether no block of @page is in use. */
static bool dpx_page_idle(const struct dmapool_ext *pool,
			  const struct dpx_page *page)
{
	unsigned int w;

	/* Whole words are set at creation, bits past map_bits included. */
	for (w = 0; w < BITS_TO_LONGS(pool->map_bits); w++)
		if (page->free_map[w] != ~0UL)
			return false;
	return true;
}

/**
 * dmapool_ext_destroy - destroy a pool and give back its memory
 * @pool: the pool, or %NULL (then nothing happens)
 *
 * The caller guarantees that nothing allocates from or frees to @pool any
 * more. Blocks still in use are a caller bug: the pool then warns with the
 * counts, frees every page that has no block in use and leaks only the
 * pages that do, since a device may still be writing to them.
 *
 * Context: process context; may sleep.
 */
void dmapool_ext_destroy(struct dmapool_ext *pool)
{
	size_t busy_pages = 0, pages = 0;
	struct dpx_page *page, *next;
	unsigned int b;

	if (!pool)
		return;
	dpx_debugfs_remove(pool);
	for (b = 0; b < (1U << pool->hash_bits); b++) {
		for (page = pool->hash[b]; page != &dpx_no_page; page = next) {
			next = page->hnext;
			pages++;
			if (dpx_page_idle(pool, page))
				dma_free_coherent(pool->dev, pool->allocation,
						  page->vaddr, page->dma);
			else
				busy_pages++;
			kfree(page);
		}
	}
	WARN(pool->nr_active,
	     "%s: %s %s: %zu of %zu blocks busy; leaking %zu of %zu pages\n",
	     __func__, dev_name(pool->dev), pool->name, pool->nr_active,
	     pool->nr_blocks, busy_pages, pages);
	if (pool->poison)
		static_branch_dec(&dpx_poison_key);
	if (pool->dev_ref)
		put_device(pool->dev);
	kfree(pool->hash);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(dmapool_ext_destroy);

/*
 * Allocate and carve a page, with no lock held: the page is private until
 * dpx_page_publish(). Its blocks are chained in ascending address order,
 * the last one's link left for dpx_page_publish() to fill.
 * Return: the page header, or NULL.
 */
static struct dpx_page *dpx_page_new(struct dmapool_ext *pool, gfp_t gfp,
				     struct dpx_block **last)
{
	unsigned int words = BITS_TO_LONGS(pool->map_bits);
	unsigned int offset = 0, next_boundary = pool->boundary;
	struct dpx_block *block, *prev = NULL;
	struct dpx_page *page;

	page = kmalloc_node(struct_size(page, free_map, words),
			    dpx_meta_gfp(gfp), pool->node);
	if (!page)
		return NULL;
	page->vaddr = dma_alloc_coherent(pool->dev, pool->allocation,
					 &page->dma, gfp & ~__GFP_ZERO);
	if (!page->vaddr)
		goto free_header;
	/*
	 * Finding pages by masking addresses relies on the DMA API's
	 * alignment promise; refuse memory that breaks it rather than
	 * misattribute frees.
	 */
	if (WARN_ONCE(dpx_base(pool, (unsigned long)page->vaddr) !=
		      (unsigned long)page->vaddr,
		      "dmapool_ext: %s: dma_alloc_coherent() returned %p, not aligned to %lu\n",
		      pool->name, page->vaddr, 1UL << pool->page_shift))
		goto free_dma;
	page->key = dpx_key(pool, (unsigned long)page->vaddr);

	if (pool->poison)
		dpx_poison_page(pool, page->vaddr);
	/* Every block is free; no other granule ever holds a block. */
	memset(page->free_map, 0xff, words * sizeof(unsigned long));
	while (offset + pool->size <= pool->allocation) {
		/* '>' not '>=': a block ending exactly on a boundary fits. */
		if (offset + pool->size > next_boundary) {
			offset = next_boundary;
			next_boundary += pool->boundary;
			continue;
		}
		block = page->vaddr + offset;
		block->page = page;
		if (prev)
			prev->next = block;
		prev = block;
		offset += pool->size;
	}
	*last = prev;
	return page;

free_dma:
	dma_free_coherent(pool->dev, pool->allocation, page->vaddr, page->dma);
free_header:
	kfree(page);
	return NULL;
}

/* Add a carved page to the pool. Caller holds pool->lock. */
static void dpx_page_publish(struct dmapool_ext *pool, struct dpx_page *page,
			     struct dpx_block *last)
{
	dpx_hash_add(pool, page);
	/* In front of the list, so the page's blocks go out in order. */
	last->next = pool->free;
	pool->free = page->vaddr;
	pool->nr_blocks += pool->blocks_per_page;
	WRITE_ONCE(pool->nr_pages, pool->nr_pages + 1);
}

/*
 * The free list was empty: add a page and take its first block.
 * Called with no lock held.
 */
void *dpx_alloc_slow(struct dmapool_ext *pool, gfp_t gfp, dma_addr_t *handle)
{
	struct dpx_page **table = NULL;
	struct dpx_block *block, *last;
	struct dpx_page *page;
	unsigned long flags;
	unsigned int bits;
	dma_addr_t dma;

	might_alloc(gfp);
	page = dpx_page_new(pool, gfp, &last);
	if (!page) {
		spin_lock_irqsave(&pool->lock, flags);
		pool->nr_failures++;
		spin_unlock_irqrestore(&pool->lock, flags);
		return NULL;
	}
	/*
	 * Keep at most one page per two buckets, so nearly every lookup hits
	 * the first entry of its bucket. The bigger table is allocated here,
	 * unlocked; if that fails the old one still works, with longer
	 * chains, until a later page gets it grown.
	 */
	bits = READ_ONCE(pool->hash_bits);
	if (READ_ONCE(pool->nr_pages) >= (1UL << (bits - 1)))
		table = dpx_hash_alloc(bits + 1, gfp, pool->node);

	spin_lock_irqsave(&pool->lock, flags);
	if (table)
		table = dpx_hash_resize(pool, table, bits + 1);
	dpx_page_publish(pool, page, last);
	block = pool->free;
	dma = dpx_take(pool, block);
	spin_unlock_irqrestore(&pool->lock, flags);

	kfree(table);
	*handle = dma;
	if (static_branch_unlikely(&dpx_poison_key) && pool->poison)
		return dpx_poison_alloc(pool, block, dma, gfp);
	if (want_init_on_alloc(gfp))
		return dpx_zero(pool, block);
	return block;
}

/**
 * dmapool_ext_get_stats - read a pool's counters
 * @pool: the pool
 * @stats: where the snapshot goes
 *
 * The counters are read together under the pool lock, so they are
 * consistent with each other.
 *
 * Context: any context that may take a spinlock_t: not NMI, and on
 * PREEMPT_RT not hard interrupt context.
 * Return: nothing; @stats is filled in.
 */
void dmapool_ext_get_stats(struct dmapool_ext *pool,
			   struct dmapool_ext_stats *stats)
{
	unsigned long flags;

	memset(stats, 0, sizeof(*stats));
	if (WARN_ON_ONCE(!pool))
		return;
	stats->size = pool->size;
	stats->align = pool->align;
	stats->boundary = pool->boundary;
	stats->allocation = pool->allocation;
	stats->blocks_per_page = pool->blocks_per_page;
	stats->poison = pool->poison;
	spin_lock_irqsave(&pool->lock, flags);
	stats->blocks_in_use = pool->nr_active;
	stats->blocks_total = pool->nr_blocks;
	stats->pages = pool->nr_pages;
	stats->high_water = pool->high_water;
	stats->alloc_failures = pool->nr_failures;
	stats->bad_frees = pool->nr_bad_frees;
	stats->corruptions = pool->nr_corruptions;
	spin_unlock_irqrestore(&pool->lock, flags);
}
EXPORT_SYMBOL_GPL(dmapool_ext_get_stats);

static int __init dpx_init(void)
{
	dpx_debugfs_init();
	return 0;
}

static void __exit dpx_exit(void)
{
	dpx_debugfs_exit();
}

module_init(dpx_init);
module_exit(dpx_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Coherent DMA block pools with O(1) validated frees, runtime poisoning and statistics");
