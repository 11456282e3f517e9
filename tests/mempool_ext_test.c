// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for mempool_ext.
 *
 * Suites:
 *   mempool_ext              the API, one case per behaviour and misuse
 *   mempool_ext_helpers      slab/kmalloc/page helpers and their pools
 *   mempool_ext_concurrency  wake-ups, bulk waiters, resize under load and
 *                            the forward-progress stress, with kthreads
 *   mempool_ext_debug        the runtime checks and their reports
 *
 * Most cases use a counting backing allocator (struct mpt_backing) so that
 * they can check element conservation: every element the backing handed
 * out is either in the reserve, outstanding, or given back. Misuse that
 * warns is wrapped in POOL_EXT_EXPECT_WARN_BEGIN/END; cases that must say
 * what a warning prints read it back from /dev/kmsg (struct mpt_kmsg).
 * Nothing is judged on absolute time except the wake-up latency, which is
 * compared with the safety-net timeout by a wide margin.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <mempool_ext/mempool_ext.h>

#include "pool_ext_test.h"

#define MPT_ELEM_SIZE	64

/* A kmalloc()-based backing allocator that counts and can fail. */
struct mpt_backing {
	atomic_t live;		/* elements out of the backing right now */
	atomic_t allocs;	/* successful allocations */
	atomic_t calls;		/* calls of mpt_alloc() */
	unsigned int fail_pct;	/* fail this percentage of calls */
	bool fail;		/* fail every call */
	int fail_after;		/* if > 0, fail once this many succeeded */
};

static void *mpt_alloc(gfp_t gfp_mask, void *pool_data)
{
	struct mpt_backing *b = pool_data;
	unsigned int pct = READ_ONCE(b->fail_pct);
	void *element;

	atomic_inc(&b->calls);
	if (READ_ONCE(b->fail))
		return NULL;
	if (b->fail_after > 0 && atomic_read(&b->allocs) >= b->fail_after)
		return NULL;
	if (pct && get_random_u32_below(100) < pct)
		return NULL;
	element = kmalloc(MPT_ELEM_SIZE, gfp_mask);
	if (element) {
		atomic_inc(&b->live);
		atomic_inc(&b->allocs);
	}
	return element;
}

static void mpt_free(void *element, void *pool_data)
{
	struct mpt_backing *b = pool_data;

	kfree(element);
	atomic_dec(&b->live);
}

static struct mpt_backing *mpt_backing_new(struct kunit *test)
{
	struct mpt_backing *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	return b;
}

static void mpt_destroy_action(void *pool)
{
	mempool_ext_destroy(pool);
}

/*
 * Hand @pool to the test: it is destroyed when the test ends, also when an
 * ASSERT ends it early, so a failed case never leaks a pool (which
 * kmemleak would then report as a second, misleading failure).
 */
static void mpt_manage(struct kunit *test, struct mempool_ext *pool)
{
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mpt_destroy_action,
							pool), 0);
}

/* Destroy a pool from mpt_manage() now, for checks that need it gone. */
static void mpt_destroy(struct kunit *test, struct mempool_ext *pool)
{
	kunit_release_action(test, mpt_destroy_action, pool);
}

static struct mempool_ext *mpt_create(struct kunit *test, int min_nr,
				      struct mpt_backing *b)
{
	struct mempool_ext *pool;

	pool = mempool_ext_create(min_nr, mpt_alloc, mpt_free, b);
	mpt_manage(test, pool);
	return pool;
}

/* One field of a fresh statistics snapshot, as a signed number. */
#define mpt_stat(pool, field)						\
({									\
	struct mempool_ext_stats __st;					\
									\
	mempool_ext_get_stats(pool, &__st);				\
	(long long)__st.field;						\
})

/*
 * The kernel log as dmesg reads it: /dev/kmsg, opened non-blocking and
 * positioned after the last record, so that mpt_kmsg_read() returns what
 * was printed since. Its read() has no read_iter, so records are read
 * through a user mapping of the test thread, as pool_ext_read_debugfs()
 * does.
 */
#define MPT_KMSG_LEN	(16 * 1024)

struct mpt_kmsg {
	struct file *file;
	char __user *ubuf;
	char *text;		/* the records' messages, one per line */
};

static void mpt_kmsg_close(void *data)
{
	struct mpt_kmsg *k = data;

	if (!IS_ERR_OR_NULL(k->file))
		filp_close(k->file, NULL);
}

/* The reader, or an ERR_PTR() if the log cannot be read (then skip). */
static struct mpt_kmsg *mpt_kmsg_open(struct kunit *test)
{
	struct mpt_kmsg *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);
	unsigned long addr;

	if (!k)
		return ERR_PTR(-ENOMEM);
	k->text = kunit_kzalloc(test, MPT_KMSG_LEN, GFP_KERNEL);
	if (!k->text)
		return ERR_PTR(-ENOMEM);
	addr = kunit_vm_mmap(test, NULL, 0, PAGE_SIZE, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (IS_ERR_VALUE(addr))
		return ERR_PTR(addr);
	k->ubuf = (char __user *)addr;
	k->file = filp_open("/dev/kmsg", O_RDONLY | O_NONBLOCK, 0);
	if (IS_ERR(k->file))
		return ERR_CAST(k->file);
	/* Closed when the case ends, after the case's own frees. */
	if (kunit_add_action_or_reset(test, mpt_kmsg_close, k))
		return ERR_PTR(-ENOMEM);
	vfs_llseek(k->file, 0, SEEK_END);
	return k;
}

/* Everything printed since the last read, in k->text (truncated to fit). */
static const char *mpt_kmsg_read(struct mpt_kmsg *k)
{
	char rec[256];
	size_t len = 0;
	ssize_t n;
	char *msg;

	k->text[0] = '\0';
	for (;;) {
		n = k->file->f_op->read(k->file, k->ubuf, PAGE_SIZE,
					&k->file->f_pos);
		if (n == -EPIPE)	/* records overwritten meanwhile */
			continue;
		if (n <= 0)		/* -EAGAIN: nothing more */
			break;
		n = min_t(ssize_t, n, sizeof(rec) - 1);
		if (copy_from_user(rec, k->ubuf, n))
			break;
		rec[n] = '\0';
		/* "level,seq,time,flags;message\n" */
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		n = strscpy(k->text + len, msg, MPT_KMSG_LEN - len);
		if (n < 0)		/* full: keep what fitted */
			break;
		len += n;
	}
	return k->text;
}

/* How many times @needle occurs in @text. */
static int mpt_count(const char *text, const char *needle)
{
	int n = 0;

	while ((text = strstr(text, needle))) {
		n++;
		text += strlen(needle);
	}
	return n;
}

/* ---------------------------------------------------------------- API */

static void mempool_ext_test_create_destroy(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 4, b);

	KUNIT_EXPECT_TRUE(test, mempool_ext_initialized(pool));
	KUNIT_EXPECT_TRUE(test, mempool_ext_is_saturated(pool));
	KUNIT_EXPECT_EQ(test, pool->min_nr, 4);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 4);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 4);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
	/* Destroying NULL is a no-op. */
	mempool_ext_destroy(NULL);
}

static void mempool_ext_test_create_node(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool;

	pool = mempool_ext_create_node(3, mpt_alloc, mpt_free, b, GFP_KERNEL,
				       numa_node_id());
	mpt_manage(test, pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 3);
	mpt_destroy(test, pool);

	pool = mempool_ext_create_node(2, mpt_alloc, mpt_free, b, GFP_KERNEL,
				       NUMA_NO_NODE);
	mpt_manage(test, pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

static void mempool_ext_test_init_exit(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = kunit_kzalloc(test, sizeof(*pool), GFP_KERNEL);
	void *element;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	/* exit on zeroed, never initialised memory is harmless */
	KUNIT_EXPECT_FALSE(test, mempool_ext_initialized(pool));
	mempool_ext_exit(pool);

	KUNIT_ASSERT_EQ(test, mempool_ext_init(pool, 5, mpt_alloc, mpt_free, b), 0);
	KUNIT_EXPECT_TRUE(test, mempool_ext_initialized(pool));
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 5);
	element = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, element);
	mempool_ext_free(element, pool);
	mempool_ext_exit(pool);
	KUNIT_EXPECT_FALSE(test, mempool_ext_initialized(pool));
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
	/* and so is a second exit */
	mempool_ext_exit(pool);

	KUNIT_ASSERT_EQ(test, mempool_ext_init_node(pool, 2, mpt_alloc, mpt_free,
						    b, GFP_KERNEL, numa_node_id()), 0);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	mempool_ext_exit(pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

static void mempool_ext_test_bad_init_args(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = kunit_kzalloc(test, sizeof(*pool), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pool);

	POOL_EXT_EXPECT_WARN_BEGIN("negative min_nr");
	KUNIT_EXPECT_EQ(test, mempool_ext_init(pool, -1, mpt_alloc, mpt_free, b),
			-EINVAL);
	KUNIT_EXPECT_NULL(test, mempool_ext_create(-5, mpt_alloc, mpt_free, b));
	POOL_EXT_EXPECT_WARN_END("negative min_nr");
	KUNIT_EXPECT_FALSE(test, mempool_ext_initialized(pool));
	mempool_ext_exit(pool);

	POOL_EXT_EXPECT_WARN_BEGIN("callback refused");
	KUNIT_EXPECT_EQ(test, mempool_ext_init(pool, 2, NULL, mpt_free, b), -EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_init(pool, 2, mpt_alloc, NULL, b), -EINVAL);
	KUNIT_EXPECT_NULL(test, mempool_ext_create(2, NULL, NULL, b));
	POOL_EXT_EXPECT_WARN_END("callback refused");
	KUNIT_EXPECT_FALSE(test, mempool_ext_initialized(pool));

	POOL_EXT_EXPECT_WARN_BEGIN("init with a NULL pool");
	KUNIT_EXPECT_EQ(test, mempool_ext_init(NULL, 2, mpt_alloc, mpt_free, b),
			-EINVAL);
	POOL_EXT_EXPECT_WARN_END("init with a NULL pool");

	/* nothing was allocated by any of it */
	KUNIT_EXPECT_EQ(test, atomic_read(&b->allocs), 0);
}

static void mempool_ext_test_init_enomem(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = kunit_kzalloc(test, sizeof(*pool), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, pool);
	b->fail = true;
	KUNIT_EXPECT_EQ(test, mempool_ext_init(pool, 3, mpt_alloc, mpt_free, b),
			-ENOMEM);
	KUNIT_EXPECT_FALSE(test, mempool_ext_initialized(pool));
	KUNIT_EXPECT_NULL(test, mempool_ext_create(3, mpt_alloc, mpt_free, b));

	/* partial fill: what was allocated goes back */
	b->fail = false;
	b->fail_after = 2;
	KUNIT_EXPECT_EQ(test, mempool_ext_init(pool, 5, mpt_alloc, mpt_free, b),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->allocs), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
	mempool_ext_exit(pool);
}

static void mempool_ext_test_alloc_free(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 2, b);
	void *element;

	/* The allocator comes first: the reserve stays full. */
	element = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, element);
	memset(element, 0x11, MPT_ELEM_SIZE);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 3);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_hits), 0);

	/* The reserve is full: the element goes back to the allocator. */
	mempool_ext_free(element, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	/* the reserve was never drained */
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_max_drain), 0);

	/* Freeing NULL changes nothing. */
	mempool_ext_free(NULL, pool);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

