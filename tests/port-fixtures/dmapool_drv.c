// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for scripts/port-driver: every dma_pool name a driver can use
 * (dma_pool_create_node is 7.x's). The pool members are declared in
 * dmapool_drv.h. Not built: compared with dmapool_drv.c.expected.
 */
#include <linux/dmapool.h>
#include "dmapool_drv.h"

static int fx_dmapool_use(struct fx_dmapool *fx)
{
	struct dma_pool *local;
	dma_addr_t dma;
	void *d;

	fx->desc_pool = dma_pool_create("fx_desc", fx->dev, 64, 32, 4096);
	local = dma_pool_create_node("fx_node", fx->dev, 128, 0, 0,
				     NUMA_NO_NODE);
	fx->managed = dmam_pool_create("fx_managed", fx->dev, 256, 0, 0);
	d = dma_pool_alloc(fx->desc_pool, GFP_KERNEL, &dma);
	dma_pool_free(fx->desc_pool, d, dma);
	d = dma_pool_zalloc(local, GFP_ATOMIC, &dma);
	dma_pool_free(local, d, dma);
	dmam_pool_destroy(fx->managed);
	dma_pool_destroy(local);
	dma_pool_destroy(fx->desc_pool);
	return 0;
}
