// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for mempool_ext, part of mempool_ext_test.ko (the file
 * list is in mempool_ext_test.h): the suite mempool_ext (the API), and the
 * helpers the other files share.
 */
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <mempool_ext/mempool_ext.h>

#include "mempool_ext_test.h"

void *mpt_alloc(gfp_t gfp_mask, void *pool_data)
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

void mpt_free(void *element, void *pool_data)
{
	struct mpt_backing *b = pool_data;

	kfree(element);
	atomic_dec(&b->live);
}

struct mpt_backing *mpt_backing_new(struct kunit *test)
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
void mpt_manage(struct kunit *test, struct mempool_ext *pool)
{
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, mpt_destroy_action,
							pool), 0);
}

/* Destroy a pool from mpt_manage() now, for checks that need it gone. */
void mpt_destroy(struct kunit *test, struct mempool_ext *pool)
{
	kunit_release_action(test, mpt_destroy_action, pool);
}

struct mempool_ext *mpt_create(struct kunit *test, int min_nr,
			       struct mpt_backing *b)
{
	struct mempool_ext *pool;

	pool = mempool_ext_create(min_nr, mpt_alloc, mpt_free, b);
	mpt_manage(test, pool);
	return pool;
}

/* The reader, or an ERR_PTR() if the log cannot be read (then skip). */
struct mpt_kmsg *mpt_kmsg_open(struct kunit *test)
{
	struct mpt_kmsg *k = kunit_kzalloc(test, sizeof(*k), GFP_KERNEL);

	if (!k)
		return ERR_PTR(-ENOMEM);
	k->text = kunit_kzalloc(test, MPT_KMSG_LEN, GFP_KERNEL);
	if (!k->text)
		return ERR_PTR(-ENOMEM);
	/* Everything up to now is history: start after the newest record. */
	kmsg_dump_rewind(&k->iter);
	k->iter.cur_seq = k->iter.next_seq;
	return k;
}

/* Everything printed since the last read, in k->text (truncated to fit). */
const char *mpt_kmsg_read(struct mpt_kmsg *k)
{
	size_t len = 0, n;
	char rec[256];

	k->text[0] = '\0';
	/* One record a call; records overwritten meanwhile are skipped. */
	while (kmsg_dump_get_line(&k->iter, false, rec, sizeof(rec) - 1, &n)) {
		rec[n] = '\0';
		if (strscpy(k->text + len, rec, MPT_KMSG_LEN - len) < 0)
			break;		/* full: keep what fitted */
		len += n;
	}
	return k->text;
}

/* How many times @needle occurs in @text. */
int mpt_count(const char *text, const char *needle)
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
	/*
	 * Exactly one injected fault per allocation: "always" is decided
	 * inline on the allocation path, and every decision must still be
	 * counted as a call, a failure and an injected fault.
	 */
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, faults_injected), 4);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_calls), 4);
	KUNIT_EXPECT_EQ(test, mpt_stat(pool, alloc_failures), 4);

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
ssize_t mpt_write_file(const char *path, const char *text)
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

kunit_test_suites(&mempool_ext_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for mempool_ext");
