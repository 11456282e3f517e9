// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for scripts/port-driver: a driver that has the kernel's pool
 * headers only through others (NVMe's pci.c gets mempool.h and dmapool.h
 * through blkdev.h): the suite's headers must be added.
 * Not built: compared with indirect.c.expected.
 */
#include <linux/blkdev.h>
#include <linux/pci.h>

#include "dmapool_drv.h"

struct fx_indirect {
	mempool_t *iod_pool;
	struct dma_pool *prp_pool;
};

static void fx_indirect_use(struct fx_indirect *fx, struct device *dev)
{
	dma_addr_t dma;
	void *p;

	fx->iod_pool = mempool_create_node(1, mempool_kmalloc, mempool_kfree,
					   (void *)256, GFP_KERNEL,
					   dev_to_node(dev));
	fx->prp_pool = dma_pool_create("prp", dev, 4096, 4096, 0);
	p = dma_pool_alloc(fx->prp_pool, GFP_ATOMIC, &dma);
	dma_pool_free(fx->prp_pool, p, dma);
	mempool_free(mempool_alloc(fx->iod_pool, GFP_ATOMIC), fx->iod_pool);
}
