// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext debugfs: /sys/kernel/debug/mempool_ext/<pool>/ with
 *
 *	stats	"key: value" lines (reserve level, use, waits, failures...);
 *		reserve_max_drain is the deepest reserve drain, see
 *		struct mempool_ext_stats
 *	fault	the fault-injection knob (see faultinject.c), read and write
 *
 * Failures here never fail pool creation: a pool without a directory just
 * has no files. The files are created "unsafe" (without debugfs's proxy)
 * so that they can offer read_iter/write_iter, which kernel_read() and
 * kernel_write() need (the KUnit tests use them); every operation that
 * touches the pool therefore pins the file with debugfs_file_get(), and
 * removing the directory waits for those to finish, so a pool being
 * destroyed is never read.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/uio.h>

#include <common/pool_ext_leak.h>
#include "internal.h"

static struct dentry *mpx_debugfs_root;

static int mpx_stats_show(struct seq_file *m, void *unused)
{
	struct mempool_ext *pool = m->private;
	struct mempool_ext_stats st;
	char fault[32];

	mempool_ext_get_stats(pool, &st);
	mpx_fault_describe(pool, fault, sizeof(fault));
	seq_printf(m, "name: %s\n", pool->name);
	seq_printf(m, "min_nr: %d\n", READ_ONCE(pool->min_nr));
	seq_printf(m, "curr_nr: %d\n", READ_ONCE(pool->curr_nr));
	seq_printf(m, "outstanding: %ld\n", st.outstanding);
	seq_printf(m, "reserve_max_drain: %lu\n", st.reserve_max_drain);
	seq_printf(m, "allocs: %lu\n", st.allocs);
	seq_printf(m, "frees: %lu\n", st.frees);
	seq_printf(m, "reserve_hits: %lu\n", st.reserve_hits);
	seq_printf(m, "waits: %lu\n", st.waits);
	seq_printf(m, "wait_ns: %llu\n", st.wait_ns);
	seq_printf(m, "wait_max_ns: %llu\n", st.wait_max_ns);
	seq_printf(m, "alloc_calls: %lu\n", st.alloc_calls);
	seq_printf(m, "alloc_failures: %lu\n", st.alloc_failures);
	seq_printf(m, "faults_injected: %lu\n", st.faults_injected);
	seq_printf(m, "fault: %s\n", fault);
	seq_printf(m, "debug: %d\n", mpx_debug_on(pool));
	seq_printf(m, "debug_reports: %lu\n", st.debug_reports);
	return 0;
}

static int mpx_fault_show(struct seq_file *m, void *unused)
{
	char fault[32];

	mpx_fault_describe(m->private, fault, sizeof(fault));
	seq_printf(m, "%s\n", fault);
	return 0;
}

/* seq_read_iter() with the file pinned against removal. */
static ssize_t mpx_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct dentry *dentry = iocb->ki_filp->f_path.dentry;
	ssize_t ret;

	ret = debugfs_file_get(dentry);
	if (ret)
		return ret;
	ret = seq_read_iter(iocb, to);
	debugfs_file_put(dentry);
	return ret;
}

static ssize_t mpx_fault_write_iter(struct kiocb *iocb,
				    struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct seq_file *m = file->private_data;
	size_t len = iov_iter_count(from);
	char buf[48];
	int ret;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_iter(buf, len, from) != len)
		return -EFAULT;
	buf[len] = '\0';

	ret = debugfs_file_get(file->f_path.dentry);
	if (ret)
		return ret;
	ret = mpx_fault_parse(m->private, strim(buf));
	debugfs_file_put(file->f_path.dentry);
	return ret ? ret : len;
}

/* The elements handed out, by the code they went to (debug checks on). */
static int mpx_leaks_show(struct seq_file *m, void *unused)
{
	struct mempool_ext *pool = m->private;
	struct pool_ext_leaks l;
	unsigned long flags;
	long unknown = 0;
	bool on;

	pool_ext_leaks_init(&l);
	spin_lock_irqsave(&pool->lock, flags);
	on = mpx_debug_on(pool);
	if (on)
		unknown = mpx_debug_leaks(pool, &l);
	spin_unlock_irqrestore(&pool->lock, flags);
	if (!on) {
		seq_puts(m, "callers not recorded: debug checks off (module parameter debug=1)\n");
		return 0;
	}
	pool_ext_leaks_show(m, &l, "elements");
	if (unknown > 0)
		seq_printf(m, "unknown: %ld elements handed out before the checks were on\n",
			   unknown);
	return 0;
}

static int mpx_leaks_open(struct inode *inode, struct file *file)
{
	return single_open(file, mpx_leaks_show, inode->i_private);
}

static int mpx_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, mpx_stats_show, inode->i_private);
}

static int mpx_fault_open(struct inode *inode, struct file *file)
{
	return single_open(file, mpx_fault_show, inode->i_private);
}

static const struct file_operations mpx_leaks_fops = {
	.owner = THIS_MODULE,
	.open = mpx_leaks_open,
	.read_iter = mpx_read_iter,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations mpx_stats_fops = {
	.owner = THIS_MODULE,
	.open = mpx_stats_open,
	.read_iter = mpx_read_iter,
	.llseek = seq_lseek,
	.release = single_release,
};

static const struct file_operations mpx_fault_fops = {
	.owner = THIS_MODULE,
	.open = mpx_fault_open,
	.read_iter = mpx_read_iter,
	.write_iter = mpx_fault_write_iter,
	.llseek = seq_lseek,
	.release = single_release,
};

void mpx_debugfs_add(struct mempool_ext *pool)
{
	struct dentry *dir;

	if (!mpx_debugfs_root)
		return;
	dir = debugfs_create_dir(pool->name, mpx_debugfs_root);
	if (IS_ERR_OR_NULL(dir))
		return;
	debugfs_create_file_unsafe("stats", 0444, dir, pool,
				   &mpx_stats_fops);
	debugfs_create_file_unsafe("fault", 0644, dir, pool,
				   &mpx_fault_fops);
	debugfs_create_file_unsafe("leaks", 0444, dir, pool,
				   &mpx_leaks_fops);
	pool->debugfs = dir;
}

void mpx_debugfs_remove(struct mempool_ext *pool)
{
	/* Waits for readers and writers that pinned the files. */
	debugfs_remove_recursive(pool->debugfs);
	pool->debugfs = NULL;
}

void mpx_debugfs_init(void)
{
	struct dentry *root = debugfs_create_dir("mempool_ext", NULL);

	mpx_debugfs_root = IS_ERR_OR_NULL(root) ? NULL : root;
}

void mpx_debugfs_exit(void)
{
	debugfs_remove_recursive(mpx_debugfs_root);
	mpx_debugfs_root = NULL;
}
