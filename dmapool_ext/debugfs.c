// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext statistics in debugfs:
 *
 *   /sys/kernel/debug/dmapool_ext/<name>-<id>/stats
 *
 * one "key: value" line per counter, read from one consistent snapshot
 * (dmapool_ext_get_stats()), and .../leaks: the blocks in use grouped by
 * the code that allocated them (pools with the runtime checks on).
 *
 *   /sys/kernel/debug/dmapool_ext/devices/<device>/pools
 *
 * lists a device's pools in the format of the kernel's sysfs file of the
 * same name (mm/dmapool.c), "poolinfo - 0.1" and then one line per pool:
 * name, blocks in use, blocks in all, block size, pages. A driver ported
 * from dma_pool loses that file (it belongs to the kernel's dma_pool, and
 * a second one on the device could not be created); scripts that read it
 * can read this one. The kernel's per-device sysfs file "pools"
 * belongs to the kernel's dma_pool and is left alone.
 *
 * debugfs is a diagnostic aid: when it is missing or a file cannot be
 * created, pools work the same, only without their directory.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include <common/pool_ext_leak.h>
#include "internal.h"

static struct dentry *dpx_debugfs_root;
static struct dentry *dpx_debugfs_devices;

/*
 * A device with pools: its directory under devices/ and its pools, in
 * creation order (as the kernel lists them). Created with the device's
 * first pool, removed with its last.
 */
struct dpx_dev {
	struct list_head node;		/* in dpx_devs */
	struct device *dev;
	struct dentry *dir;
	struct list_head pools;		/* dmapool_ext.dev_node */
};

/*
 * dpx_devs_lock protects dpx_devs and every dpx_dev.pools. Readers of a
 * "pools" file hold it while they print, so it is never held across
 * debugfs_remove*(), which waits for them.
 */
static DEFINE_MUTEX(dpx_devs_lock);
static LIST_HEAD(dpx_devs);

static int dpx_stats_show(struct seq_file *m, void *unused)
{
	struct dmapool_ext *pool = m->private;
	struct dmapool_ext_stats st;

	dmapool_ext_get_stats(pool, &st);
	seq_printf(m, "name: %s\n", pool->name);
	seq_printf(m, "device: %s\n", dev_name(pool->dev));
	seq_printf(m, "block_size: %zu\n", st.block_size);
	seq_printf(m, "align: %zu\n", st.align);
	seq_printf(m, "boundary: %zu\n", st.boundary);
	seq_printf(m, "allocation: %zu\n", st.allocation);
	seq_printf(m, "blocks_per_page: %zu\n", st.blocks_per_page);
	seq_printf(m, "blocks_in_use: %zu\n", st.blocks_in_use);
	seq_printf(m, "blocks_cached: %zu\n", dmapool_ext_blocks_cached(pool));
	seq_printf(m, "magazines: %d\n", READ_ONCE(pool->mags_on));
	seq_printf(m, "blocks_total: %zu\n", st.blocks_total);
	seq_printf(m, "pages: %zu\n", st.pages);
	seq_printf(m, "blocks_in_use_max: %zu\n", st.blocks_in_use_max);
	seq_printf(m, "allocs: %lu\n", st.allocs);
	seq_printf(m, "frees: %lu\n", st.frees);
	seq_printf(m, "alloc_failures: %lu\n", st.alloc_failures);
	seq_printf(m, "bad_frees: %lu\n", st.bad_frees);
	seq_printf(m, "debug: %d\n", st.debug);
	seq_printf(m, "corruptions: %lu\n", st.corruptions);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dpx_stats);

static int dpx_leaks_show(struct seq_file *m, void *unused)
{
	struct dmapool_ext *pool = m->private;
	struct pool_ext_leaks l;
	unsigned long flags;

	if (!pool->poison) {
		seq_puts(m, "callers not recorded: checks off (module parameter poison=1)\n");
		return 0;
	}
	pool_ext_leaks_init(&l);
	spin_lock_irqsave(&pool->lock, flags);
	dpx_debug_leaks(pool, &l);
	spin_unlock_irqrestore(&pool->lock, flags);
	pool_ext_leaks_show(m, &l, "blocks");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dpx_leaks);