/* The allocator forced to fail: every element comes from the reserve. */
static void mempool_ext_test_reserve_path(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 4, b);
	void *elements[4];
	int i, calls;

	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	calls = atomic_read(&b->calls);
	for (i = 0; i < 4; i++) {
		elements[i] = mempool_ext_alloc(pool, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, elements[i]);
		KUNIT_EXPECT_EQ(test, pool->curr_nr, 3 - i);
	}
	KUNIT_EXPECT_FALSE(test, mempool_ext_is_saturated(pool));
	/* the backing was never called, the reserve served all four */
	KUNIT_EXPECT_EQ(test, atomic_read(&b->calls), calls);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 4);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_hits), 4);
	KUNIT_EXPECT_GE(test, mpt_stat(pool, faults_injected), 4);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_failures),
			mpt_stat(pool, faults_injected));

	/* Frees refill the reserve before anything goes back. */
	for (i = 0; i < 4; i++)
		mempool_ext_free(elements[i], pool);
	KUNIT_EXPECT_TRUE(test, mempool_ext_is_saturated(pool));
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 4);

	/* A real allocator failure takes the same path. */
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_OFF, 0), 0);
	b->fail = true;
	elements[0] = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, elements[0]);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 3);
	mempool_ext_free(elements[0], pool);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

static DEFINE_SPINLOCK(mpt_atomic_lock);

/* Non-sleeping allocations fail once the reserve is empty. */
static void mempool_ext_test_atomic_empty(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 3, b);
	void *elements[3], *extra, *nowait;
	unsigned long flags;
	int i;

	b->fail = true;
	/* IRQs off under a spinlock: these paths must never sleep */
	spin_lock_irqsave(&mpt_atomic_lock, flags);
	for (i = 0; i < 3; i++)
		elements[i] = mempool_ext_alloc(pool, GFP_ATOMIC);
	extra = mempool_ext_alloc(pool, GFP_ATOMIC);
	nowait = mempool_ext_alloc(pool, GFP_NOWAIT);
	spin_unlock_irqrestore(&mpt_atomic_lock, flags);

	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_NOT_NULL(test, elements[i]);
	KUNIT_EXPECT_NULL(test, extra);
	KUNIT_EXPECT_NULL(test, nowait);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 3);

	/* one free, one more atomic allocation */
	mempool_ext_free(elements[0], pool);
	elements[0] = mempool_ext_alloc(pool, GFP_ATOMIC);
	KUNIT_EXPECT_NOT_NULL(test, elements[0]);
	for (i = 0; i < 3; i++)
		mempool_ext_free(elements[i], pool);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

static void mempool_ext_test_alloc_preallocated(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 2, b);
	void *a, *c, *none;
	int calls = atomic_read(&b->calls);

	a = mempool_ext_alloc_preallocated(pool);
	c = mempool_ext_alloc_preallocated(pool);
	none = mempool_ext_alloc_preallocated(pool);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_NE(test, a, c);
	/* never the allocator, even though it works */
	KUNIT_EXPECT_NULL(test, none);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->calls), calls);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_hits), 2);
	mempool_ext_free(a, pool);
	mempool_ext_free(c, pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

/*
 * __GFP_ZERO, which mainline documents as unsupported but serves anyway
 * (reserve elements come back dirty): mempool_ext warns once per pool and
 * serves it too, zeroing reserve elements when it knows their size. A
 * sleeping allocation never fails because of it (README, porting notes).
 */
static void mempool_ext_test_gfp_zero(struct kunit *test)
{
	struct mempool_ext *pool = mempool_ext_create_kmalloc_pool(2, MPT_ELEM_SIZE);
	struct mpt_backing *b = mpt_backing_new(test);
	u8 *element, *again, *last;

	mpt_manage(test, pool);
	/* from the allocator, which zeroes */
	POOL_EXT_EXPECT_WARN_BEGIN("__GFP_ZERO");
	element = mempool_ext_alloc(pool, GFP_KERNEL | __GFP_ZERO);
	POOL_EXT_EXPECT_WARN_END("__GFP_ZERO");
	KUNIT_EXPECT_NOT_NULL(test, element);
	if (!element) {		/* refused: nothing more to see */
		mpt_destroy(test, pool);
		return;
	}
	KUNIT_EXPECT_NULL(test, memchr_inv(element, 0, MPT_ELEM_SIZE));
	mempool_ext_free(element, pool);

	/* from the reserve: a dirty element comes back zeroed */
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	element = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, element);
	memset(element, 0xaa, MPT_ELEM_SIZE);
	mempool_ext_free(element, pool);
	again = mempool_ext_alloc(pool, GFP_KERNEL | __GFP_ZERO);
	KUNIT_ASSERT_PTR_EQ(test, again, element);
	KUNIT_EXPECT_NULL(test, memchr_inv(again, 0, MPT_ELEM_SIZE));
	/* atomic ones too, and they fail only when the reserve is empty */
	last = mempool_ext_alloc(pool, GFP_ATOMIC | __GFP_ZERO);
	KUNIT_ASSERT_NOT_NULL(test, last);
	KUNIT_EXPECT_NULL(test, memchr_inv(last, 0, MPT_ELEM_SIZE));
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc(pool, GFP_ATOMIC | __GFP_ZERO));
	mempool_ext_free(again, pool);
	mempool_ext_free(last, pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	mpt_destroy(test, pool);

	/* a pool on the caller's allocator cannot zero its reserve: served anyway */
	pool = mpt_create(test, 1, b);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	POOL_EXT_EXPECT_WARN_BEGIN("__GFP_ZERO");
	element = mempool_ext_alloc(pool, GFP_KERNEL | __GFP_ZERO);
	POOL_EXT_EXPECT_WARN_END("__GFP_ZERO");
	KUNIT_EXPECT_NOT_NULL(test, element);
	mempool_ext_free(element, pool);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

static void mempool_ext_test_uninitialised(struct kunit *test)
{
	struct mempool_ext *pool = kunit_kzalloc(test, sizeof(*pool), GFP_KERNEL);
	void *elems[1] = { NULL };

	KUNIT_ASSERT_NOT_NULL(test, pool);
	POOL_EXT_EXPECT_WARN_BEGIN("uninitialised pool");
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc(pool, GFP_KERNEL));
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc_preallocated(pool));
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, elems, 1, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 3), -EINVAL);
	POOL_EXT_EXPECT_WARN_END("uninitialised pool");
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_set_debug(pool, true), -EINVAL);
}

/* Statistics of a pool that does not exist are zero and an error. */
static void mempool_ext_test_get_stats_bad(struct kunit *test)
{
	struct mempool_ext *pool = kunit_kzalloc(test, sizeof(*pool), GFP_KERNEL);
	struct mempool_ext_stats st;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	memset(&st, 0xff, sizeof(st));
	KUNIT_EXPECT_EQ(test, mempool_ext_get_stats(pool, &st), -EINVAL);
	KUNIT_EXPECT_EQ(test, st.alloc_calls, 0UL);
	KUNIT_EXPECT_EQ(test, st.outstanding, 0L);
	memset(&st, 0xff, sizeof(st));
	KUNIT_EXPECT_EQ(test, mempool_ext_get_stats(NULL, &st), -EINVAL);
	KUNIT_EXPECT_EQ(test, st.reserve_max_drain, 0UL);
	/* the deprecated name reads the same counter */
	KUNIT_EXPECT_EQ(test, st.high_water, 0UL);
	/* after exit too: the per-CPU counters are gone */
	KUNIT_ASSERT_EQ(test, mempool_ext_init_kmalloc_pool(pool, 1, MPT_ELEM_SIZE), 0);
	KUNIT_EXPECT_EQ(test, mempool_ext_get_stats(pool, &st), 0);
	mempool_ext_exit(pool);
	KUNIT_EXPECT_EQ(test, mempool_ext_get_stats(pool, &st), -EINVAL);
}

/* A warning about a pool that has no name yet still says which pool. */
static void mempool_ext_test_uninitialised_name(struct kunit *test)
{
	struct mempool_ext *pool = kunit_kzalloc(test, sizeof(*pool), GFP_KERNEL);
	struct mpt_kmsg *kmsg = mpt_kmsg_open(test);
	const char *log;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	if (IS_ERR(kmsg))
		kunit_skip(test, "cannot read /dev/kmsg (%ld)", PTR_ERR(kmsg));
	POOL_EXT_EXPECT_WARN_BEGIN("uninitialised pool");
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc(pool, GFP_KERNEL));
	POOL_EXT_EXPECT_WARN_END("uninitialised pool");
	log = mpt_kmsg_read(kmsg);
	KUNIT_EXPECT_EQ(test, mpt_count(log, "use of an uninitialised pool"), 1);
	KUNIT_EXPECT_NULL(test, strstr(log, "mempool_ext: : "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(log, "(never initialised): use of"));
}

/*
 * A resize far beyond what kmalloc() can serve fails with -ENOMEM, leaves
 * the pool as it was, and prints one warning: mempool_ext's own, not the
 * page allocator's.
 */
