// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for mempool_ext, part of mempool_ext_test.ko (the file
 * list is in mempool_ext_test.h): the suite mempool_ext_helpers.
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

kunit_test_suites(&mempool_ext_helpers_test_suite);
