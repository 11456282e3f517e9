// SPDX-License-Identifier: GPL-2.0
/*
 * Device-managed pools and pool lookup: by device and name, and (with
 * CONFIG_OF) by device-tree phandle.
 *
 * Concurrency: lookups go through devres, which has its own lock; the
 * returned pool lives until its device releases its resources.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/of.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/string.h>
#include "internal.h"

static void gpx_devm_release(struct device *dev, void *res)
{
	genpool_ext_destroy(*(struct genpool_ext **)res);
}

/* Names match by string; a NULL name matches only an unnamed pool. */
static int gpx_devm_match(struct device *dev, void *res, void *data)
{
	const struct genpool_ext *pool = *(struct genpool_ext **)res;
	const char *name = data;

	if (!name || !pool->name)
		return !name && !pool->name;
	return !strcmp(pool->name, name);
}

/**
 * genpool_ext_get - find a device-managed pool of a device
 * @dev: the device given to devm_genpool_ext_create()
 * @name: the pool's name, or NULL for the device's unnamed pool
 *
 * Context: any context devres_find() allows (takes the devres spinlock).
 * Return: the pool, or NULL if @dev has none by that name.
 */
struct genpool_ext *genpool_ext_get(struct device *dev, const char *name)
{
	struct genpool_ext **p;

	if (!dev)
		return NULL;
	p = devres_find(dev, gpx_devm_release, gpx_devm_match, (void *)name);
	return p ? *p : NULL;
}
EXPORT_SYMBOL_GPL(genpool_ext_get);

/**
 * devm_genpool_ext_create - create a pool destroyed with its device
 * @dev: the device that provides the memory
 * @min_alloc_order: log2 of the allocation unit in bytes
 * @nid: node for the pool structure, or NUMA_NO_NODE
 * @name: a name unique on @dev, or NULL; copied
 *
 * The pool is destroyed when @dev releases its managed resources, and
 * until then genpool_ext_get(@dev, @name) finds it.
 *
 * Context: process context.
 * Return: the pool; ERR_PTR(-EINVAL) for a NULL @dev, an order out of
 * range or a name already used on @dev; ERR_PTR(-ENOMEM).
 */
struct genpool_ext *devm_genpool_ext_create(struct device *dev,
					    int min_alloc_order, int nid,
					    const char *name)
{
	struct genpool_ext **ptr, *pool;
	const char *pool_name = NULL;

	if (!dev || min_alloc_order < 0 || min_alloc_order >= BITS_PER_LONG)
		return ERR_PTR(-EINVAL);
	if (genpool_ext_get(dev, name))
		return ERR_PTR(-EINVAL);
	if (name) {
		pool_name = kstrdup_const(name, GFP_KERNEL);
		if (!pool_name)
			return ERR_PTR(-ENOMEM);
	}
	ptr = devres_alloc(gpx_devm_release, sizeof(*ptr), GFP_KERNEL);
	if (!ptr)
		goto free_name;
	pool = gpx_pool_new(min_alloc_order, nid, pool_name);
	if (!pool)
		goto free_devres;
	*ptr = pool;
	devres_add(dev, ptr);
	return pool;

free_devres:
	devres_free(ptr);
free_name:
	kfree_const(pool_name);
	return ERR_PTR(-ENOMEM);
}
EXPORT_SYMBOL_GPL(devm_genpool_ext_create);

#ifdef CONFIG_OF
/**
 * of_genpool_ext_get - find a pool by a device-tree phandle property
 * @np: device node holding the property
 * @propname: name of the phandle property
 * @index: index into the phandle list
 *
 * The phandle names a node. If a platform device was created for it, the
 * pool is that device's unnamed pool. Otherwise the node describes a pool
 * of its parent's device, named by the node's "label" property or, without
 * one, by the node's full name.
 *
 * Context: process context.
 * Return: the pool, or NULL if there is none.
 */
struct genpool_ext *of_genpool_ext_get(struct device_node *np,
				       const char *propname, int index)
{
	struct genpool_ext *pool = NULL;
	struct platform_device *pdev;
	struct device_node *node, *parent;
	const char *name = NULL;

	node = of_parse_phandle(np, propname, index);
	if (!node)
		return NULL;
	pdev = of_find_device_by_node(node);
	if (!pdev) {
		parent = of_get_parent(node);
		pdev = of_find_device_by_node(parent);
		of_node_put(parent);
		if (of_property_read_string(node, "label", &name))
			name = of_node_full_name(node);
	}
	if (pdev) {
		pool = genpool_ext_get(&pdev->dev, name);
		put_device(&pdev->dev);
	}
	of_node_put(node);
	return pool;
}
EXPORT_SYMBOL_GPL(of_genpool_ext_get);
#endif /* CONFIG_OF */
