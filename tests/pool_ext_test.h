/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the suite's KUnit modules: declared warnings, the
 * one way to read debugfs, block stamping, the kthread + hrtimer stress
 * harness, and a seeded PRNG.
 *
 * Declaring an expected warning: a test that misuses an API on purpose
 * wraps the call in POOL_EXT_EXPECT_WARN_BEGIN/END with a pattern. The
 * harness (scripts/ktap_parse.py) accepts a WARNING block printed between
 * the two markers only if the block's text contains the pattern; any other
 * warning, and every oops, KASAN, lockdep or kmemleak report, still fails
 * the run. The pattern is usually the warning's message or the name of the
 * function that warns.
 */
#ifndef _POOL_EXT_TEST_H
#define _POOL_EXT_TEST_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kstrtox.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uio.h>
#include <compat/pool_ext_compat.h>

#define POOL_EXT_EXPECT_WARN_BEGIN(pattern) \
	pr_warn("pool_ext-expect-warning: begin %s\n", pattern)
#define POOL_EXT_EXPECT_WARN_END(pattern) \
	pr_warn("pool_ext-expect-warning: end %s\n", pattern)

/*
 * Reading debugfs, the one way for all three test modules.
 *
 * pool_ext_read_debugfs - read one of the suite's debugfs files into @buf
 * (NUL-terminated), as a reader in user space would see it. A file made
 * "unsafe" with read_iter() (mempool_ext's) is read with kernel_read().
 * genpool_ext's and dmapool_ext's files go through debugfs's proxy, whose
 * read() wants a user buffer and which offers no read_iter(); all of them
 * are single_open() seq_files, so the proxy's open has left the seq_file
 * in the file, and it is read with seq_read_iter() into a kernel buffer,
 * pinned against removal as the proxy's read() would pin it.
 *
 * No user mapping: KUnit's kunit_vm_mmap() gives the test thread an mm
 * of its own, which the arm64 debug kernel's kmemleak reported as leaked
 * after the thread exited (one per case that read a file).
 *
 * Returns the bytes read (at most one page), or a negative errno
 * (-ENOENT once the file is gone).
 */
static inline ssize_t pool_ext_read_debugfs(struct kunit *test,
					    const char *path, char *buf,
					    size_t len)
{
	struct dentry *dentry;
	struct iov_iter iter;
	struct kiocb kiocb;
	struct kvec kvec;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	len = min_t(size_t, len - 1, PAGE_SIZE);
	if (f->f_op->read_iter) {
		n = kernel_read(f, buf, len, &pos);
	} else {
		dentry = f->f_path.dentry;
		n = debugfs_file_get(dentry);
		if (!n) {
			kvec.iov_base = buf;
			kvec.iov_len = len;
			iov_iter_kvec(&iter, ITER_DEST, &kvec, 1, len);
			init_sync_kiocb(&kiocb, f);
			n = seq_read_iter(&kiocb, &iter);
			debugfs_file_put(dentry);
		}
	}
	filp_close(f, NULL);
	if (n < 0)
		return n;
	buf[n] = 0;
	return n;
}

/*
 * pool_ext_read_stats - read /sys/kernel/debug/@module/@dir/stats into @buf
 * (see pool_ext_read_debugfs()).
 */
static inline ssize_t pool_ext_read_stats(struct kunit *test,
					  const char *module, const char *dir,
					  char *buf, size_t len)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/%s/%s/stats", module,
		 dir);
	return pool_ext_read_debugfs(test, path, buf, len);
}

/*
 * pool_ext_stats_value - the value of @key in a stats file's text: the
 * README's format, one "key: value" line per key. Returns 0 and sets
 * @val, or -ENOENT if no line has exactly that key, -EINVAL if its value
 * is not a number.
 */
