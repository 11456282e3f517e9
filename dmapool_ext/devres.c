// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext device-managed pools: the counterparts of the kernel's
 * dmam_pool_create() and dmam_pool_destroy().
 *
 * A managed pool is recorded as a devres of its device and destroyed when
 * the device's resources are released: on driver unbind, or when the
 * device is deleted. Like every pool it holds no reference on the device
 * (devres runs before the device can be freed, and a reference would keep
 * a device that is never added, with its devres list, alive forever).
 */

#include <linux/device.h>
#include <linux/export.h>

#include "internal.h"

static void dpx_devm_release(struct device *dev, void *res)
{
	dmapool_ext_destroy(*(struct dmapool_ext **)res);
}

static int dpx_devm_match(struct device *dev, void *res, void *data)
{
	return *(struct dmapool_ext **)res == data;
}

/**
 * devm_dmapool_ext_create - create a device-managed pool
 * @name: name of the pool, for diagnostics and debugfs
 * @dev: device that will do the DMA and that owns the pool
 * @size: block size in bytes; rounded up to the kernel's smallest block (a
 *	pointer and a dma_addr_t: 16 bytes on 64-bit), then to @align
 * @align: block alignment, a power of two; 0 means 1
 * @boundary: a power of two >= @size that no block may cross, or 0
 *
 * dmapool_ext_create(), with the pool destroyed automatically when @dev
 * releases its resources (driver detach, device removal).
 *
 * Context: process context; may sleep.
 * Return: the new pool, or %NULL if the arguments are invalid or memory is
 * short.
 */
struct dmapool_ext *devm_dmapool_ext_create(const char *name,
					    struct device *dev, size_t size,
					    size_t align, size_t boundary)
{
	struct dmapool_ext **ptr, *pool;

	if (dpx_warn_once(!dev, "%s: no device\n", __func__))
		return NULL;
	ptr = devres_alloc(dpx_devm_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		return NULL;
	pool = dmapool_ext_create(name, dev, size, align, boundary);
	if (!pool) {
		devres_free(ptr);
		return NULL;
	}
	*ptr = pool;
	devres_add(dev, ptr);
	return pool;
}
EXPORT_SYMBOL_GPL(devm_dmapool_ext_create);

/**
 * devm_dmapool_ext_destroy - destroy a device-managed pool now
 * @pool: a pool from devm_dmapool_ext_create(), or %NULL
 *
 * Destroys @pool and drops it from its device's managed resources. A pool
 * that is not managed is a caller bug: it warns and leaves the pool alone.
 *
 * Context: process context; may sleep.
 */
void devm_dmapool_ext_destroy(struct dmapool_ext *pool)
{
	if (!pool)
		return;
	dpx_warn(devres_release(pool->dev, dpx_devm_release, dpx_devm_match,
				pool),
		 "%s: %s: not a managed pool\n", __func__, pool->name);
}
EXPORT_SYMBOL_GPL(devm_dmapool_ext_destroy);
