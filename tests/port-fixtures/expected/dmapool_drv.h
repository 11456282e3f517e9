/* SPDX-License-Identifier: GPL-2.0 */
/* Fixture for scripts/port-driver: a driver header with pool members. */
#include <dmapool_ext/dmapool_ext.h>

struct fx_dmapool {
	struct device *dev;
	struct dmapool_ext *desc_pool;	/* descriptors, 4 KiB boundary */
	struct dmapool_ext *managed;	/* devres-managed */
};