static inline int pool_ext_stats_value(const char *text, const char *key,
				       long long *val)
{
	size_t klen = strlen(key);
	const char *line = text;
	char num[24];
	size_t n;

	while (line && *line) {
		if (!strncmp(line, key, klen) && line[klen] == ':' &&
		    line[klen + 1] == ' ') {
			line += klen + 2;
			n = strcspn(line, "\n");
			if (!n || n >= sizeof(num))
				return -EINVAL;
			memcpy(num, line, n);
			num[n] = 0;
			return kstrtoll(num, 10, val);
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -ENOENT;
}

/* Whether /sys/kernel/debug/@module/@dir/stats exists. */
static inline bool pool_ext_debugfs_has(const char *module, const char *dir)
{
	struct dentry *root, *d, *f = NULL;

	root = debugfs_lookup(module, NULL);
	if (!root)
		return false;
	d = debugfs_lookup(dir, root);
	if (d)
		f = debugfs_lookup("stats", d);
	dput(f);
	dput(d);
	dput(root);
	return f;
}

/*
 * Block stamping: a test that holds a block writes a pattern derived from
 * its own @tag over all of it and checks the pattern before it frees the
 * block, so two owners of one block (an overlap) or a write by the pool
 * into a block in use show up as a bad stamp. Any size; words where they
 * fit, bytes for the tail.
 */
static inline void pool_ext_stamp(void *p, size_t size, u32 tag)
{
	u32 *w = p;
	u8 *b = p;
	size_t i;

	for (i = 0; i < size / sizeof(u32); i++)
		w[i] = tag ^ (u32)i;
	for (i *= sizeof(u32); i < size; i++)
		b[i] = (u8)(tag ^ i);
}

static inline bool pool_ext_stamp_ok(const void *p, size_t size, u32 tag)
{
	const u32 *w = p;
	const u8 *b = p;
	size_t i;

	for (i = 0; i < size / sizeof(u32); i++)
		if (w[i] != (tag ^ (u32)i))
			return false;
	for (i *= sizeof(u32); i < size; i++)
		if (b[i] != (u8)(tag ^ i))
			return false;
	return true;
}

/*
 * The stress harness: @per_cpu kthreads per online CPU run @thread(@arg,
 * id) once each, while an hrtimer calls @tick(@arg) every @period_ns in
 * interrupt context, until every thread has returned. @hard selects
 * HRTIMER_MODE_REL_HARD (hard interrupt context even on PREEMPT_RT, for
 * lockless code) over HRTIMER_MODE_REL (softirq context on PREEMPT_RT,
 * where a spinlock_t sleeps). With @bind each thread is bound to its CPU.
 */
struct pool_ext_stress {
	int (*thread)(void *arg, unsigned int id);
	void (*tick)(void *arg);
	void *arg;
	unsigned int per_cpu;
	u64 period_ns;
	bool hard;
	bool bind;
	/* private to the harness */
	struct hrtimer timer;
	bool stop;
	atomic_t running;
	struct completion done;
};

struct pool_ext_stress_worker {
	struct pool_ext_stress *s;
	struct task_struct *task;
	unsigned int id;
};

static inline int pool_ext_stress_thread(void *data)
{
	struct pool_ext_stress_worker *w = data;
	struct pool_ext_stress *s = w->s;

	s->thread(s->arg, w->id);
	if (atomic_dec_and_test(&s->running))
		complete(&s->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static inline enum hrtimer_restart pool_ext_stress_tick(struct hrtimer *t)
{
	struct pool_ext_stress *s = container_of(t, struct pool_ext_stress,
						 timer);

	s->tick(s->arg);
	if (READ_ONCE(s->stop))
		return HRTIMER_NORESTART;
	hrtimer_forward_now(t, ns_to_ktime(s->period_ns));
	return HRTIMER_RESTART;
}

/*
 * pool_ext_stress_run - run the harness described by @s to the end.
 * Returns the number of threads that ran; the test expects it to be
 * num_online_cpus() * @s->per_cpu.
 */
static inline int pool_ext_stress_run(struct kunit *test,
				      struct pool_ext_stress *s)
{
	enum hrtimer_mode mode = s->hard ? HRTIMER_MODE_REL_HARD :
					   HRTIMER_MODE_REL;
	int nthreads = num_online_cpus() * s->per_cpu;
	struct pool_ext_stress_worker *w;
	int cpu, n = 0, i;

	w = kunit_kcalloc(test, nthreads, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	init_completion(&s->done);
	atomic_set(&s->running, 1);	/* this thread's, dropped below */
	WRITE_ONCE(s->stop, false);
	if (s->tick) {
		hrtimer_setup(&s->timer, pool_ext_stress_tick, CLOCK_MONOTONIC,
			      mode);
		hrtimer_start(&s->timer, ns_to_ktime(s->period_ns), mode);
	}
	for_each_online_cpu(cpu) {
		for (i = 0; i < s->per_cpu && n < nthreads; i++, n++) {
			w[n].s = s;
			w[n].id = n;
			atomic_inc(&s->running);
			w[n].task = kthread_create(pool_ext_stress_thread, &w[n],
						   "pool_ext_stress/%d", n);
			if (IS_ERR(w[n].task)) {
				atomic_dec(&s->running);
				goto started;
			}
			get_task_struct(w[n].task);
			if (s->bind)
				kthread_bind(w[n].task, cpu);
			wake_up_process(w[n].task);
		}
	}
started:
	if (atomic_dec_and_test(&s->running))
		complete(&s->done);
	wait_for_completion(&s->done);
	for (i = 0; i < n; i++) {
		kthread_stop(w[i].task);
		put_task_struct(w[i].task);
	}
	if (s->tick) {
		WRITE_ONCE(s->stop, true);
		hrtimer_cancel(&s->timer);
	}
	return n;
}

/*
 * A small seeded PRNG (splitmix64), so that every run with one seed makes
 * the same calls.
 */
struct pool_ext_rng {
	u64 s;
};

static inline u64 pool_ext_rng_next(struct pool_ext_rng *r)
{
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number below @n (0 if @n is 0). */
static inline unsigned long pool_ext_rng_below(struct pool_ext_rng *r,
					       unsigned long n)
{
	return n ? pool_ext_rng_next(r) % n : 0;
}

#endif /* _POOL_EXT_TEST_H */