static void mempool_ext_test_resize_huge(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 2, b);
	struct mpt_kmsg *kmsg = mpt_kmsg_open(test);
	const char *log;

	if (IS_ERR(kmsg)) {
		mpt_destroy(test, pool);
		kunit_skip(test, "cannot read /dev/kmsg (%ld)", PTR_ERR(kmsg));
	}
	POOL_EXT_EXPECT_WARN_BEGIN("no memory for the reserve array");
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, INT_MAX), -ENOMEM);
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, INT_MAX / 2), -ENOMEM);
	POOL_EXT_EXPECT_WARN_END("no memory for the reserve array");
	log = mpt_kmsg_read(kmsg);
	KUNIT_EXPECT_EQ(test, mpt_count(log, "WARNING:"), 1);
	/* the message, not the expect-warning markers around it */
	KUNIT_EXPECT_EQ(test, mpt_count(log, "failed: no memory for the reserve array"), 1);
	KUNIT_EXPECT_NULL(test, strstr(log, "page_alloc"));

	/* unchanged, and still resizable */
	KUNIT_EXPECT_EQ(test, pool->min_nr, 2);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, pool->capacity, 2);
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 3), 0);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 3);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

/*
 * A backing "allocator" that hands out one static address and forgets
 * what is freed to it: frees of pointers the pool never handed out are
 * harmless, so a case can make as many as it likes.
 */
struct mpt_null {
	u8 area[8];
	atomic_t frees;
};

static void *mpt_null_alloc(gfp_t gfp_mask, void *pool_data)
{
	struct mpt_null *n = pool_data;

	return n->area;
}

static void mpt_null_free(void *element, void *pool_data)
{
	struct mpt_null *n = pool_data;

	atomic_inc(&n->frees);
}

/*
 * Debug checks off: a pool cannot tell a foreign pointer from its own, but
 * its outstanding count must not go negative silently (1,130 foreign frees
 * used to read -1,130, and destroy, which warns only about a positive
 * count, hid real leaks behind it). It warns once and reads 0.
 */
static void mempool_ext_test_excess_frees(struct kunit *test)
{
	struct mpt_null *n = kunit_kzalloc(test, sizeof(*n), GFP_KERNEL);
	struct mempool_ext *pool;
	void *element;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, n);
	pool = mempool_ext_create(1, mpt_null_alloc, mpt_null_free, n);
	mpt_manage(test, pool);
	element = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 1);
	mempool_ext_free(element, pool);

	for (i = 0; i < 1130; i++)
		mempool_ext_free(&n->area[1 + i % 7], pool);
	/* nothing refused them: they went to the backing free function */
	KUNIT_EXPECT_EQ(test, atomic_read(&n->frees), 1131);
	POOL_EXT_EXPECT_WARN_BEGIN("more frees than allocations");
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	POOL_EXT_EXPECT_WARN_END("more frees than allocations");
	/* once per pool: the next reads are silent, and still not negative */
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	mpt_destroy(test, pool);
}

static void mempool_ext_test_resize(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 2, b);
	void *elements[3];
	int i;

	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 8), 0);
	KUNIT_EXPECT_EQ(test, pool->min_nr, 8);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 8);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 8);

	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 3), 0);
	KUNIT_EXPECT_EQ(test, pool->min_nr, 3);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 3);

	/*
	 * Shrink while the reserve is lent out: resize refills the smaller
	 * reserve, and the frees then go back to the allocator.
	 */
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	for (i = 0; i < 3; i++) {
		elements[i] = mempool_ext_alloc(pool, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, elements[i]);
	}
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 1), 0);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	for (i = 0; i < 3; i++)
		mempool_ext_free(elements[i], pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 1);

	/* growing while the allocator fails: frees finish the job later */
	b->fail = true;
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 4), 0);
	KUNIT_EXPECT_EQ(test, pool->min_nr, 4);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	b->fail = false;
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_OFF, 0), 0);
	for (i = 0; i < 3; i++) {
		elements[i] = mempool_ext_alloc(pool, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, elements[i]);
	}
	for (i = 0; i < 3; i++)
		mempool_ext_free(elements[i], pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 4);
	KUNIT_EXPECT_TRUE(test, mempool_ext_is_saturated(pool));

	/* resize to 0 or below: an error, a warning, no change */
	POOL_EXT_EXPECT_WARN_BEGIN("must be at least 1");
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, -3), -EINVAL);
	POOL_EXT_EXPECT_WARN_END("must be at least 1");
	KUNIT_EXPECT_EQ(test, pool->min_nr, 4);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 4);

	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

static void mempool_ext_test_bulk(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 4, b);
	void *elems[4] = { NULL };
	unsigned int n;
	int i, j;

	/* from the allocator */
	KUNIT_ASSERT_EQ(test, mempool_ext_alloc_bulk(pool, elems, 4, 0), 0);
	for (i = 0; i < 4; i++) {
		KUNIT_ASSERT_NOT_NULL(test, elems[i]);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE(test, elems[i], elems[j]);
	}
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 4);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 4);
	/* the reserve is full: nothing taken, the caller frees them all */
	n = mempool_ext_free_bulk(pool, elems, 4);
	KUNIT_EXPECT_EQ(test, n, 0);
	for (i = n; i < 4; i++)
		mpt_free(elems[i], b);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 4);

	/* from the reserve, one slot already filled by the caller */
	memset(elems, 0, sizeof(elems));
	elems[1] = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, elems[1]);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	KUNIT_ASSERT_EQ(test, mempool_ext_alloc_bulk(pool, elems, 4, 1), 0);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NOT_NULL(test, elems[i]);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_hits), 3);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 4);

	/* refill: three go to the reserve, from the start, slots cleared */
	n = mempool_ext_free_bulk(pool, elems, 4);
	KUNIT_EXPECT_EQ(test, n, 3);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_NULL(test, elems[i]);
	KUNIT_EXPECT_NOT_NULL(test, elems[3]);
	mpt_free(elems[3], b);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 4);

	/* mixed: every 2nd allocator call fails, the rest from the reserve */
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_EVERY_NTH, 2), 0);
	memset(elems, 0, sizeof(elems));
	KUNIT_ASSERT_EQ(test, mempool_ext_alloc_bulk(pool, elems, 4, 0), 0);
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NOT_NULL(test, elems[i]);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 4);
	n = mempool_ext_free_bulk(pool, elems, 4);
	for (i = n; i < 4; i++)
		mpt_free(elems[i], b);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 4);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);

	/* nothing to do */
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, elems, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, mempool_ext_free_bulk(pool, elems, 0), 0U);

	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

static void mempool_ext_test_bulk_bad_args(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 2, b);
	void *elems[3] = { NULL };

	POOL_EXT_EXPECT_WARN_BEGIN("exceeds the reserve");
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, elems, 3, 0), -EINVAL);
	POOL_EXT_EXPECT_WARN_END("exceeds the reserve");
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, elems, 2, 3), -EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, NULL, 2, 0), -EINVAL);
	/* refused without touching the array or the pool */
	KUNIT_EXPECT_NULL(test, elems[0]);
	KUNIT_EXPECT_NULL(test, elems[2]);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

/*
 * A zero-minimum pool keeps one element, from creation on, as mainline
 * does since its 2025 fix of the lost wake-up; 6.12 keeps none (README,
 * porting notes).
 */
static void mempool_ext_test_zero_min(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 0, b);
	void *held, *none, *elems[1] = { NULL };

	/* one element is held so that frees can feed waiters */
	KUNIT_EXPECT_EQ(test, pool->min_nr, 0);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	KUNIT_EXPECT_TRUE(test, mempool_ext_is_saturated(pool));

	b->fail = true;
	held = mempool_ext_alloc(pool, GFP_ATOMIC);
	none = mempool_ext_alloc(pool, GFP_ATOMIC);
	KUNIT_EXPECT_NOT_NULL(test, held);
	KUNIT_EXPECT_NULL(test, none);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);
	mempool_ext_free(held, pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);

	/* a bulk of one works like an allocation */
	KUNIT_EXPECT_EQ(test, mempool_ext_alloc_bulk(pool, elems, 1, 0), 0);
	KUNIT_EXPECT_NOT_NULL(test, elems[0]);
	KUNIT_EXPECT_EQ(test, mempool_ext_free_bulk(pool, elems, 1), 1U);

	/* it can grow like any pool */
	b->fail = false;
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 3), 0);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 3);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

static void mempool_ext_test_fault_modes(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 4, b);
	void *element;
	int i;

	/* every 3rd call: 9 allocations, 3 injected failures */
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_EVERY_NTH, 3), 0);
	for (i = 0; i < 9; i++) {
		element = mempool_ext_alloc(pool, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, element);
		mempool_ext_free(element, pool);
	}
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, faults_injected), 3);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_hits), 3);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_calls), 9);

	/* probability 0 and 100 are exact */
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_PROBABILITY, 0), 0);
	for (i = 0; i < 20; i++)
		mempool_ext_free(mempool_ext_alloc(pool, GFP_KERNEL), pool);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, faults_injected), 3);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_PROBABILITY, 100), 0);
	for (i = 0; i < 20; i++)
		mempool_ext_free(mempool_ext_alloc(pool, GFP_KERNEL), pool);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, faults_injected), 23);
	/* 50%: some but not all of 200 (failing either way: p < 2^-190) */
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_PROBABILITY, 50), 0);
	for (i = 0; i < 200; i++)
		mempool_ext_free(mempool_ext_alloc(pool, GFP_KERNEL), pool);
	KUNIT_EXPECT_GT(test, mpt_stat(pool, faults_injected), 23);
	KUNIT_EXPECT_LT(test, mpt_stat(pool, faults_injected), 223);

	/* the knob sends allocations off the fast path only while it is on */
	KUNIT_EXPECT_TRUE(test, test_bit(MEMPOOL_EXT_F_FAULT, &pool->flags));
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_OFF, 0), 0);
	KUNIT_EXPECT_FALSE(test, test_bit(MEMPOOL_EXT_F_FAULT, &pool->flags));
	/* bad settings are refused and change nothing */
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_EVERY_NTH, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_PROBABILITY, 101),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, 42, 1), -EINVAL);
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(NULL, MEMPOOL_EXT_FAULT_ALWAYS, 0),
			-EINVAL);
	i = atomic_read(&b->calls);
	mempool_ext_free(mempool_ext_alloc(pool, GFP_KERNEL), pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->calls), i + 1);

	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

