/* SPDX-License-Identifier: GPL-2.0 */
/* Fixture for scripts/port-driver: a driver header with pool members. */
#include <linux/dmapool.h>

struct fx_dmapool {
	struct device *dev;
	struct dma_pool *desc_pool;	/* descriptors, 4 KiB boundary */
	struct dma_pool *managed;	/* devres-managed */
};
