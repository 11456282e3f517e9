// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for scripts/port-driver: every dma_pool name a driver can use
 * (dma_pool_create_node is 7.x's). The pool members are declared in
 * dmapool_drv.h. Not built: compared with dmapool_drv.c.expected.
 */
#include <dmapool_ext/dmapool_ext.h>
#include "dmapool_drv.h"

static int fx_dmapool_use(struct fx_dmapool *fx)
{
	struct dmapool_ext *local;
	dma_addr_t dma;
	void *d;

	fx->desc_pool = dmapool_ext_create("fx_desc", fx->dev, 64, 32, 4096);
	local = dmapool_ext_create_node("fx_node", fx->dev, 128, 0, 0,
				     NUMA_NO_NODE);
	fx->managed = devm_dmapool_ext_create("fx_managed", fx->dev, 256, 0, 0);
	d = dmapool_ext_alloc(fx->desc_pool, GFP_KERNEL, &dma);
	dmapool_ext_free(fx->desc_pool, d, dma);
	d = dmapool_ext_zalloc(local, GFP_ATOMIC, &dma);
	dmapool_ext_free(local, d, dma);
	devm_dmapool_ext_destroy(fx->managed);
	dmapool_ext_destroy(local);
	dmapool_ext_destroy(fx->desc_pool);
	return 0;
}