static void mempool_ext_test_destroy_outstanding(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 1, b);
	void *a, *c;

	a = mempool_ext_alloc(pool, GFP_KERNEL);
	c = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, c);
	POOL_EXT_EXPECT_WARN_BEGIN("2 element(s) outstanding");
	mpt_destroy(test, pool);
	POOL_EXT_EXPECT_WARN_END("2 element(s) outstanding");
	/* the reserve was freed; the two are still the caller's */
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 2);
	mpt_free(a, b);
	mpt_free(c, b);
}

static void mempool_ext_test_stats(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 2, b);
	void *elements[5];
	int i;

	for (i = 0; i < 5; i++)
		elements[i] = mempool_ext_alloc(pool, GFP_KERNEL);
	for (i = 0; i < 5; i++)
		mempool_ext_free(elements[i], pool);
	for (i = 0; i < 2; i++)
		elements[i] = mempool_ext_alloc(pool, GFP_KERNEL);
	for (i = 0; i < 2; i++)
		mempool_ext_free(elements[i], pool);
	/* all from the allocator: the reserve was never drained */
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_max_drain), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_calls), 7);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_failures), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, waits), 0);

	b->fail = true;
	elements[0] = mempool_ext_alloc(pool, GFP_ATOMIC);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_failures), 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, faults_injected), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_hits), 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_max_drain), 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 1);
	/* the high-water mark is the deepest drain: it stays at 2 */
	elements[1] = mempool_ext_alloc(pool, GFP_ATOMIC);
	KUNIT_EXPECT_NOT_NULL(test, elements[1]);
	mempool_ext_free(elements[1], pool);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_max_drain), 2);
	mempool_ext_free(elements[0], pool);
	elements[0] = mempool_ext_alloc(pool, GFP_ATOMIC);
	mempool_ext_free(elements[0], pool);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_max_drain), 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_hits), 3);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	mpt_destroy(test, pool);
}

/* debugfs, read and written like user space does (kernel_read/write). */
static ssize_t mpt_write_file(const char *path, const char *text)
{
	struct file *file = filp_open(path, O_WRONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(file))
		return PTR_ERR(file);
	n = kernel_write(file, text, strlen(text), &pos);
	filp_close(file, NULL);
	return n;
}

static void mempool_ext_test_debugfs(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 3, b);
	char *stats = kunit_kzalloc(test, PATH_MAX, GFP_KERNEL);
	char *fault = kunit_kzalloc(test, PATH_MAX, GFP_KERNEL);
	char *buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	void *element;
	ssize_t n;

	KUNIT_ASSERT_NOT_NULL(test, stats);
	KUNIT_ASSERT_NOT_NULL(test, fault);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	snprintf(stats, PATH_MAX, "/sys/kernel/debug/mempool_ext/%s/stats", pool->name);
	snprintf(fault, PATH_MAX, "/sys/kernel/debug/mempool_ext/%s/fault", pool->name);
	KUNIT_EXPECT_TRUE(test, strncmp(pool->name, "mpt_alloc-", 10) == 0);

	n = pool_ext_read_debugfs(test, stats, buf, 1024);
	if (n == -ENOENT || n == -ENODEV) {
		mpt_destroy(test, pool);
		kunit_skip(test, "debugfs not mounted at /sys/kernel/debug");
	}
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "name: "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, pool->name));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "min_nr: 3\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "curr_nr: 3\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "fault: off\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "reserve_hits: 0\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "waits: 0\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "wait_ns: 0\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "alloc_failures: 0\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "reserve_max_drain: 0\n"));

	/* the knob, as user space would set it */
	KUNIT_EXPECT_EQ(test, mpt_write_file(fault, "always\n"), 7);
	element = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	n = pool_ext_read_debugfs(test, stats, buf, 1024);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "curr_nr: 2\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "reserve_hits: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "alloc_failures: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "faults_injected: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "outstanding: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "reserve_max_drain: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "fault: always\n"));
	mempool_ext_free(element, pool);

	KUNIT_EXPECT_GT(test, mpt_write_file(fault, "every 7"), 0);
	KUNIT_EXPECT_GT(test, pool_ext_read_debugfs(test, fault, buf, 1024), 0);
	KUNIT_EXPECT_STREQ(test, buf, "every 7\n");
	KUNIT_EXPECT_GT(test, mpt_write_file(fault, "probability 30"), 0);
	KUNIT_EXPECT_GT(test, pool_ext_read_debugfs(test, fault, buf, 1024), 0);
	KUNIT_EXPECT_STREQ(test, buf, "probability 30\n");

	/* nonsense is refused and changes nothing */
	KUNIT_EXPECT_EQ(test, mpt_write_file(fault, "sometimes"), -EINVAL);
	KUNIT_EXPECT_EQ(test, mpt_write_file(fault, "every 0"), -EINVAL);
	KUNIT_EXPECT_EQ(test, mpt_write_file(fault, "every"), -EINVAL);
	KUNIT_EXPECT_EQ(test, mpt_write_file(fault, "probability 101"), -EINVAL);
	KUNIT_EXPECT_EQ(test, mpt_write_file(fault, "always 3"), -EINVAL);
	KUNIT_EXPECT_GT(test, pool_ext_read_debugfs(test, fault, buf, 1024), 0);
	KUNIT_EXPECT_STREQ(test, buf, "probability 30\n");
	KUNIT_EXPECT_GT(test, mpt_write_file(fault, "off"), 0);

	/* the directory goes away with the pool */
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, pool_ext_read_debugfs(test, stats, buf, 1024), -ENOENT);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

static struct kunit_case mempool_ext_test_cases[] = {
	KUNIT_CASE(mempool_ext_test_create_destroy),
	KUNIT_CASE(mempool_ext_test_create_node),
	KUNIT_CASE(mempool_ext_test_init_exit),
	KUNIT_CASE(mempool_ext_test_bad_init_args),
	KUNIT_CASE(mempool_ext_test_init_enomem),
	KUNIT_CASE(mempool_ext_test_alloc_free),
	KUNIT_CASE(mempool_ext_test_reserve_path),
	KUNIT_CASE(mempool_ext_test_atomic_empty),
	KUNIT_CASE(mempool_ext_test_alloc_preallocated),
	KUNIT_CASE(mempool_ext_test_gfp_zero),
	KUNIT_CASE(mempool_ext_test_uninitialised),
	KUNIT_CASE(mempool_ext_test_uninitialised_name),
	KUNIT_CASE(mempool_ext_test_resize),
	KUNIT_CASE(mempool_ext_test_resize_huge),
	KUNIT_CASE(mempool_ext_test_bulk),
	KUNIT_CASE(mempool_ext_test_bulk_bad_args),
	KUNIT_CASE(mempool_ext_test_zero_min),
	KUNIT_CASE(mempool_ext_test_fault_modes),
	KUNIT_CASE(mempool_ext_test_destroy_outstanding),
	KUNIT_CASE(mempool_ext_test_excess_frees),
	KUNIT_CASE(mempool_ext_test_get_stats_bad),
	KUNIT_CASE(mempool_ext_test_stats),
	KUNIT_CASE(mempool_ext_test_debugfs),
	{}
};

static struct kunit_suite mempool_ext_test_suite = {
	.name = "mempool_ext",
	.test_cases = mempool_ext_test_cases,
};

/* ------------------------------------------------------------ helpers */

enum mpt_kind { MPT_SLAB, MPT_KMALLOC, MPT_KVMALLOC, MPT_PAGE };

struct mpt_helper_param {
	const char *desc;
	enum mpt_kind kind;
	int order;		/* pages */
	size_t size;		/* slab object or kmalloc buffer */
};

static const struct mpt_helper_param mpt_helper_params[] = {
	{ "slab-96", MPT_SLAB, 0, 96 },
	{ "kmalloc-200", MPT_KMALLOC, 0, 200 },
	{ "kmalloc-4096", MPT_KMALLOC, 0, 4096 },
	{ "kvmalloc-200", MPT_KVMALLOC, 0, 200 },
	{ "kvmalloc-262144", MPT_KVMALLOC, 0, 262144 },
	{ "page-order0", MPT_PAGE, 0, 0 },
	{ "page-order2", MPT_PAGE, 2, 0 },
};

static void mpt_helper_desc(const struct mpt_helper_param *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mpt_helper, mpt_helper_params, mpt_helper_desc);

/* Write over the whole element, as its user would. */
static void mpt_touch(const struct mpt_helper_param *p, void *element, u8 v)
{
	if (p->kind == MPT_PAGE)
		memset(page_address(element), v, PAGE_SIZE << p->order);
	else
		memset(element, v, p->size);
}

/* Allocate past the reserve with the allocator failing, then refill. */
static void mpt_exercise(struct kunit *test, const struct mpt_helper_param *p,
			 struct mempool_ext *pool, int min_nr)
{
	void *elements[4], *element;
	int i;

	KUNIT_ASSERT_LE(test, min_nr, 4);
	element = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, element);
	mpt_touch(p, element, 0x3c);
	mempool_ext_free(element, pool);

	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	for (i = 0; i < min_nr; i++) {
		elements[i] = mempool_ext_alloc(pool, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, elements[i]);
		mpt_touch(p, elements[i], i);
	}
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc(pool, GFP_ATOMIC));
	for (i = 0; i < min_nr; i++)
		mempool_ext_free(elements[i], pool);
	KUNIT_EXPECT_TRUE(test, mempool_ext_is_saturated(pool));
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_hits), min_nr);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	/* debug checks were on: clean use reports nothing */
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 0);
}

