// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for scripts/port-driver: every gen_pool name a driver can use.
 * Not built: the tool's input, compared with genpool_drv.c.expected.
 */
#include <linux/genalloc.h>
#include <linux/of.h>
#include <linux/platform_device.h>

struct fx_genpool {
	struct gen_pool *pool;
	genpool_algo_t algo;
	struct genpool_data_align align;
	struct genpool_data_fixed fixed;
};

static void fx_chunk(struct gen_pool *pool, struct gen_pool_chunk *chunk,
		     void *data)
{
	*(size_t *)data += chunk->end_addr - chunk->start_addr + 1;
}

static int fx_genpool_use(struct fx_genpool *fx, struct device *dev,
			  void *virt, phys_addr_t phys)
{
	unsigned long a;
	dma_addr_t dma;
	size_t total = 0;
	void *v;

	fx->pool = gen_pool_create(5, -1);
	gen_pool_add_owner(fx->pool, (unsigned long)virt, phys, 4096, -1, fx);
	gen_pool_add_virt(fx->pool, (unsigned long)virt + 4096, phys + 4096,
			  4096, -1);
	gen_pool_add(fx->pool, (unsigned long)virt + 8192, 4096, -1);
	gen_pool_set_algo(fx->pool, gen_pool_first_fit, NULL);
	gen_pool_set_algo(fx->pool, gen_pool_first_fit_align, &fx->align);
	gen_pool_set_algo(fx->pool, gen_pool_first_fit_order_align, NULL);
	gen_pool_set_algo(fx->pool, gen_pool_best_fit, NULL);
	fx->algo = gen_pool_fixed_alloc;
	a = gen_pool_alloc(fx->pool, 64);
	gen_pool_free(fx->pool, a, 64);
	a = gen_pool_alloc_algo(fx->pool, 64, fx->algo, &fx->fixed);
	gen_pool_free_owner(fx->pool, a, 64, NULL);
	a = gen_pool_alloc_owner(fx->pool, 64, NULL);
	gen_pool_free(fx->pool, a, 64);
	a = gen_pool_alloc_algo_owner(fx->pool, 64, gen_pool_best_fit, NULL,
				      NULL);
	gen_pool_free(fx->pool, a, 64);
	v = gen_pool_dma_alloc(fx->pool, 64, &dma);
	gen_pool_free(fx->pool, (unsigned long)v, 64);
	v = gen_pool_dma_alloc_algo(fx->pool, 64, &dma, gen_pool_best_fit,
				    NULL);
	gen_pool_free(fx->pool, (unsigned long)v, 64);
	v = gen_pool_dma_alloc_align(fx->pool, 64, &dma, 64);
	gen_pool_free(fx->pool, (unsigned long)v, 64);
	v = gen_pool_dma_zalloc(fx->pool, 64, &dma);
	gen_pool_free(fx->pool, (unsigned long)v, 64);
	v = gen_pool_dma_zalloc_algo(fx->pool, 64, &dma, gen_pool_first_fit,
				     NULL);
	gen_pool_free(fx->pool, (unsigned long)v, 64);
	v = gen_pool_dma_zalloc_align(fx->pool, 64, &dma, 64);
	gen_pool_free(fx->pool, (unsigned long)v, 64);
	gen_pool_for_each_chunk(fx->pool, fx_chunk, &total);
	if (gen_pool_avail(fx->pool) != gen_pool_size(fx->pool))
		return -EBUSY;
	if (!gen_pool_has_addr(fx->pool, (unsigned long)virt, 1) ||
	    gen_pool_virt_to_phys(fx->pool, (unsigned long)virt) != phys)
		return -EINVAL;
	gen_pool_destroy(fx->pool);

	fx->pool = devm_gen_pool_create(dev, 5, -1, "fx");
	if (gen_pool_get(dev, "fx") != fx->pool)
		return -ENODEV;
	fx->pool = of_gen_pool_get(dev->of_node, "sram", 0);
	return fx->pool->min_alloc_order;
}
