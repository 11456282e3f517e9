// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for scripts/port-driver: a driver that has the kernel's pool
 * headers only through others (NVMe's pci.c gets mempool.h and dmapool.h
 * through blkdev.h): the suite's headers must be added.
 * Not built: compared with indirect.c.expected.
 */
#include <linux/blkdev.h>
#include <linux/pci.h>
#include <dmapool_ext/dmapool_ext.h>
#include <mempool_ext/mempool_ext.h>

#include "dmapool_drv.h"

struct fx_indirect {
	struct mempool_ext *iod_pool;
	struct dmapool_ext *prp_pool;
};

static void fx_indirect_use(struct fx_indirect *fx, struct device *dev)
{
	dma_addr_t dma;
	void *p;

	fx->iod_pool = mempool_ext_create_node(1, mempool_ext_kmalloc,
					       mempool_ext_kfree,
					       (void *)256, GFP_KERNEL,
					       dev_to_node(dev));
	fx->prp_pool = dmapool_ext_create("prp", dev, 4096, 4096, 0);
	p = dmapool_ext_alloc(fx->prp_pool, GFP_ATOMIC, &dma);
	dmapool_ext_free(fx->prp_pool, p, dma);
	mempool_ext_free(mempool_ext_alloc(fx->iod_pool, GFP_ATOMIC),
			 fx->iod_pool);
}