static void mempool_ext_helpers_test_pools(struct kunit *test)
{
	const struct mpt_helper_param *p = test->param_value;
	struct mempool_ext *pool, *embedded;
	struct kmem_cache *cache = NULL;
	int ret = -EINVAL;

	embedded = kunit_kzalloc(test, sizeof(*embedded), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, embedded);
	switch (p->kind) {
	case MPT_SLAB:
		cache = kmem_cache_create("mempool_ext_test_obj", p->size, 0, 0, NULL);
		KUNIT_ASSERT_NOT_NULL(test, cache);
		pool = mempool_ext_create_slab_pool(3, cache);
		ret = mempool_ext_init_slab_pool(embedded, 2, cache);
		break;
	case MPT_KMALLOC:
		pool = mempool_ext_create_kmalloc_pool(3, p->size);
		ret = mempool_ext_init_kmalloc_pool(embedded, 2, p->size);
		break;
	case MPT_KVMALLOC:
		pool = mempool_ext_create_kvmalloc_pool(3, p->size);
		ret = mempool_ext_init_kvmalloc_pool(embedded, 2, p->size);
		break;
	default:
		pool = mempool_ext_create_page_pool(3, p->order);
		ret = mempool_ext_init_page_pool(embedded, 2, p->order);
		break;
	}
	KUNIT_EXPECT_NOT_NULL(test, pool);
	KUNIT_EXPECT_EQ(test, ret, 0);
	if (pool) {
		KUNIT_EXPECT_EQ(test, mempool_ext_set_debug(pool, true), 0);
		mpt_exercise(test, p, pool, 3);
		mempool_ext_destroy(pool);
	}
	if (!ret) {
		KUNIT_EXPECT_EQ(test, mempool_ext_set_debug(embedded, true), 0);
		mpt_exercise(test, p, embedded, 2);
		mempool_ext_exit(embedded);
	}
	kmem_cache_destroy(cache);
}

/* The helpers called directly, as a driver's own alloc_fn might. */
static void mempool_ext_helpers_test_direct(struct kunit *test)
{
	struct kmem_cache *cache;
	struct page *page;
	void *obj;

	obj = mempool_ext_kmalloc(GFP_KERNEL, (void *)(size_t)100);
	KUNIT_ASSERT_NOT_NULL(test, obj);
	KUNIT_EXPECT_GE(test, ksize(obj), (size_t)100);
	memset(obj, 1, 100);
	mempool_ext_kfree(obj, (void *)(size_t)100);

	cache = kmem_cache_create("mempool_ext_test_direct", 48, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	obj = mempool_ext_alloc_slab(GFP_KERNEL, cache);
	KUNIT_EXPECT_NOT_NULL(test, obj);
	if (obj) {
		memset(obj, 2, 48);
		mempool_ext_free_slab(obj, cache);
	}
	kmem_cache_destroy(cache);

	page = mempool_ext_alloc_pages(GFP_KERNEL, (void *)1L);
	KUNIT_ASSERT_NOT_NULL(test, page);
	memset(page_address(page), 3, PAGE_SIZE << 1);
	mempool_ext_free_pages(page, (void *)1L);
}

/*
 * mempool_ext_alloc_noreserve(): the allocator or nothing; the reserve is
 * left alone even when the allocator fails, and the element is counted
 * and given back like any other.
 */
static void mempool_ext_helpers_test_noreserve(struct kunit *test)
{
	struct mempool_ext *pool = mempool_ext_create_kmalloc_pool(2, 64);
	void *element;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_EXPECT_EQ(test, mempool_ext_set_debug(pool, true), 0);
	element = mempool_ext_alloc_noreserve(pool, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, element);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 1);

	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	KUNIT_EXPECT_NULL(test, mempool_ext_alloc_noreserve(pool, GFP_ATOMIC));
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, reserve_hits), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, faults_injected), 1);

	mempool_ext_free(element, pool);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 0);
	mempool_ext_destroy(pool);
}

static struct kunit_case mempool_ext_helpers_test_cases[] = {
	KUNIT_CASE_PARAM(mempool_ext_helpers_test_pools, mpt_helper_gen_params),
	KUNIT_CASE(mempool_ext_helpers_test_direct),
	KUNIT_CASE(mempool_ext_helpers_test_noreserve),
	{}
};

static struct kunit_suite mempool_ext_helpers_test_suite = {
	.name = "mempool_ext_helpers",
	.test_cases = mempool_ext_helpers_test_cases,
};

/* -------------------------------------------------------- concurrency */

struct mpt_worker {
	struct mempool_ext *pool;
	struct mpt_backing *backing;
	struct completion done;		/* complete_all(): waiting does not consume it */
	unsigned int iterations;
	bool use_bulk;
	unsigned int bulk;	/* elements per bulk allocation, at most 4 */
	/* results */
	void *elems[4];
	ktime_t finished;
	unsigned int null_sleeping;	/* must stay 0 */
	unsigned int atomic_failures;
	unsigned int bad_bulk;		/* must stay 0 */
	unsigned int ops;
};

/*
 * Everything the threads of one case touch, in memory that is not
 * KUnit-managed: if a thread never finishes, the case fails and leaks
 * this (and the pool) rather than freeing memory still in use or hanging.
 */
struct mpt_run {
	struct mpt_backing backing;
	struct mempool_ext *pool;
	int nr;
	struct mpt_worker w[] __counted_by(nr);
};

static struct mpt_run *mpt_run_new(struct kunit *test, int nr, int min_nr)
{
	struct mpt_run *run = kzalloc(struct_size(run, w, nr), GFP_KERNEL);
	int i;

	KUNIT_ASSERT_NOT_NULL(test, run);
	run->nr = nr;
	run->pool = mempool_ext_create(min_nr, mpt_alloc, mpt_free, &run->backing);
	if (!run->pool) {
		kfree(run);
		KUNIT_FAIL_AND_ABORT(test, "cannot create the pool");
	}
	for (i = 0; i < nr; i++) {
		run->w[i].pool = run->pool;
		run->w[i].backing = &run->backing;
		init_completion(&run->w[i].done);
	}
	return run;
}

/* Start @fn on each worker; returns how many were started. */
static int mpt_start(struct kunit *test, struct mpt_run *run,
		     int (*fn)(void *), const char *name)
{
	struct task_struct *task;
	int i;

	for (i = 0; i < run->nr; i++) {
		task = kthread_run(fn, &run->w[i], "%s/%d", name, i);
		KUNIT_EXPECT_FALSE(test, IS_ERR(task));
		if (IS_ERR(task))
			break;
	}
	return i;
}

/*
 * Wait up to @timeout_s seconds in all for the @started workers. Keep it
 * well below the hung-task timeout (120 s): insmod sleeps uninterruptibly
 * for as long as one case runs. Returns false, having failed the case, if
 * some did not finish: the caller must then leak @run and its pool.
 */
static bool mpt_join(struct kunit *test, struct mpt_run *run, int started,
		     unsigned int timeout_s)
{
	unsigned long deadline = jiffies + timeout_s * HZ;
	int i, late = 0;

	for (i = 0; i < started; i++) {
		while (!completion_done(&run->w[i].done) &&
		       time_before(jiffies, deadline))
			wait_for_completion_timeout(&run->w[i].done, HZ);
		late += !completion_done(&run->w[i].done);
	}
	if (late)
		KUNIT_FAIL(test, "%d of %d threads still running after %u s",
			   late, started, timeout_s);
	return !late;
}

static void mpt_run_free(struct mpt_run *run)
{
	mempool_ext_destroy(run->pool);
	kfree(run);
}

static int mpt_waiter_fn(void *data)
{
	struct mpt_worker *w = data;

	if (w->use_bulk)
		mempool_ext_alloc_bulk(w->pool, w->elems, w->bulk, 0);
	else
		w->elems[0] = mempool_ext_alloc(w->pool, GFP_KERNEL);
	w->finished = ktime_get();
	complete_all(&w->done);
	return 0;
}

/* Wait (bounded) until somebody sleeps on the pool's wait queue. */
static bool mpt_wait_for_sleeper(struct mempool_ext *pool)
{
	int i;

	for (i = 0; i < 2000; i++) {
		if (wq_has_sleeper(&pool->wait))
			return true;
		usleep_range(2000, 5000);
	}
	return false;
}

/*
 * A sleeping allocation blocked on an empty reserve is woken by a free
 * from another thread at once, not by the safety-net timeout.
 */
static void mpt_wakeup(struct kunit *test, int min_nr)
{
	u64 limit_ns = jiffies_to_nsecs(MEMPOOL_EXT_RETRY_TIMEOUT) / 5;
	struct mpt_run *run = mpt_run_new(test, 1, min_nr);
	struct mempool_ext *pool = run->pool;
	struct mpt_worker *w = &run->w[0];
	ktime_t freed;
	void *held;

	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	/* a zero-minimum pool holds one element too */
	held = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, held);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);

	if (mpt_start(test, run, mpt_waiter_fn, "mpt_waiter") != 1) {
		mempool_ext_free(held, pool);
		mpt_run_free(run);
		return;
	}
	KUNIT_EXPECT_TRUE(test, mpt_wait_for_sleeper(pool));
	KUNIT_EXPECT_FALSE(test, completion_done(&w->done));

	freed = ktime_get();
	mempool_ext_free(held, pool);
	if (!mpt_join(test, run, 1, 30))
		return;

	/* it got the very element we freed, well before the timeout */
	kunit_info(test, "woken %lld us after the free (safety net: %u ms)\n",
		   ktime_us_delta(w->finished, freed),
		   jiffies_to_msecs(MEMPOOL_EXT_RETRY_TIMEOUT));
	KUNIT_EXPECT_PTR_EQ(test, w->elems[0], held);
	KUNIT_EXPECT_LT(test, (u64)ktime_to_ns(ktime_sub(w->finished, freed)),
			limit_ns);
	KUNIT_EXPECT_GE(test, mpt_stat(pool, waits), 1);
	KUNIT_EXPECT_GT(test, mpt_stat(pool, wait_ns), 0);

	mempool_ext_free(w->elems[0], pool);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	mempool_ext_destroy(pool);
	run->pool = NULL;
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.live), 0);
	mpt_run_free(run);
}

static void mempool_ext_concurrency_test_wakeup(struct kunit *test)
{
	mpt_wakeup(test, 1);
}

/* The same on a zero-minimum pool: mainline lost this wake-up in 2025. */
static void mempool_ext_concurrency_test_wakeup_zero_min(struct kunit *test)
{
	mpt_wakeup(test, 0);
}