static int dpx_dev_pools_show(struct seq_file *m, void *unused)
{
	struct dpx_dev *d = m->private;
	struct dmapool_ext *pool;
	unsigned long flags;
	size_t active, blocks, pages;

	seq_puts(m, "poolinfo - 0.1\n");
	mutex_lock(&dpx_devs_lock);
	list_for_each_entry(pool, &d->pools, dev_node) {
		spin_lock_irqsave(&pool->lock, flags);
		/* Cached blocks are free, as the kernel would show them. */
		active = pool->nr_active - dpx_mag_count(pool);
		blocks = pool->nr_blocks;
		pages = pool->nr_pages;
		spin_unlock_irqrestore(&pool->lock, flags);
		/* The kernel's columns and widths. */
		seq_printf(m, "%-16s %4zu %4zu %4u %2zu\n", pool->name, active,
			   blocks, pool->size, pages);
	}
	mutex_unlock(&dpx_devs_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dpx_dev_pools);

/* List @pool under its device, creating the device's entry if need be. */
static void dpx_dev_add(struct dmapool_ext *pool)
{
	struct dpx_dev *d, *found = NULL;
	char name[64];

	INIT_LIST_HEAD(&pool->dev_node);
	if (IS_ERR_OR_NULL(dpx_debugfs_devices))
		return;
	mutex_lock(&dpx_devs_lock);
	list_for_each_entry(d, &dpx_devs, node) {
		if (d->dev == pool->dev) {
			found = d;
			break;
		}
	}
	if (!found) {
		found = kzalloc(sizeof(*found), GFP_KERNEL);
		if (!found)
			goto out;
		found->dev = pool->dev;
		INIT_LIST_HEAD(&found->pools);
		strscpy(name, dev_name(pool->dev), sizeof(name));
		strreplace(name, '/', '_');
		found->dir = debugfs_create_dir(name, dpx_debugfs_devices);
		debugfs_create_file("pools", 0444, found->dir, found,
				    &dpx_dev_pools_fops);
		list_add_tail(&found->node, &dpx_devs);
	}
	list_add_tail(&pool->dev_node, &found->pools);
	pool->dev_entry = found;
out:
	mutex_unlock(&dpx_devs_lock);
}

/* Take @pool off its device's list; the last pool takes the entry. */
static void dpx_dev_remove(struct dmapool_ext *pool)
{
	struct dpx_dev *d = pool->dev_entry, *gone = NULL;

	if (!d)
		return;
	mutex_lock(&dpx_devs_lock);
	list_del(&pool->dev_node);
	if (list_empty(&d->pools)) {
		list_del(&d->node);
		gone = d;
	}
	mutex_unlock(&dpx_devs_lock);
	pool->dev_entry = NULL;
	if (gone) {
		/* Waits for readers, which may be in dpx_dev_pools_show(). */
		debugfs_remove_recursive(gone->dir);
		kfree(gone);
	}
}

void dpx_debugfs_add(struct dmapool_ext *pool)
{
	char dir[DPX_NAME_LEN + 12];

	dpx_dev_add(pool);
	if (IS_ERR_OR_NULL(dpx_debugfs_root))
		return;
	snprintf(dir, sizeof(dir), "%s-%u", pool->name, pool->id);
	/* A pool name is free text; a directory name cannot hold '/'. */
	strreplace(dir, '/', '_');
	pool->debugfs = debugfs_create_dir(dir, dpx_debugfs_root);
	debugfs_create_file("stats", 0444, pool->debugfs, pool, &dpx_stats_fops);
	debugfs_create_file("leaks", 0444, pool->debugfs, pool,
			    &dpx_leaks_fops);
}

/* Waits for readers of the pool's files to finish. */
void dpx_debugfs_remove(struct dmapool_ext *pool)
{
	debugfs_remove_recursive(pool->debugfs);
	pool->debugfs = NULL;
	dpx_dev_remove(pool);
}

void dpx_debugfs_init(void)
{
	dpx_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (!IS_ERR_OR_NULL(dpx_debugfs_root))
		dpx_debugfs_devices = debugfs_create_dir("devices",
							 dpx_debugfs_root);
}

void dpx_debugfs_exit(void)
{
	debugfs_remove_recursive(dpx_debugfs_root);
	dpx_debugfs_root = NULL;
	dpx_debugfs_devices = NULL;
}
