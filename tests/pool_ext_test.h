/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the suite's KUnit modules.
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
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/printk.h>
#include <linux/uaccess.h>
#include <compat/pool_ext_compat.h>

#define POOL_EXT_EXPECT_WARN_BEGIN(pattern) \
	pr_warn("pool_ext-expect-warning: begin %s\n", pattern)
#define POOL_EXT_EXPECT_WARN_END(pattern) \
	pr_warn("pool_ext-expect-warning: end %s\n", pattern)

/*
 * pool_ext_read_debugfs - read a debugfs file as a reader in user space
 * would, into @buf (NUL-terminated). debugfs files have no read_iter, so
 * kernel_read() cannot; the read goes through the file's read() into a
 * user mapping of the test thread. Returns the bytes read (at most one
 * page), or a negative errno (-ENOENT once the file is gone).
 */
static inline ssize_t pool_ext_read_debugfs(struct kunit *test,
					    const char *path, char *buf,
					    size_t len)
{
	char __user *ubuf;
	unsigned long addr;
	struct file *f;
	loff_t pos = 0;
	ssize_t n;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(addr))
		return addr;
	ubuf = (char __user *)addr;
	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = f->f_op->read(f, ubuf, min_t(size_t, len - 1, PAGE_SIZE), &pos);
	filp_close(f, NULL);
	if (n < 0)
		return n;
	if (copy_from_user(buf, ubuf, n))
		return -EFAULT;
	buf[n] = 0;
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