/* A bulk waiter needs the whole batch: one free is not enough. */
static void mempool_ext_concurrency_test_bulk_waiter(struct kunit *test)
{
	u64 limit_ns = jiffies_to_nsecs(MEMPOOL_EXT_RETRY_TIMEOUT) / 5;
	struct mpt_run *run = mpt_run_new(test, 1, 2);
	struct mempool_ext *pool = run->pool;
	struct mpt_worker *w = &run->w[0];
	ktime_t freed;
	void *held[2];
	int i;

	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	for (i = 0; i < 2; i++) {
		held[i] = mempool_ext_alloc(pool, GFP_KERNEL);
		KUNIT_EXPECT_NOT_NULL(test, held[i]);
	}
	w->use_bulk = true;
	w->bulk = 2;
	if (mpt_start(test, run, mpt_waiter_fn, "mpt_bulk") != 1) {
		mempool_ext_free(held[0], pool);
		mempool_ext_free(held[1], pool);
		mpt_run_free(run);
		return;
	}
	KUNIT_EXPECT_TRUE(test, mpt_wait_for_sleeper(pool));
	mempool_ext_free(held[0], pool);
	/* woken, finds one element, goes back to sleep without taking it */
	msleep(100);
	KUNIT_EXPECT_FALSE(test, completion_done(&w->done));
	KUNIT_EXPECT_EQ(test, READ_ONCE(pool->curr_nr), 1);
	freed = ktime_get();
	mempool_ext_free(held[1], pool);
	if (!mpt_join(test, run, 1, 30))
		return;
	/* the second free completed the batch and woke it at once */
	KUNIT_EXPECT_LT(test, (u64)ktime_to_ns(ktime_sub(w->finished, freed)),
			limit_ns);
	KUNIT_EXPECT_NOT_NULL(test, w->elems[0]);
	KUNIT_EXPECT_NOT_NULL(test, w->elems[1]);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);
	KUNIT_EXPECT_EQ(test, mempool_ext_free_bulk(pool, w->elems, 2), 2U);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	mempool_ext_destroy(pool);
	run->pool = NULL;
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.live), 0);
	mpt_run_free(run);
}

/* Allocate, use and free, one element at a time (or a batch of two). */
static int mpt_stress_fn(void *data)
{
	struct mpt_worker *w = data;
	unsigned int i, j, n;
	void *element;

	for (i = 0; i < w->iterations; i++) {
		u32 r = get_random_u32_below(8);

		if (r == 0) {
			element = mempool_ext_alloc(w->pool, GFP_ATOMIC);
			if (!element) {
				w->atomic_failures++;
				continue;
			}
			memset(element, i, MPT_ELEM_SIZE);
			mempool_ext_free(element, w->pool);
		} else if (r == 1 && w->use_bulk) {
			w->elems[0] = NULL;
			w->elems[1] = NULL;
			mempool_ext_alloc_bulk(w->pool, w->elems, 2, 0);
			if (!w->elems[0] || !w->elems[1]) {
				w->bad_bulk++;
			} else {
				memset(w->elems[0], i, MPT_ELEM_SIZE);
				memset(w->elems[1], i, MPT_ELEM_SIZE);
			}
			n = mempool_ext_free_bulk(w->pool, w->elems, 2);
			for (j = n; j < 2; j++) {
				if (w->elems[j])
					mpt_free(w->elems[j], w->backing);
			}
		} else {
			element = mempool_ext_alloc(w->pool, GFP_KERNEL);
			if (!element) {
				w->null_sleeping++;
				continue;
			}
			memset(element, i, MPT_ELEM_SIZE);
			/* hold it a while now and then: others find the reserve empty */
			if (r >= 6)
				usleep_range(100, 500);
			else if (r & 1)
				cond_resched();
			mempool_ext_free(element, w->pool);
		}
		w->ops++;
	}
	w->finished = ktime_get();
	complete_all(&w->done);
	return 0;
}

static void mpt_expect_workers_ok(struct kunit *test, struct mpt_run *run,
				  int started, unsigned int iterations)
{
	int i;

	for (i = 0; i < started; i++) {
		KUNIT_EXPECT_EQ(test, run->w[i].null_sleeping, 0U);
		KUNIT_EXPECT_EQ(test, run->w[i].bad_bulk, 0U);
		KUNIT_EXPECT_EQ(test, run->w[i].ops + run->w[i].atomic_failures,
				iterations);
	}
}

/*
 * Every sleep was ended by a free, none by the safety-net timeout: a lost
 * wake-up would show up as a sleep of the full timeout.
 */
static void mpt_expect_no_lost_wakeup(struct kunit *test, struct mempool_ext *pool)
{
	KUNIT_EXPECT_LT(test, (u64)mpt_stat(pool, wait_max_ns),
			jiffies_to_nsecs(MEMPOOL_EXT_RETRY_TIMEOUT) / 2);
}

/*
 * Conservation: every element the backing handed out is in the reserve,
 * and destroy gives them all back.
 */
static void mpt_expect_conserved(struct kunit *test, struct mpt_run *run)
{
	struct mempool_ext *pool = run->pool;

	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.live), READ_ONCE(pool->curr_nr));
	KUNIT_EXPECT_LE(test, pool->curr_nr, max(1, pool->min_nr));
	mempool_ext_destroy(pool);
	run->pool = NULL;
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.live), 0);
}

/*
 * Start a bulk waiter for all @min_nr elements of a pool whose allocator
 * always fails and whose reserve is lent out to @held; returns false (the
 * case failed and cleaned up) if it does not get to sleep.
 */
static bool mpt_start_bulk_waiter(struct kunit *test, struct mpt_run *run,
				  void **held, int min_nr)
{
	struct mempool_ext *pool = run->pool;
	int i;

	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	for (i = 0; i < min_nr; i++) {
		held[i] = mempool_ext_alloc(pool, GFP_KERNEL);
		KUNIT_EXPECT_NOT_NULL(test, held[i]);
	}
	run->w[0].use_bulk = true;
	run->w[0].bulk = min_nr;
	if (mpt_start(test, run, mpt_waiter_fn, "mpt_bulk") != 1)
		goto err_free;
	if (mpt_wait_for_sleeper(pool))
		return true;
	KUNIT_FAIL(test, "the bulk waiter never slept");
	if (!mpt_join(test, run, 1, 30))
		return false;	/* leaks run: a thread may still use it */
	mempool_ext_free_bulk(pool, run->w[0].elems, min_nr);
err_free:
	for (i = 0; i < min_nr; i++)
		mempool_ext_free(held[i], pool);
	mpt_run_free(run);
	return false;
}

/*
 * The waiter did not finish in time: feed it through the allocator so
 * that it does (the case has already failed), or give up and leak.
 */
static bool mpt_rescue_waiter(struct kunit *test, struct mpt_run *run)
{
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(run->pool, MEMPOOL_EXT_FAULT_OFF, 0), 0);
	return mpt_join(test, run, 1, 30);
}

/*
 * A bulk allocation waiting for the whole reserve while a resize shrinks
 * it: it used to wait for ever, since frees refilled only the smaller
 * reserve and the waiter went on needing the larger one. The reserve is
 * now refilled to what the waiter needs, and shrinks once it is served.
 */
static void mempool_ext_concurrency_test_bulk_shrink(struct kunit *test)
{
	struct mpt_run *run = mpt_run_new(test, 1, 4);
	struct mempool_ext *pool = run->pool;
	struct mpt_worker *w = &run->w[0];
	void *held[4];
	int i;

	if (!mpt_start_bulk_waiter(test, run, held, 4))
		return;
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 1), 0);
	KUNIT_EXPECT_EQ(test, pool->min_nr, 1);
	/*
	 * The reserve stays sized for the waiter, so resize's refill puts
	 * one element (it tries at most new_min_nr times) from the
	 * allocator into it: three frees make the four the waiter needs.
	 */
	KUNIT_EXPECT_EQ(test, READ_ONCE(pool->curr_nr), 1);
	KUNIT_EXPECT_FALSE(test, completion_done(&w->done));
	for (i = 0; i < 3; i++)
		mempool_ext_free(held[i], pool);
	/*
	 * Join before the fourth free: freed while the woken waiter has not
	 * yet taken the reserve, it would go to the allocator, and after,
	 * into the reserve, a race this case must not depend on.
	 */
	if (!mpt_join(test, run, 1, 20) && !mpt_rescue_waiter(test, run))
		return;

	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NOT_NULL(test, w->elems[i]);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_calls), mpt_stat(pool, faults_injected));
	/* all four came from the reserve, which shrank back to one */
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);
	KUNIT_EXPECT_EQ(test, pool->target, 1);
	mempool_ext_free(held[3], pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	for (i = 0; i < 4; i++)
		mempool_ext_free(w->elems[i], pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.live), 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

/*
 * The same, but the waiter is served by the allocator while the reserve
 * is being refilled for it: the elements it no longer needs are trimmed
 * to the new size when it returns.
 */
static void mempool_ext_concurrency_test_bulk_shrink_trim(struct kunit *test)
{
	struct mpt_run *run = mpt_run_new(test, 1, 4);
	struct mempool_ext *pool = run->pool;
	struct mpt_worker *w = &run->w[0];
	void *held[4];
	int i;

	if (!mpt_start_bulk_waiter(test, run, held, 4))
		return;
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(pool, 1), 0);
	mempool_ext_free(held[0], pool);
	mempool_ext_free(held[1], pool);
	/* the allocator recovers; the next free wakes the waiter */
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_OFF, 0), 0);
	mempool_ext_free(held[2], pool);
	if (!mpt_join(test, run, 1, 20))
		return;
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_NOT_NULL(test, w->elems[i]);
	KUNIT_EXPECT_EQ(test, pool->min_nr, 1);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	mempool_ext_free(held[3], pool);
	for (i = 0; i < 4; i++)
		mempool_ext_free(w->elems[i], pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

static void mempool_ext_concurrency_test_resize_under_load(struct kunit *test)
{
	static const int sizes[] = { 1, 8, 2, 16, 1, 4, 3 };
	const unsigned int iterations = 300;
	struct mpt_run *run = mpt_run_new(test, 2 * num_online_cpus(), 4);
	int started, i, resizes = 0;
	bool running = true;

	run->backing.fail_pct = 30;
	for (i = 0; i < run->nr; i++)
		run->w[i].iterations = iterations;
	started = mpt_start(test, run, mpt_stress_fn, "mpt_resize");
	while (running) {
		KUNIT_EXPECT_EQ(test, mempool_ext_resize(run->pool,
							 sizes[resizes % ARRAY_SIZE(sizes)]), 0);
		resizes++;
		usleep_range(500, 2000);
		running = false;
		for (i = 0; i < started; i++)
			running |= !completion_done(&run->w[i].done);
	}
	if (!mpt_join(test, run, started, 60))
		return;
	KUNIT_EXPECT_EQ(test, started, run->nr);
	KUNIT_EXPECT_GE(test, resizes, 2);
	kunit_info(test, "%d resizes under %d threads\n", resizes, started);
	mpt_expect_workers_ok(test, run, started, iterations);

	/* a last resize settles the reserve at its final size */
	run->backing.fail_pct = 0;
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(run->pool, 5), 0);
	KUNIT_EXPECT_EQ(test, run->pool->curr_nr, 5);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

/*
 * Forward progress: three threads per CPU on a two-element reserve while
 * the allocator fails about two calls in three. Every sleeping allocation succeeds,
 * every thread finishes within the bound, nothing is lost.
 */
static void mempool_ext_concurrency_test_forward_progress(struct kunit *test)
{
	const unsigned int iterations = 600;
	struct mpt_run *run = mpt_run_new(test, 3 * num_online_cpus(), 2);
	struct mempool_ext *pool = run->pool;
	ktime_t start = ktime_get();
	int started, i;
	long hits;

	/* real failures of the backing, plus injected ones */
	run->backing.fail_pct = 50;
	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_PROBABILITY, 30), 0);
	for (i = 0; i < run->nr; i++) {
		run->w[i].iterations = iterations;
		run->w[i].use_bulk = true;
	}
	started = mpt_start(test, run, mpt_stress_fn, "mpt_stress");
	KUNIT_EXPECT_EQ(test, started, run->nr);
	if (!mpt_join(test, run, started, 60))
		return;
	mpt_expect_workers_ok(test, run, started, iterations);

	hits = mpt_stat(pool, reserve_hits);
	kunit_info(test, "%d threads x %u ops in %lld ms: %ld reserve hits, %lld waits, %lld allocator failures\n",
		   started, iterations, ktime_ms_delta(ktime_get(), start), hits,
		   mpt_stat(pool, waits), mpt_stat(pool, alloc_failures));
	/* the allocator failed most of the time: the reserve carried the load */
	KUNIT_EXPECT_GT(test, hits, 0);
	KUNIT_EXPECT_GT(test, mpt_stat(pool, alloc_failures), 0);
	mpt_expect_no_lost_wakeup(test, pool);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

