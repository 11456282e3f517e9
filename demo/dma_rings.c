// SPDX-License-Identifier: GPL-2.0
/*
 * Descriptor rings the way a network driver keeps them: fixed-size DMA
 * blocks from per-purpose pools on a device with a 64-bit DMA mask.
 *
 *   tx_desc  64-byte descriptors, 64-byte aligned
 *   rx_desc  64-byte descriptors, 64-byte aligned
 *   desc32   32-byte descriptors, 32-byte aligned
 *   data     1 KiB buffers, cache-line aligned
 *
 * The pools live until the module is removed, as they would for the life
 * of a bound driver, so they show up in the debugfs statistics.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cache.h>
#include <linux/dma-mapping.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <dmapool_ext/dmapool_ext.h>

#include "demo.h"

#define RING_SIZE	256
#define RING_SHOW	4

struct ring_pool {
	const char *name;
	size_t size;
	size_t align;
	struct dmapool_ext *pool;
};

static struct ring_pool ring_pools[] = {
	{ "tx_desc", 64, 64 },
	{ "rx_desc", 64, 64 },
	{ "desc32", 32, 32 },
	{ "data", SZ_1K, L1_CACHE_BYTES },
};

static struct platform_device *nic;
static const char *scn = "rings";

/* Fill one ring from @rp, check it, print its first handles, empty it. */
static bool ring_fill(struct ring_pool *rp)
{
	static void *vaddr[RING_SIZE];
	static dma_addr_t dma[RING_SIZE];
	bool ok = true;
	int i, n;

	for (n = 0; n < RING_SIZE; n++) {
		vaddr[n] = dmapool_ext_zalloc(rp->pool, GFP_KERNEL, &dma[n]);
		if (!vaddr[n])
			break;
		if (!IS_ALIGNED(dma[n], rp->align) ||
		    !IS_ALIGNED((unsigned long)vaddr[n], rp->align))
			ok = false;
		/* The driver writes a descriptor: its index, for the device. */
		*(u32 *)vaddr[n] = n;
	}
	if (n < RING_SIZE)
		ok = false;
	demo_info(scn, "%-7s ring of %d x %zu bytes (align %zu):\n", rp->name,
		  n, rp->size, rp->align);
	for (i = 0; i < min(n, RING_SHOW); i++)
		demo_info(scn, "  [%d] dma %pad\n", i, &dma[i]);
	/* Within a fresh page, blocks come out in ascending address order. */
	if (n >= 2 && rp->size < PAGE_SIZE && dma[1] != dma[0] + rp->size)
		ok = false;
	for (i = 0; i < n; i++) {
		if (*(u32 *)vaddr[i] != i)
			ok = false;
		dmapool_ext_free(rp->pool, vaddr[i], dma[i]);
	}
	return ok;
}

bool demo_dma_rings(void)
{
	struct platform_device_info info = {
		.name = "pool_ext_demo_nic",
		.id = PLATFORM_DEVID_NONE,
		.dma_mask = DMA_BIT_MASK(64),
	};
	bool ok = true;
	int i;

	nic = platform_device_register_full(&info);
	if (IS_ERR(nic)) {
		nic = NULL;
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(ring_pools); i++) {
		struct ring_pool *rp = &ring_pools[i];

		rp->pool = dmapool_ext_create(rp->name, &nic->dev, rp->size,
					      rp->align, 0);
		if (!rp->pool) {
			demo_info(scn, "creating pool %s failed\n", rp->name);
			ok = false;
			continue;
		}
		ok = ring_fill(rp) && ok;
	}
	return ok;
}

void demo_dma_rings_remove(void)
{
	int i;

	for (i = ARRAY_SIZE(ring_pools) - 1; i >= 0; i--) {
		dmapool_ext_destroy(ring_pools[i].pool);
		ring_pools[i].pool = NULL;
	}
	if (nic)
		platform_device_unregister(nic);
	nic = NULL;
}
