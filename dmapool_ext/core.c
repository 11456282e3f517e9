// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext core: pool creation and destruction, pages and their carving,
 * and the module's init and exit. The concurrency contract is at the top
 * of dmapool_ext.h.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/percpu.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <common/pool_ext_leak.h>
#include "internal.h"
#include "trace.h"

#ifdef DPX_TEST_HOOKS
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#else
#define KUNIT_STATIC_STUB_REDIRECT(...) do { } while (0)
#define VISIBLE_IF_KUNIT static
#endif

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
	pool->map_longs = BITS_TO_LONGS(pool->map_bits);
	return true;
}

/*
 * Carve a page, once for all pages: mark where blocks start, and which
 * bitmap words hold a block start.
 */
static void dpx_carve(struct dmapool_ext *pool)
{
	unsigned int offset = 0, next_boundary = pool->boundary, w;

	while (offset + pool->size <= pool->allocation) {
		/* '>' not '>=': a block ending exactly on a boundary fits. */
		if (offset + pool->size > next_boundary) {
			offset = next_boundary;
			next_boundary += pool->boundary;
			continue;
		}
		__set_bit(offset >> pool->gran_shift, pool->start_map);
		offset += pool->size;
	}
	for (w = 0; w < BITS_TO_LONGS(pool->map_bits); w++)
		if (pool->start_map[w])
			__set_bit(w, pool->full_summary);
}

static struct dmapool_ext *dpx_create(const char *name, struct device *dev,
				      size_t size, size_t align,
				      size_t boundary, int node)
{
	struct dmapool_ext *pool, geo = { };

	if (dpx_warn_once(!dev || !name, "dmapool_ext_create: no %s\n",
			  dev ? "name" : "device"))
		return NULL;
	if (!dpx_geometry(&geo, size, align, boundary)) {
		dpx_warn_once(1, "dmapool_ext_create: %s: invalid size %zu, align %zu or boundary %zu\n",
			      name, size, align, boundary);
		return NULL;
	}

	/* The map of block starts is as long as a page's bitmap. */
	pool = kzalloc_node(struct_size(pool, start_map,
					BITS_TO_LONGS(geo.map_bits)),
			    GFP_KERNEL, node);
	if (!pool)
		return NULL;
	*pool = geo;
	dpx_carve(pool);
	pool->hash_bits = DPX_HASH_BITS_MIN;
	pool->hash = dpx_hash_alloc(pool->hash_bits, GFP_KERNEL, node);
	pool->pcpu = alloc_percpu(struct dpx_pcpu);
	spin_lock_init(&pool->lock);
	pool->poison = dpx_poison_enabled();
	/* Poisoned free blocks stay under the lock: no magazines. */
	if (!pool->hash || !pool->pcpu || dpx_mag_create(pool)) {
		free_percpu(pool->pcpu);
		kfree(pool->hash);
		kfree(pool);
		return NULL;
	}
	strscpy(pool->name, name, sizeof(pool->name));
	pool->node = node;
	if (pool->poison)
		static_branch_inc(&dpx_poison_key);
	/*
	 * No reference on @dev, as with the kernel's dma_pool: the caller
	 * keeps it alive until the pool is destroyed, and may destroy the
	 * pool from the device's own release callback, which a reference
	 * held here would keep from ever running.
	 */
	pool->dev = dev;
	pool->id = atomic_inc_return(&dpx_next_id);
	dpx_debugfs_add(pool);
	return pool;
}