/*
 * The allocator never succeeds and the reserve holds one element: the
 * threads can only progress by handing it on through free and the wait
 * queue, so every allocation but the uncontended ones waits.
 */
static void mempool_ext_concurrency_test_reserve_only(struct kunit *test)
{
	const unsigned int iterations = 200;
	struct mpt_run *run = mpt_run_new(test, 2 * num_online_cpus(), 1);
	struct mempool_ext *pool = run->pool;
	int started, i;

	KUNIT_EXPECT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	for (i = 0; i < run->nr; i++)
		run->w[i].iterations = iterations;
	started = mpt_start(test, run, mpt_stress_fn, "mpt_handoff");
	KUNIT_EXPECT_EQ(test, started, run->nr);
	if (!mpt_join(test, run, started, 60))
		return;
	mpt_expect_workers_ok(test, run, started, iterations);
	kunit_info(test, "%d threads: %lld reserve hits, %lld waits, longest %lld us\n",
		   started, mpt_stat(pool, reserve_hits),
		   mpt_stat(pool, waits),
		   mpt_stat(pool, wait_max_ns) / NSEC_PER_USEC);
	/* one element served everybody, and they had to queue for it */
	KUNIT_EXPECT_EQ(test, atomic_read(&run->backing.allocs), 1);
	KUNIT_EXPECT_GT(test, mpt_stat(pool, waits), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_calls),
			mpt_stat(pool, faults_injected));
	mpt_expect_no_lost_wakeup(test, pool);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

/*
 * Allocate and free as fast as possible, GFP_ATOMIC so nobody sleeps: the
 * lockless paths (the fast allocation, the free's look at the reserve,
 * is_saturated()) then run on every CPU at once, against the reserve
 * changing under the lock. The sleeping cases above leave the CPUs idle
 * most of the time, so this is the case in which KCSAN (make kcsan-check)
 * can see a race on those paths.
 */
static int mpt_tight_fn(void *data)
{
	struct mpt_worker *w = data;
	unsigned int i;
	void *element;

	for (i = 0; i < w->iterations; i++) {
		if (!(i % 256))
			cond_resched();
		element = mempool_ext_alloc(w->pool, GFP_ATOMIC);
		if (!element) {
			w->atomic_failures++;
			continue;
		}
		*(u8 *)element = i;
		/* A lockless look at the reserve, as a driver may take one. */
		(void)mempool_ext_is_saturated(w->pool);
		mempool_ext_free(element, w->pool);
		w->ops++;
	}
	complete_all(&w->done);
	return 0;
}

/*
 * Two threads per CPU in tight loops on a four-element reserve, the
 * allocator failing half the calls, while this thread reads the
 * statistics and resizes the reserve. Every call is accounted for and no
 * element is lost.
 */
static void mempool_ext_concurrency_test_lockless(struct kunit *test)
{
	static const int sizes[] = { 2, 6, 4, 1, 8 };
	/*
	 * KCSAN samples one access in thousands: give it many rounds. On
	 * other kernels a few thousand show that nothing is lost.
	 */
	const unsigned int iterations = IS_ENABLED(CONFIG_KCSAN) ? 20000 : 2000;
	struct mpt_run *run = mpt_run_new(test, 2 * num_online_cpus(), 4);
	struct mempool_ext_stats st;
	int started, i, rounds = 0;
	bool running = true;

	run->backing.fail_pct = 50;
	for (i = 0; i < run->nr; i++)
		run->w[i].iterations = iterations;
	started = mpt_start(test, run, mpt_tight_fn, "mpt_tight");
	while (running) {
		KUNIT_EXPECT_EQ(test, mempool_ext_get_stats(run->pool, &st), 0);
		KUNIT_EXPECT_EQ(test, mempool_ext_resize(run->pool,
							 sizes[rounds % ARRAY_SIZE(sizes)]), 0);
		rounds++;
		cond_resched();
		running = false;
		for (i = 0; i < started; i++)
			running |= !completion_done(&run->w[i].done);
	}
	if (!mpt_join(test, run, started, 60))
		return;
	KUNIT_EXPECT_EQ(test, started, run->nr);
	mpt_expect_workers_ok(test, run, started, iterations);
	kunit_info(test, "%d threads x %u ops, %d resizes: %lld reserve hits, %lld allocator failures\n",
		   started, iterations, rounds, mpt_stat(run->pool, reserve_hits),
		   mpt_stat(run->pool, alloc_failures));
	/* the allocator failed half the time: the reserve was used */
	KUNIT_EXPECT_GT(test, mpt_stat(run->pool, reserve_hits), 0);

	run->backing.fail_pct = 0;
	KUNIT_EXPECT_EQ(test, mempool_ext_resize(run->pool, 4), 0);
	KUNIT_EXPECT_EQ(test, run->pool->curr_nr, 4);
	mpt_expect_conserved(test, run);
	mpt_run_free(run);
}

static struct kunit_case mempool_ext_concurrency_test_cases[] = {
	KUNIT_CASE_SLOW(mempool_ext_concurrency_test_lockless),
	KUNIT_CASE(mempool_ext_concurrency_test_wakeup),
	KUNIT_CASE(mempool_ext_concurrency_test_wakeup_zero_min),
	KUNIT_CASE(mempool_ext_concurrency_test_bulk_waiter),
	KUNIT_CASE(mempool_ext_concurrency_test_bulk_shrink),
	KUNIT_CASE(mempool_ext_concurrency_test_bulk_shrink_trim),
	KUNIT_CASE_SLOW(mempool_ext_concurrency_test_resize_under_load),
	KUNIT_CASE_SLOW(mempool_ext_concurrency_test_forward_progress),
	KUNIT_CASE_SLOW(mempool_ext_concurrency_test_reserve_only),
	{}
};

static struct kunit_suite mempool_ext_concurrency_test_suite = {
	.name = "mempool_ext_concurrency",
	.test_cases = mempool_ext_concurrency_test_cases,
};

/* -------------------------------------------------------------- debug */

static struct mempool_ext *mpt_debug_kmalloc_pool(struct kunit *test, int min_nr)
{
	struct mempool_ext *pool = mempool_ext_create_kmalloc_pool(min_nr, MPT_ELEM_SIZE);

	mpt_manage(test, pool);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(pool, true), 0);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	return pool;
}

/* The module parameter decides for pools created after it is set. */
static void mempool_ext_debug_test_module_param(struct kunit *test)
{
	const char *param = "/sys/module/mempool_ext/parameters/debug";
	struct mempool_ext *pool;
	char buf[8];

	if (pool_ext_read_debugfs(test, param, buf, sizeof(buf)) < 0)
		kunit_skip(test, "%s not readable", param);
	KUNIT_ASSERT_EQ(test, mpt_write_file(param, "Y"), 1);
	pool = mempool_ext_create_kmalloc_pool(2, MPT_ELEM_SIZE);
	KUNIT_EXPECT_EQ(test, mpt_write_file(param, "N"), 1);
	mpt_manage(test, pool);
	KUNIT_EXPECT_TRUE(test, test_bit(MEMPOOL_EXT_F_DEBUG, &pool->flags));
	/* reserve elements are poisoned */
	KUNIT_EXPECT_EQ(test, ((u8 *)pool->elements[0])[0], 0x6b);
	KUNIT_EXPECT_EQ(test, ((u8 *)pool->elements[0])[MPT_ELEM_SIZE - 1], 0xa5);
	mpt_destroy(test, pool);

	pool = mempool_ext_create_kmalloc_pool(2, MPT_ELEM_SIZE);
	mpt_manage(test, pool);
	KUNIT_EXPECT_FALSE(test, test_bit(MEMPOOL_EXT_F_DEBUG, &pool->flags));
	mpt_destroy(test, pool);
}

/* A write into an element while it sits in the reserve. */
static void mempool_ext_debug_test_use_after_free(struct kunit *test)
{
	struct mempool_ext *pool = mpt_debug_kmalloc_pool(test, 1);
	u8 *element, *again;

	element = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, element);
	/* handed out filled with POISON_INUSE */
	KUNIT_EXPECT_EQ(test, element[0], 0x5a);
	mempool_ext_free(element, pool);
	KUNIT_ASSERT_EQ(test, pool->curr_nr, 1);

	element[10] = 0x42;	/* the bug: the element was freed */
	POOL_EXT_EXPECT_WARN_BEGIN("use-after-free");
	again = mempool_ext_alloc(pool, GFP_KERNEL);
	POOL_EXT_EXPECT_WARN_END("use-after-free");
	/* reported, and the pool carried on */
	KUNIT_EXPECT_PTR_EQ(test, again, element);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 1);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 0);
	mempool_ext_free(again, pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	/* the next round is clean again */
	again = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 1);
	mempool_ext_free(again, pool);
	mpt_destroy(test, pool);
}

