// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext backing-allocator helpers: slab caches, kmalloc() buffers
 * and page blocks. Besides saving drivers the boilerplate, they let the
 * pool know an element's size (for the debug checks in debug.c and for
 * __GFP_ZERO), and they name the pool's debugfs directory.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

bool mpx_geometry(struct mempool_ext *pool, size_t *size,
		  unsigned int *units)
{
	*units = 1;
	if (pool->alloc == mempool_ext_kmalloc ||
	    pool->alloc == mempool_ext_kvmalloc) {
		*size = (size_t)pool->pool_data;
	} else if (pool->alloc == mempool_ext_alloc_slab) {
		*size = kmem_cache_size(pool->pool_data);
	} else if (pool->alloc == mempool_ext_alloc_pages) {
		*size = PAGE_SIZE;
		*units = 1U << (long)pool->pool_data;
	} else {
		return false;
	}
	return *size > 0;
}

void *mpx_map_unit(struct mempool_ext *pool, void *element,
		   unsigned int i)
{
	if (pool->alloc == mempool_ext_alloc_pages)
		return kmap_local_page((struct page *)element + i);
	return element;
}

void mpx_unmap_unit(struct mempool_ext *pool, void *addr)
{
	if (pool->alloc == mempool_ext_alloc_pages)
		kunmap_local(addr);
}

/*
 * Zero a reserve element handed out for a __GFP_ZERO allocation. Returns
 * false for a pool on the caller's own allocator, whose element size the
 * pool does not know: the element is then handed out as it is, as with
 * mainline.
 */
bool mpx_zero_element(struct mempool_ext *pool, void *element)
{
	unsigned int i, units;
	size_t size;
	void *addr;

	if (!mpx_geometry(pool, &size, &units))
		return false;
	for (i = 0; i < units; i++) {
		addr = mpx_map_unit(pool, element, i);
		memset(addr, 0, size);
		mpx_unmap_unit(pool, addr);
	}
	return true;
}

/**
 * mempool_ext_alloc_slab - backing allocator for a slab cache
 * @gfp_mask: allocation flags
 * @pool_data: the &struct kmem_cache; it must not have a constructor
 *	(a reserve element is not reconstructed when it is reused)
 *
 * Context: As kmem_cache_alloc() with @gfp_mask.
 * Return: an object, or %NULL.
 */
void *mempool_ext_alloc_slab(gfp_t gfp_mask, void *pool_data)
{
	return kmem_cache_alloc(pool_data, gfp_mask);
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc_slab);

/**
 * mempool_ext_free_slab - give an object back to its slab cache
 * @element: the object
 * @pool_data: the &struct kmem_cache
 *
 * Context: Any context.
 * Return: nothing.
 */
void mempool_ext_free_slab(void *element, void *pool_data)
{
	kmem_cache_free(pool_data, element);
}
EXPORT_SYMBOL_GPL(mempool_ext_free_slab);

/**
 * mempool_ext_kmalloc - backing allocator for kmalloc() buffers
 * @gfp_mask: allocation flags
 * @pool_data: the buffer size, cast to a pointer (size_t)
 *
 * Context: As kmalloc() with @gfp_mask.
 * Return: a buffer, or %NULL.
 */
void *mempool_ext_kmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kmalloc((size_t)pool_data, gfp_mask);
}
EXPORT_SYMBOL_GPL(mempool_ext_kmalloc);

/**
 * mempool_ext_kfree - give a buffer back to kmalloc()
 * @element: the buffer
 * @pool_data: unused
 *
 * Context: Any context.
 * Return: nothing.
 */
void mempool_ext_kfree(void *element, void *pool_data)
{
	kfree(element);
}
EXPORT_SYMBOL_GPL(mempool_ext_kfree);

/**
 * mempool_ext_kvmalloc - backing allocator for kvmalloc() buffers
 * @gfp_mask: allocation flags
 * @pool_data: the buffer size, cast to a pointer (size_t)
 *
 * For elements too large to count on physically contiguous memory: the
 * buffer may come from vmalloc(). Linux 6.12 has the same helper as
 * mempool_kvmalloc(); drivers ported from it need this one.
 *
 * Context: As kvmalloc() with @gfp_mask.
 * Return: a buffer, or %NULL.
 */
void *mempool_ext_kvmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kvmalloc((size_t)pool_data, gfp_mask);
}
EXPORT_SYMBOL_GPL(mempool_ext_kvmalloc);

/**
 * mempool_ext_kvfree - give a buffer back to kvmalloc()
 * @element: the buffer
 * @pool_data: unused
 *
 * Context: Process context if the buffer may come from vmalloc() (as
 * kvfree()); any context otherwise.
 * Return: nothing.
 */
void mempool_ext_kvfree(void *element, void *pool_data)
{
	kvfree(element);
}
EXPORT_SYMBOL_GPL(mempool_ext_kvfree);

/**
 * mempool_ext_alloc_pages - backing allocator for page blocks
 * @gfp_mask: allocation flags
 * @pool_data: the order, cast to a pointer (long)
 *
 * Elements are the blocks' first &struct page, not their addresses.
 *
 * Context: As alloc_pages() with @gfp_mask.
 * Return: the block's first page, or %NULL.
 */
void *mempool_ext_alloc_pages(gfp_t gfp_mask, void *pool_data)
{
	return alloc_pages(gfp_mask, (unsigned int)(long)pool_data);
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc_pages);

/**
 * mempool_ext_free_pages - give a page block back to the page allocator
 * @element: the block's first &struct page
 * @pool_data: the order, cast to a pointer (long)
 *
 * Context: Any context.
 * Return: nothing.
 */
void mempool_ext_free_pages(void *element, void *pool_data)
{
	__free_pages(element, (unsigned int)(long)pool_data);
}
EXPORT_SYMBOL_GPL(mempool_ext_free_pages);