/**
 * dmapool_ext_create_node - create a pool of coherent DMA blocks
 * @name: name of the pool, for diagnostics and debugfs
 * @dev: device that will do the DMA; it must outlive the pool
 * @size: block size in bytes; rounded up to the kernel's smallest block (a
 *	pointer and a dma_addr_t: 16 bytes on 64-bit), then to @align
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
	return dpx_create(name, dev, size, align, boundary, node);
}
EXPORT_SYMBOL_GPL(dmapool_ext_create_node);

/**
 * dmapool_ext_create - create a pool of coherent DMA blocks
 * @name: name of the pool, for diagnostics and debugfs
 * @dev: device that will do the DMA; it must outlive the pool
 * @size: block size in bytes; rounded up to the kernel's smallest block (a
 *	pointer and a dma_addr_t: 16 bytes on 64-bit), then to @align
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
	return dpx_create(name, dev, size, align, boundary, NUMA_NO_NODE);
}
EXPORT_SYMBOL_GPL(dmapool_ext_create);

/**
 * dpx_dma_alloc - get one page of DMA memory for a pool
 * @pool: the pool
 * @dma: where the page's DMA address goes
 * @gfp: GFP flags of the allocation that needs the page
 *
 * Every page a pool holds comes from here and goes back through
 * dpx_dma_free(). With KUnit in the kernel, a test can stand in for the
 * DMA API (kunit_activate_static_stub()) and hand the pool memory laid out
 * as other DMA setups lay it out; without KUnit the redirect compiles to
 * nothing and the function is static.
 *
 * Context: as dma_alloc_coherent() with @gfp.
 * Return: the page's CPU address, or %NULL.
 */
VISIBLE_IF_KUNIT void *dpx_dma_alloc(struct dmapool_ext *pool,
				     dma_addr_t *dma, gfp_t gfp)
{
	KUNIT_STATIC_STUB_REDIRECT(dpx_dma_alloc, pool, dma, gfp);
	return dma_alloc_coherent(pool->dev, pool->allocation, dma, gfp);
}

#ifdef DPX_TEST_HOOKS
EXPORT_SYMBOL_IF_KUNIT(dpx_dma_alloc);
#endif

/**
 * dpx_dma_free - give back a page from dpx_dma_alloc()
 * @pool: the pool
 * @vaddr: the page's CPU address
 * @dma: the page's DMA address
 *
 * Context: process context, interrupts enabled (dma_free_coherent()).
 */
VISIBLE_IF_KUNIT void dpx_dma_free(struct dmapool_ext *pool, void *vaddr,
				   dma_addr_t dma)
{
	KUNIT_STATIC_STUB_REDIRECT(dpx_dma_free, pool, vaddr, dma);
	dma_free_coherent(pool->dev, pool->allocation, vaddr, dma);
}

#ifdef DPX_TEST_HOOKS
EXPORT_SYMBOL_IF_KUNIT(dpx_dma_free);
#endif

/* Return: whether no block of @page is in use. */
static bool dpx_page_idle(const struct dmapool_ext *pool,
			  const struct dpx_page *page)
{
	return page->nr_free == pool->blocks_per_page;
}

/**
 * dmapool_ext_destroy - destroy a pool and give back its memory
 * @pool: the pool, or %NULL (then nothing happens)
 *
 * The caller guarantees that nothing allocates from or frees to @pool any
 * more. Blocks still in use are a caller bug: the pool then warns with the
 * counts, frees every page that has no block in use and leaks only the
 * pages that do, since a device may still be writing to them. With the
 * runtime checks on (module parameter "poison"), the warning is followed
 * by the busy blocks grouped by the code that allocated them.
 *
 * Context: process context; may sleep.
 */