/* Corrupted poison (last byte) found when the pool is torn down. */
static void mempool_ext_debug_test_corrupt_at_exit(struct kunit *test)
{
	struct kmem_cache *cache;
	struct mempool_ext *pool;
	u8 *element;

	cache = kmem_cache_create("mempool_ext_test_poison", 80, 0, 0, NULL);
	KUNIT_ASSERT_NOT_NULL(test, cache);
	pool = mempool_ext_create_slab_pool(2, cache);
	mpt_manage(test, pool);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(pool, true), 0);
	element = mempool_ext_alloc_preallocated(pool);
	KUNIT_ASSERT_NOT_NULL(test, element);
	mempool_ext_free(element, pool);
	element[kmem_cache_size(cache) - 1] = 0;	/* overwrites POISON_END */

	POOL_EXT_EXPECT_WARN_BEGIN("found by exit");
	mpt_destroy(test, pool);
	POOL_EXT_EXPECT_WARN_END("found by exit");
	kmem_cache_destroy(cache);
}

/* Page blocks are checked page by page, any page of the block. */
static void mempool_ext_debug_test_page_poison(struct kunit *test)
{
	struct mempool_ext *pool = mempool_ext_create_page_pool(1, 1);
	struct page *page, *again;

	mpt_manage(test, pool);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(pool, true), 0);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	page = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	mempool_ext_free(page, pool);
	((u8 *)page_address(page + 1))[100] = 0;

	POOL_EXT_EXPECT_WARN_BEGIN("poison corrupted");
	again = mempool_ext_alloc(pool, GFP_ATOMIC);
	POOL_EXT_EXPECT_WARN_END("poison corrupted");
	KUNIT_EXPECT_PTR_EQ(test, again, page);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 1);
	mempool_ext_free(again, pool);
	mpt_destroy(test, pool);
}

/* A second free of an element the reserve already holds. */
static void mempool_ext_debug_test_double_free(struct kunit *test)
{
	struct mempool_ext *pool = mpt_debug_kmalloc_pool(test, 2);
	void *a, *c;

	a = mempool_ext_alloc(pool, GFP_KERNEL);
	c = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, c);
	mempool_ext_free(a, pool);
	POOL_EXT_EXPECT_WARN_BEGIN("double free");
	mempool_ext_free(a, pool);
	POOL_EXT_EXPECT_WARN_END("double free");
	/* ignored: the reserve holds it once, c is still outstanding */
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 1);

	mempool_ext_free(c, pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	/* with the reserve full it would have gone to kfree() a second time */
	mempool_ext_free(c, pool);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	/* and everything is still usable */
	a = mempool_ext_alloc(pool, GFP_KERNEL);
	c = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_NOT_NULL(test, a);
	KUNIT_EXPECT_NOT_NULL(test, c);
	KUNIT_EXPECT_PTR_NE(test, a, c);
	mempool_ext_free(a, pool);
	mempool_ext_free(c, pool);
	mpt_destroy(test, pool);
}

static void mempool_ext_debug_test_double_free_bulk(struct kunit *test)
{
	struct mempool_ext *pool = mpt_debug_kmalloc_pool(test, 2);
	void *elems[3] = { NULL };

	KUNIT_ASSERT_EQ(test, mempool_ext_alloc_bulk(pool, elems, 2, 0), 0);
	elems[2] = elems[0];
	POOL_EXT_EXPECT_WARN_BEGIN("double free");
	KUNIT_EXPECT_EQ(test, mempool_ext_free_bulk(pool, elems, 3), 3U);
	POOL_EXT_EXPECT_WARN_END("double free");
	KUNIT_EXPECT_NULL(test, elems[2]);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 1);
	mpt_destroy(test, pool);
}

/* Any pool gets the double-free check, poisoning needs a helper pool. */
static void mempool_ext_debug_test_custom_pool(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 1, b);
	void *a;

	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(pool, true), 0);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS, 0), 0);
	a = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, a);
	memset(a, 0x77, MPT_ELEM_SIZE);
	mempool_ext_free(a, pool);
	/* no poisoning: the pool cannot know the size */
	KUNIT_EXPECT_EQ(test, ((u8 *)a)[0], 0x77);
	POOL_EXT_EXPECT_WARN_BEGIN("double free");
	mempool_ext_free(a, pool);
	POOL_EXT_EXPECT_WARN_END("double free");
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 1);
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 1);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

/*
 * A pointer the pool never handed out, freed into it with the checks on:
 * refused with a warning (once per pool), never given to the backing free
 * function or put in the reserve, and the outstanding count stays exact.
 */
static void mempool_ext_debug_test_foreign_free(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 2, b);
	void *mine, *foreign, *elems[2];
	int i;

	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(pool, true), 0);
	mine = mempool_ext_alloc(pool, GFP_KERNEL);	/* from the allocator */
	KUNIT_ASSERT_NOT_NULL(test, mine);
	foreign = kmalloc(MPT_ELEM_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, foreign);
	KUNIT_ASSERT_EQ(test, atomic_read(&b->live), 3);

	POOL_EXT_EXPECT_WARN_BEGIN("did not hand out");
	mempool_ext_free(foreign, pool);
	POOL_EXT_EXPECT_WARN_END("did not hand out");
	if (atomic_read(&b->live) != 3) {
		/* the pool gave it to mpt_free(): it is gone, stop here */
		KUNIT_FAIL(test, "foreign pointer accepted and freed");
		mempool_ext_free(mine, pool);
		mpt_destroy(test, pool);
		return;
	}
	KUNIT_EXPECT_EQ(test, pool->curr_nr, 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 1);

	/* every time, silently after the first: the count never drifts */
	for (i = 0; i < 1130; i++)
		mempool_ext_free(foreign, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 3);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 1);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 1131);

	/* in a bulk free its slot is cleared: the caller must not free it */
	elems[0] = mine;
	elems[1] = foreign;
	KUNIT_EXPECT_EQ(test, mempool_ext_free_bulk(pool, elems, 2), 0U);
	KUNIT_EXPECT_PTR_EQ(test, elems[0], mine);	/* the reserve is full */
	KUNIT_EXPECT_NULL(test, elems[1]);
	mpt_free(mine, b);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 1132);

	/* and a free of an element that already went back is refused too */
	mine = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mine);
	mempool_ext_free(mine, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 2);
	mempool_ext_free(mine, pool);	/* not dereferenced: a custom pool */
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 2);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 1133);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);

	kfree(foreign);
	mpt_destroy(test, pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 0);
}

/*
 * Elements handed out before the checks were turned on are not known to
 * them: the pool accepts as many unknown frees as it had elements out at
 * that moment (no false alarm), then refuses unknown pointers again.
 */
static void mempool_ext_debug_test_foreign_after_enable(struct kunit *test)
{
	struct mpt_backing *b = mpt_backing_new(test);
	struct mempool_ext *pool = mpt_create(test, 1, b);
	void *early[2], *late, *foreign;

	early[0] = mempool_ext_alloc(pool, GFP_KERNEL);
	early[1] = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, early[0]);
	KUNIT_ASSERT_NOT_NULL(test, early[1]);
	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(pool, true), 0);
	late = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, late);
	foreign = kmalloc(MPT_ELEM_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, foreign);

	mempool_ext_free(early[0], pool);
	mempool_ext_free(late, pool);
	mempool_ext_free(early[1], pool);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 0);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, outstanding), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&b->live), 1);

	POOL_EXT_EXPECT_WARN_BEGIN("did not hand out");
	mempool_ext_free(foreign, pool);
	POOL_EXT_EXPECT_WARN_END("did not hand out");
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 1);
	if (atomic_read(&b->live) == 1)
		kfree(foreign);
	else
		KUNIT_FAIL(test, "foreign pointer accepted and freed");
	mpt_destroy(test, pool);
}

/* With the checks off nothing is poisoned and nothing reported. */
static void mempool_ext_debug_test_off(struct kunit *test)
{
	struct mempool_ext *pool = mpt_debug_kmalloc_pool(test, 1);
	u8 *element;

	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(pool, false), 0);
	element = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, element);
	memset(element, 0x11, MPT_ELEM_SIZE);
	mempool_ext_free(element, pool);
	KUNIT_EXPECT_EQ(test, element[0], 0x11);
	element[0] = 0x22;
	element = mempool_ext_alloc(pool, GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, element[0], 0x22);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, debug_reports), 0);
	mempool_ext_free(element, pool);
	/* turning them on poisons what the reserve holds now */
	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(pool, true), 0);
	KUNIT_EXPECT_EQ(test, ((u8 *)pool->elements[0])[0], 0x6b);
	mpt_destroy(test, pool);
}

static struct kunit_case mempool_ext_debug_test_cases[] = {
	KUNIT_CASE(mempool_ext_debug_test_module_param),
	KUNIT_CASE(mempool_ext_debug_test_use_after_free),
	KUNIT_CASE(mempool_ext_debug_test_corrupt_at_exit),
	KUNIT_CASE(mempool_ext_debug_test_page_poison),
	KUNIT_CASE(mempool_ext_debug_test_double_free),
	KUNIT_CASE(mempool_ext_debug_test_double_free_bulk),
	KUNIT_CASE(mempool_ext_debug_test_custom_pool),
	KUNIT_CASE(mempool_ext_debug_test_foreign_free),
	KUNIT_CASE(mempool_ext_debug_test_foreign_after_enable),
	KUNIT_CASE(mempool_ext_debug_test_off),
	{}
};

static struct kunit_suite mempool_ext_debug_test_suite = {
	.name = "mempool_ext_debug",
	.test_cases = mempool_ext_debug_test_cases,
};

kunit_test_suites(&mempool_ext_test_suite, &mempool_ext_helpers_test_suite,
		  &mempool_ext_concurrency_test_suite, &mempool_ext_debug_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for mempool_ext");
