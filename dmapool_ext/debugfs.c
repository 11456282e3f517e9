// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext statistics in debugfs:
 *
 *   /sys/kernel/debug/dmapool_ext/<name>-<id>/stats
 *
 * one "key: value" line per counter, read from one consistent snapshot
 * (dmapool_ext_get_stats()). The kernel's per-device sysfs file "pools"
 * belongs to the kernel's dma_pool and is left alone.
 *
 * debugfs is a diagnostic aid: when it is missing or a file cannot be
 * created, pools work the same, only without their directory.
 */
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "internal.h"

static struct dentry *dpx_debugfs_root;

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
	seq_printf(m, "blocks_total: %zu\n", st.blocks_total);
	seq_printf(m, "pages: %zu\n", st.pages);
	seq_printf(m, "blocks_in_use_max: %zu\n", st.blocks_in_use_max);
	seq_printf(m, "alloc_failures: %lu\n", st.alloc_failures);
	seq_printf(m, "bad_frees: %lu\n", st.bad_frees);
	seq_printf(m, "debug: %d\n", st.debug);
	seq_printf(m, "corruptions: %lu\n", st.corruptions);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(dpx_stats);

void dpx_debugfs_add(struct dmapool_ext *pool)
{
	char dir[DPX_NAME_LEN + 12];

	if (IS_ERR_OR_NULL(dpx_debugfs_root))
		return;
	snprintf(dir, sizeof(dir), "%s-%u", pool->name, pool->id);
	/* A pool name is free text; a directory name cannot hold '/'. */
	strreplace(dir, '/', '_');
	pool->debugfs = debugfs_create_dir(dir, dpx_debugfs_root);
	debugfs_create_file("stats", 0444, pool->debugfs, pool, &dpx_stats_fops);
}

/* Waits for readers of the pool's files to finish. */
void dpx_debugfs_remove(struct dmapool_ext *pool)
{
	debugfs_remove_recursive(pool->debugfs);
	pool->debugfs = NULL;
}

void dpx_debugfs_init(void)
{
	dpx_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

void dpx_debugfs_exit(void)
{
	debugfs_remove_recursive(dpx_debugfs_root);
	dpx_debugfs_root = NULL;
}