void dmapool_ext_destroy(struct dmapool_ext *pool)
{
	size_t busy_pages = 0, pages = 0;
	struct dpx_page *page, *next;
	struct pool_ext_leaks l;
	bool report;
	unsigned int b;

	if (!pool)
		return;
	dpx_debugfs_remove(pool);
	/* Cached blocks are free: back on their pages before the count. */
	dpx_mag_destroy(pool);
	/* Who holds the busy blocks, while the page headers are there. */
	report = pool->nr_active && pool->poison;
	if (report) {
		pool_ext_leaks_init(&l);
		dpx_debug_leaks(pool, &l);
	}
	for (b = 0; b < (1U << pool->hash_bits); b++) {
		for (page = pool->hash->bucket[b]; page != DPX_CHAIN_END;
		     page = next) {
			next = page->hnext;
			pages++;
			if (dpx_page_idle(pool, page)) {
				trace_dmapool_ext_page(pool, page->vaddr,
						       page->dma, false);
				dpx_dma_free(pool, page->vaddr, page->dma);
			} else {
				busy_pages++;
			}
			kfree(page);
		}
	}
	if (dpx_warn(pool->nr_active,
		     "%s: %s %s: %zu of %zu blocks busy; leaking %zu of %zu pages\n",
		     __func__, dev_name(pool->dev), pool->name, pool->nr_active,
		     pool->nr_blocks, busy_pages, pages) && report)
		pool_ext_leaks_print(&l, pool->name, pool->id, "blocks");
	if (pool->poison)
		static_branch_dec(&dpx_poison_key);
	free_percpu(pool->pcpu);
	kfree(pool->hash);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(dmapool_ext_destroy);

/*
 * Allocate a page, with no lock held: the page is private until
 * dpx_page_publish(). All its blocks are free.
 * Return: the page header, or NULL.
 */
struct dpx_page *dpx_page_new(struct dmapool_ext *pool, gfp_t gfp)
{
	unsigned int words = pool->map_longs;
	struct dpx_page *page;

	/*
	 * The free map, the busy map, and in a checking pool the callers
	 * after them.
	 */
	page = kmalloc_node(struct_size(page, free_map, 2 * words +
					(pool->poison ? pool->map_bits : 0)),
			    dpx_meta_gfp(gfp), pool->node);
	if (!page)
		return NULL;
	page->vaddr = dpx_dma_alloc(pool, &page->dma, gfp & ~__GFP_ZERO);
	if (!page->vaddr) {
		kfree(page);
		return NULL;
	}
	/* Any alignment will do: see "Finding the page" in internal.h. */
	if (pool->poison)
		dpx_poison_page(pool, page->vaddr);
	/* Every block is free; no other granule ever holds a block. */
	memset(page->free_map, 0xff, words * sizeof(unsigned long));
	memset(dpx_busy_map(pool, page), 0, words * sizeof(unsigned long));
	memcpy(page->summary, pool->full_summary, sizeof(page->summary));
	page->nr_free = pool->blocks_per_page;
	return page;
}

/* Add a new page to the pool. Caller holds pool->lock. */
void dpx_page_publish(struct dmapool_ext *pool, struct dpx_page *page)
{
	dpx_hash_add(pool, page);
	page->anext = pool->avail;
	pool->avail = page;
	pool->nr_blocks += pool->blocks_per_page;
	WRITE_ONCE(pool->nr_pages, pool->nr_pages + 1);
}

#ifdef DPX_TEST_HOOKS
/**
 * dpx_test_point - a point of a lockless path where a test may step in
 * @pool: the pool
 * @point: which point
 * @arg: the block (DPX_POINT_POPPED) or the freed address (DPX_POINT_LOOKUP)
 *
 * Does nothing, unless a KUnit test has activated a static stub for it:
 * then the stub runs here, in the test's own thread, so that a test can
 * force an interleaving of two paths deterministically. Built only with
 * the test hooks.
 *
 * Context: the caller's (the local_lock of a magazine may be held).
 */
void dpx_test_point(struct dmapool_ext *pool, enum dpx_point point, void *arg)
{
	KUNIT_STATIC_STUB_REDIRECT(dpx_test_point, pool, point, arg);
}
EXPORT_SYMBOL_IF_KUNIT(dpx_test_point);
#endif

static int __init dpx_module_init(void)
{
	int ret;

	dpx_no_page_init();
	ret = dpx_mag_init();
	if (ret)
		return ret;
	dpx_debugfs_init();
	return 0;
}
module_init(dpx_module_init);

static void __exit dpx_module_exit(void)
{
	dpx_debugfs_exit();
	dpx_mag_exit();
}
module_exit(dpx_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Coherent DMA block pools with O(1) validated frees, runtime poisoning and statistics");
