// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs: /sys/kernel/debug/genpool_ext/<name>-<id>/, one directory per
 * pool: "stats", "key: value" lines, and "leaks", the live allocations
 * grouped by the code that made them (with the debug checks on).
 *
 * A failure here never fails pool creation: the directory is optional.
 * Removal (debugfs_remove_recursive()) waits for readers of the file, so
 * genpool_ext_destroy() removes it before freeing the pool.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/rculist.h>
#include <linux/string.h>
#include <common/pool_ext_leak.h>
#include "internal.h"

static struct dentry *gpx_debugfs_root;

static int gpx_stats_show(struct seq_file *m, void *v)
{
	struct genpool_ext *pool = m->private;
	struct genpool_ext_stats st;

	genpool_ext_get_stats(pool, &st);
	seq_printf(m, "name: %s\n", pool->name ?: "(none)");
	seq_printf(m, "min_alloc_order: %d\n", pool->min_alloc_order);
	seq_printf(m, "chunks: %u\n", st.chunks);
	seq_printf(m, "size: %zu\n", st.size);
	seq_printf(m, "avail: %zu\n", st.avail);
	seq_printf(m, "largest_free: %zu\n", st.largest_free);
	seq_printf(m, "fragmentation: %u.%u%%\n", st.fragmentation / 10,
		   st.fragmentation % 10);
	seq_printf(m, "allocs: %lu\n", st.allocs);
	seq_printf(m, "frees: %lu\n", st.frees);
	seq_printf(m, "alloc_failures: %lu\n", st.alloc_failures);
	seq_printf(m, "misuse: %lu\n", st.misuse);
	seq_printf(m, "search_words: %lu\n", st.search_words);
	seq_printf(m, "debug: %d\n", READ_ONCE(pool->debug));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gpx_stats);

static int gpx_leaks_show(struct seq_file *m, void *v)
{
	struct genpool_ext *pool = m->private;
	struct genpool_ext_chunk *chunk;
	struct pool_ext_leaks l;
	bool any = false;

	pool_ext_leaks_init(&l);
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk)
		any |= gpx_debug_leaks(chunk, pool->min_alloc_order, &l);
	rcu_read_unlock();
	if (!any && !list_empty(&pool->chunks))
		seq_puts(m, "callers not recorded: debug checks off (module parameter debug=1)\n");
	else
		pool_ext_leaks_show(m, &l, "blocks");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gpx_leaks);

/**
 * gpx_debugfs_add - create a pool's debugfs directory
 * @pool: the new pool
 *
 * Context: process context.
 */
void gpx_debugfs_add(struct genpool_ext *pool)
{
	char name[64];

	if (IS_ERR_OR_NULL(gpx_debugfs_root))
		return;
	snprintf(name, sizeof(name), "%s-%u", pool->name ?: "pool", pool->id);
	/* A pool name is free text; a directory name cannot hold '/'. */
	strreplace(name, '/', '_');
	pool->debugfs = debugfs_create_dir(name, gpx_debugfs_root);
	debugfs_create_file("stats", 0444, pool->debugfs, pool,
			    &gpx_stats_fops);
	debugfs_create_file("leaks", 0444, pool->debugfs, pool,
			    &gpx_leaks_fops);
}

/**
 * gpx_debugfs_remove - remove a pool's debugfs directory
 * @pool: the pool
 *
 * Context: process context.
 */
void gpx_debugfs_remove(struct genpool_ext *pool)
{
	debugfs_remove_recursive(pool->debugfs);
	pool->debugfs = NULL;
}

/**
 * gpx_debugfs_init - create /sys/kernel/debug/genpool_ext
 *
 * Context: module init.
 */
void gpx_debugfs_init(void)
{
	gpx_debugfs_root = debugfs_create_dir("genpool_ext", NULL);
}

/**
 * gpx_debugfs_exit - remove /sys/kernel/debug/genpool_ext
 *
 * Context: module exit.
 */
void gpx_debugfs_exit(void)
{
	debugfs_remove_recursive(gpx_debugfs_root);
	gpx_debugfs_root = NULL;
}
