// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for mempool_ext, part of mempool_ext_test.ko (the file
 * list is in mempool_ext_test.h): the suite mempool_ext_debug.
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

/*
 * The leakers of the next test: out of line, with work after the call (no
 * tail call), so that each is the caller the pool records. Their bodies
 * differ (the gfp mask): gcc folds identical functions into one symbol
 * (-fipa-icf), and two identical leakers were reported as one caller.
 */
static noinline void mpt_leak_xmit(struct mempool_ext *pool, void **elem)
{
	*elem = mempool_ext_alloc(pool, GFP_KERNEL);
}

static noinline void mpt_leak_rx(struct mempool_ext *pool, void **elem)
{
	*elem = mempool_ext_alloc(pool, GFP_NOIO);
}

/*
 * With the debug checks on, the elements out are listed by caller in
 * debugfs ("leaks"), and an exit with elements out prints the same lines
 * after its warning, once.
 */
static void mempool_ext_debug_test_leak_callers(struct kunit *test)
{
	struct mempool_ext *pool = mempool_ext_create_kmalloc_pool(2, 64);
	struct mpt_kmsg *kmsg = mpt_kmsg_open(test);
	char path[96], *buf, *xmit, *rx, want[96];
	const char *log;
	void *e[5];
	ssize_t n;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	if (IS_ERR(kmsg)) {
		mempool_ext_destroy(pool);
		kunit_skip(test, "cannot read /dev/kmsg (%ld)", PTR_ERR(kmsg));
	}
	KUNIT_ASSERT_EQ(test, mempool_ext_set_debug(pool, true), 0);
	buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 3; i++)
		mpt_leak_xmit(pool, &e[i]);
	mpt_leak_rx(pool, &e[3]);
	/* Handed back: must not be listed. */
	mpt_leak_rx(pool, &e[4]);
	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_NOT_NULL(test, e[i]);
	mempool_ext_free(e[4], pool);

	snprintf(path, sizeof(path), "/sys/kernel/debug/mempool_ext/%s/leaks",
		 pool->name);
	n = pool_ext_read_debugfs(test, path, buf, 1024);
	if (n >= 0) {
		xmit = strstr(buf, "3 elements (192 bytes) from mpt_leak_xmit+0x");
		rx = strstr(buf, "1 elements (64 bytes) from mpt_leak_rx+0x");
		KUNIT_EXPECT_NOT_NULL_MSG(test, xmit, "%s", buf);
		KUNIT_EXPECT_NOT_NULL_MSG(test, rx, "%s", buf);
		KUNIT_EXPECT_TRUE(test, xmit && rx && xmit < rx);
		KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "total: 4 elements (256 bytes)\n"));
	}
	snprintf(want, sizeof(want), "pool %s: 3 elements (192 bytes) from mpt_leak_xmit+0x",
		 pool->name);
	POOL_EXT_EXPECT_WARN_BEGIN("destroyed with 4 element(s) outstanding");
	mempool_ext_destroy(pool);
	POOL_EXT_EXPECT_WARN_END("destroyed with 4 element(s) outstanding");
	log = mpt_kmsg_read(kmsg);
	KUNIT_EXPECT_EQ_MSG(test, mpt_count(log, want), 1, "%s", log);
	KUNIT_EXPECT_EQ(test, mpt_count(log, " 1 elements (64 bytes) from mpt_leak_rx+0x"), 1);
	for (i = 0; i < 4; i++)
		kfree(e[i]);
	if (n < 0)
		kunit_skip(test, "cannot read %s (%zd)", path, n);
}

static struct kunit_case mempool_ext_debug_test_cases[] = {
	KUNIT_CASE(mempool_ext_debug_test_leak_callers),
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

kunit_test_suites(&mempool_ext_debug_test_suite);
