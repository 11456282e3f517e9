// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for scripts/port-driver: every mempool name a driver can use,
 * with the _noprof spellings of 6.10+ and the struct names of 7.x.
 * Not built: the tool's input, compared with mempool_drv.c.expected.
 */
#include <linux/mempool.h>
#include <linux/slab.h>

struct fx_mempool {
	mempool_t *pool;
	mempool_t embedded;
	struct mempool_s *old_name;
	struct mempool *new_name;
	mempool_alloc_t *alloc_fn;
	mempool_free_t *free_fn;
	struct kmem_cache *cache;
};

static void *fx_alloc(gfp_t gfp, void *data)
{
	return kmalloc((size_t)data, gfp);
}

static int fx_mempool_use(struct fx_mempool *fx)
{
	void *elems[4] = { };
	void *e;

	fx->alloc_fn = mempool_kmalloc;
	fx->free_fn = mempool_kfree;
	fx->pool = mempool_create(2, fx_alloc, mempool_kfree, (void *)64);
	fx->pool = mempool_create_node(2, mempool_alloc_slab, mempool_free_slab,
				       fx->cache, GFP_KERNEL, NUMA_NO_NODE);
	fx->pool = mempool_create_node_noprof(2, mempool_alloc_pages,
					      mempool_free_pages, (void *)0,
					      GFP_KERNEL, NUMA_NO_NODE);
	fx->pool = mempool_create_slab_pool(2, fx->cache);
	fx->pool = mempool_create_kmalloc_pool(2, 64);
	fx->pool = mempool_create_kvmalloc_pool(2, 65536);
	fx->pool = mempool_create_page_pool(2, 0);
	mempool_init(&fx->embedded, 2, mempool_kvmalloc, mempool_kvfree,
		     (void *)4096);
	mempool_init_noprof(&fx->embedded, 2, fx_alloc, mempool_kfree, NULL);
	mempool_init_node(&fx->embedded, 2, fx_alloc, mempool_kfree, NULL,
			  GFP_KERNEL, NUMA_NO_NODE);
	mempool_init_slab_pool(&fx->embedded, 2, fx->cache);
	mempool_init_kmalloc_pool(&fx->embedded, 2, 64);
	mempool_init_kvmalloc_pool(&fx->embedded, 2, 65536);
	mempool_init_page_pool(&fx->embedded, 2, 0);
	if (!mempool_initialized(&fx->embedded) ||
	    !mempool_is_saturated(fx->pool))
		return -EINVAL;
	if (fx->pool->min_nr != fx->embedded.curr_nr)
		return -EINVAL;
	e = mempool_alloc(fx->pool, GFP_KERNEL);
	mempool_free(e, fx->pool);
	e = mempool_alloc_noprof(fx->pool, GFP_NOIO);
	mempool_free(e, fx->pool);
	e = mempool_alloc_noreserve(fx->pool, GFP_NOWAIT);
	mempool_free(e, fx->pool);
	e = mempool_alloc_preallocated(fx->pool);
	mempool_free(e, fx->pool);
	if (mempool_alloc_bulk(fx->pool, elems, 4, 0) ||
	    mempool_alloc_bulk_noprof(fx->pool, elems, 4, 4))
		return -ENOMEM;
	mempool_free_bulk(fx->pool, elems, 4);
	mempool_resize(fx->pool, 4);
	mempool_destroy(fx->old_name);
	mempool_destroy(fx->new_name);
	mempool_destroy(fx->pool);
	mempool_exit(&fx->embedded);
	return 0;
}
