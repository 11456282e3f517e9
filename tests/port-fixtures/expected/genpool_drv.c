// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for scripts/port-driver: every gen_pool name a driver can use.
 * Not built: the tool's input, compared with genpool_drv.c.expected.
 */
#include <genpool_ext/genpool_ext.h>
#include <linux/of.h>
#include <linux/platform_device.h>

struct fx_genpool {
	struct genpool_ext *pool;
	genpool_ext_algo_t algo;
	struct genpool_ext_data_align align;
	struct genpool_ext_data_fixed fixed;
};

static void fx_chunk(struct genpool_ext *pool,
		     struct genpool_ext_chunk *chunk,
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

	fx->pool = genpool_ext_create(5, -1);
	genpool_ext_add_owner(fx->pool, (unsigned long)virt, phys, 4096, -1, fx);
	genpool_ext_add_virt(fx->pool, (unsigned long)virt + 4096, phys + 4096,
			  4096, -1);
	genpool_ext_add(fx->pool, (unsigned long)virt + 8192, 4096, -1);
	genpool_ext_set_algo(fx->pool, genpool_ext_first_fit, NULL);
	genpool_ext_set_algo(fx->pool, genpool_ext_first_fit_align,
			     &fx->align);
	genpool_ext_set_algo(fx->pool, genpool_ext_first_fit_order_align,
			     NULL);
	genpool_ext_set_algo(fx->pool, genpool_ext_best_fit, NULL);
	fx->algo = genpool_ext_fixed_alloc;
	a = genpool_ext_alloc(fx->pool, 64);
	genpool_ext_free(fx->pool, a, 64);
	a = genpool_ext_alloc_algo(fx->pool, 64, fx->algo, &fx->fixed);
	genpool_ext_free_owner(fx->pool, a, 64, NULL);
	a = genpool_ext_alloc_owner(fx->pool, 64, NULL);
	genpool_ext_free(fx->pool, a, 64);
	a = genpool_ext_alloc_algo_owner(fx->pool, 64, genpool_ext_best_fit,
					 NULL,
					 NULL);
	genpool_ext_free(fx->pool, a, 64);
	v = genpool_ext_dma_alloc(fx->pool, 64, &dma);
	genpool_ext_free(fx->pool, (unsigned long)v, 64);
	v = genpool_ext_dma_alloc_algo(fx->pool, 64, &dma,
				       genpool_ext_best_fit,
				       NULL);
	genpool_ext_free(fx->pool, (unsigned long)v, 64);
	v = genpool_ext_dma_alloc_align(fx->pool, 64, &dma, 64);
	genpool_ext_free(fx->pool, (unsigned long)v, 64);
	v = genpool_ext_dma_zalloc(fx->pool, 64, &dma);
	genpool_ext_free(fx->pool, (unsigned long)v, 64);
	v = genpool_ext_dma_zalloc_algo(fx->pool, 64, &dma,
					genpool_ext_first_fit,
					NULL);
	genpool_ext_free(fx->pool, (unsigned long)v, 64);
	v = genpool_ext_dma_zalloc_align(fx->pool, 64, &dma, 64);
	genpool_ext_free(fx->pool, (unsigned long)v, 64);
	genpool_ext_for_each_chunk(fx->pool, fx_chunk, &total);
	if (genpool_ext_avail(fx->pool) != genpool_ext_size(fx->pool))
		return -EBUSY;
	if (!genpool_ext_has_addr(fx->pool, (unsigned long)virt, 1) ||
	    genpool_ext_virt_to_phys(fx->pool, (unsigned long)virt) != phys)
		return -EINVAL;
	genpool_ext_destroy(fx->pool);

	fx->pool = devm_genpool_ext_create(dev, 5, -1, "fx");
	if (genpool_ext_get(dev, "fx") != fx->pool)
		return -ENODEV;
	fx->pool = of_genpool_ext_get(dev->of_node, "sram", 0);
	return fx->pool->min_alloc_order;
}
