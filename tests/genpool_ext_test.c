// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for genpool_ext.
 *
 * Suites:
 *   genpool_ext         every exported function and algorithm, edge cases
 *   genpool_ext_misuse  every misuse: an expected warning, then proof that
 *                       the pool is unchanged and still works
 *   genpool_ext_diff    differential runs against the in-kernel gen_pool
 *   genpool_ext_model   random operations checked against a naive model
 *   genpool_ext_index   the index skips full regions (operation counts)
 *   genpool_ext_stress  kthreads on every CPU and a hardirq timer sharing
 *                       one pool, stamping and checking their blocks
 *
 * Most pools here manage made-up address ranges: the allocator never
 * touches the memory it manages, so only the tests that write to blocks
 * (zalloc, stress) use real memory.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/dcache.h>
#include <linux/genalloc.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <genpool_ext/genpool_ext.h>
/* White-box parts (index layout) use the module's internal constants. */
#include <genpool_ext/internal.h>
#include <genpool_ext/index.h>

#include "pool_ext_test.h"

#define FAKE_BASE	0x40000000UL

/* Free what a test left allocated, then destroy the pool. */
static void gpt_destroy_action(void *data)
{
	struct genpool_ext *pool = data;
	struct genpool_ext_chunk *chunk;
	unsigned long b, e;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		unsigned long nbits = (chunk->end_addr - chunk->start_addr + 1) >>
				      pool->min_alloc_order;

		for (e = 0; (b = find_next_bit(chunk->bits, nbits, e)) < nbits;) {
			e = find_next_zero_bit(chunk->bits, nbits, b);
			genpool_ext_free(pool, chunk->start_addr +
					 (b << pool->min_alloc_order),
					 (e - b) << pool->min_alloc_order);
		}
	}
	rcu_read_unlock();
	genpool_ext_destroy(pool);
}

/* A pool destroyed when the test ends, with one chunk of @units units. */
static struct genpool_ext *gpt_pool(struct kunit *test, int order,
				    unsigned long base, unsigned long units)
{
	struct genpool_ext *pool = genpool_ext_create(order, NUMA_NO_NODE);

	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   gpt_destroy_action,
							   pool));
	if (units)
		KUNIT_ASSERT_EQ(test, 0, genpool_ext_add(pool, base,
							 units << order,
							 NUMA_NO_NODE));
	return pool;
}

static unsigned long gpt_misuse(struct genpool_ext *pool)
{
	struct genpool_ext_stats st;

	genpool_ext_get_stats(pool, &st);
	return st.misuse;
}

/* ---------------------------------------------------------------------
 * genpool_ext: the API
 */

static void genpool_ext_test_create_order(struct kunit *test)
{
	struct genpool_ext *pool;

	KUNIT_EXPECT_NULL(test, genpool_ext_create(-1, NUMA_NO_NODE));
	KUNIT_EXPECT_NULL(test, genpool_ext_create(BITS_PER_LONG,
						   NUMA_NO_NODE));
	pool = genpool_ext_create(0, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_EXPECT_EQ(test, pool->min_alloc_order, 0);
	KUNIT_EXPECT_TRUE(test, pool->algo == genpool_ext_first_fit);
	KUNIT_EXPECT_EQ(test, genpool_ext_size(pool), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 1), 0);
	genpool_ext_destroy(pool);
	pool = genpool_ext_create(BITS_PER_LONG - 1, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	genpool_ext_destroy(pool);
	genpool_ext_destroy(NULL);
}

static void genpool_ext_test_add(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 5, 0, 0);
	unsigned long a, b, c;

	KUNIT_EXPECT_EQ(test, genpool_ext_add(NULL, FAKE_BASE, 4096, -1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, genpool_ext_add(pool, FAKE_BASE, 0, -1), -EINVAL);
	/* Smaller than one 32-byte unit. */
	KUNIT_EXPECT_EQ(test, genpool_ext_add(pool, FAKE_BASE, 31, -1),
			-EINVAL);
	/* Wraps around the address space. */
	KUNIT_EXPECT_EQ(test, genpool_ext_add(pool, ULONG_MAX - 100, 4096, -1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, genpool_ext_size(pool), 0);

	/* 100 bytes: three whole units plus a 4-byte tail, as in the kernel. */
	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE, 100, -1), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_size(pool), 100);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 100);
	/* Overlaps the chunk just added. */
	KUNIT_EXPECT_EQ(test, genpool_ext_add(pool, FAKE_BASE + 96, 64, -1),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, genpool_ext_add(pool, FAKE_BASE - 32, 64, -1),
			-EINVAL);
	a = genpool_ext_alloc(pool, 32);
	b = genpool_ext_alloc(pool, 32);
	c = genpool_ext_alloc(pool, 32);
	KUNIT_EXPECT_EQ(test, a, FAKE_BASE);
	KUNIT_EXPECT_EQ(test, b, FAKE_BASE + 32);
	/* The last whole unit of the chunk. */
	KUNIT_EXPECT_EQ(test, c, FAKE_BASE + 64);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 1), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 4);
	genpool_ext_free(pool, b, 32);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 20), b);
	genpool_ext_free(pool, a, 32);
	genpool_ext_free(pool, b, 20);
	genpool_ext_free(pool, c, 32);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 100);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
}

static void genpool_ext_test_alloc_rounding(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 6, FAKE_BASE, 64);
	unsigned long a, b;

	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 0), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(NULL, 64), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, ULONG_MAX), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, ULONG_MAX - 62), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 65 * 64), 0);
	a = genpool_ext_alloc(pool, 1);
	b = genpool_ext_alloc(pool, 65);
	KUNIT_EXPECT_EQ(test, a, FAKE_BASE);
	KUNIT_EXPECT_EQ(test, b, FAKE_BASE + 64);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 61 * 64);
	/* The rest of the chunk exactly. */
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 61 * 64),
			FAKE_BASE + 3 * 64);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 1), 0);
	genpool_ext_free(pool, FAKE_BASE + 3 * 64, 61 * 64);
	genpool_ext_free(pool, b, 65);
	genpool_ext_free(pool, a, 1);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 64 * 64);
}

static void genpool_ext_test_multi_chunk_owner(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 4, 0, 0);
	int owner_a, owner_b;
	void *owner = &owner_a;
	unsigned long x, y;

	KUNIT_ASSERT_EQ(test, genpool_ext_add_owner(pool, FAKE_BASE, -1, 256,
						    -1, &owner_a), 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add_owner(pool, FAKE_BASE + 0x10000,
						    -1, 128, -1, &owner_b), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_size(pool), 384);
	/* The newest chunk is searched first, as in the kernel. */
	x = genpool_ext_alloc_owner(pool, 64, &owner);
	KUNIT_EXPECT_EQ(test, x, FAKE_BASE + 0x10000);
	KUNIT_EXPECT_PTR_EQ(test, owner, (void *)&owner_b);
	/* Too big for the newest chunk: the older one. */
	y = genpool_ext_alloc_owner(pool, 100, &owner);
	KUNIT_EXPECT_EQ(test, y, FAKE_BASE);
	KUNIT_EXPECT_PTR_EQ(test, owner, (void *)&owner_a);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_owner(pool, 1000, &owner), 0);
	KUNIT_EXPECT_NULL(test, owner);
	genpool_ext_free_owner(pool, y, 100, &owner);
	KUNIT_EXPECT_PTR_EQ(test, owner, (void *)&owner_a);
	genpool_ext_free_owner(pool, x, 64, &owner);
	KUNIT_EXPECT_PTR_EQ(test, owner, (void *)&owner_b);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 384);
	/* An alloc/free without an owner pointer. */
	x = genpool_ext_alloc_algo(pool, 16, genpool_ext_best_fit, NULL);
	KUNIT_EXPECT_NE(test, x, 0);
	genpool_ext_free(pool, x, 16);
}

static void genpool_ext_test_phys(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 3, 0, 0);
	phys_addr_t phys = 0x80000000;
	dma_addr_t dma = 0;
	void *v;

	KUNIT_ASSERT_EQ(test, genpool_ext_add_virt(pool, FAKE_BASE, phys, 1024,
						   -1), 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE + 4096, 1024,
					      -1), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_virt_to_phys(pool, FAKE_BASE + 40),
			phys + 40);
	KUNIT_EXPECT_EQ(test, genpool_ext_virt_to_phys(pool, FAKE_BASE + 1023),
			phys + 1023);
	KUNIT_EXPECT_EQ(test, genpool_ext_virt_to_phys(pool, FAKE_BASE + 1024),
			(phys_addr_t)-1);
	/* A chunk added without a physical address has none. */
	KUNIT_EXPECT_EQ(test, genpool_ext_virt_to_phys(pool, FAKE_BASE + 4096),
			(phys_addr_t)-1);
	KUNIT_EXPECT_EQ(test, genpool_ext_virt_to_phys(NULL, FAKE_BASE),
			(phys_addr_t)-1);

	/* The newest chunk (no phys) is full: dma comes from the other. */
	KUNIT_ASSERT_NE(test, genpool_ext_alloc(pool, 1024), 0);
	v = genpool_ext_dma_alloc(pool, 24, &dma);
	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_EXPECT_EQ(test, (unsigned long)v, FAKE_BASE);
	KUNIT_EXPECT_EQ(test, dma, (dma_addr_t)phys);
	v = genpool_ext_dma_alloc_algo(pool, 8, &dma, genpool_ext_best_fit,
				       NULL);
	KUNIT_EXPECT_EQ(test, (unsigned long)v, FAKE_BASE + 24);
	KUNIT_EXPECT_EQ(test, dma, (dma_addr_t)phys + 24);
	v = genpool_ext_dma_alloc_align(pool, 8, &dma, 64);
	KUNIT_EXPECT_EQ(test, (unsigned long)v, FAKE_BASE + 64);
	KUNIT_EXPECT_EQ(test, dma, (dma_addr_t)phys + 64);
	v = genpool_ext_dma_alloc_align(pool, 8, NULL, 256);
	KUNIT_EXPECT_EQ(test, (unsigned long)v, FAKE_BASE + 256);
	KUNIT_EXPECT_NULL(test, genpool_ext_dma_alloc(pool, 4096, &dma));
	KUNIT_EXPECT_NULL(test, genpool_ext_dma_alloc(NULL, 8, &dma));
	KUNIT_EXPECT_NULL(test, genpool_ext_dma_alloc_align(pool, 8, &dma, 0));
	KUNIT_EXPECT_NULL(test, genpool_ext_dma_alloc_align(pool, 8, &dma, 48));
}

static void genpool_ext_test_zalloc(struct kunit *test)
{
	struct genpool_ext *pool;
	dma_addr_t dma;
	u8 *mem, *v;
	int i;

	mem = kunit_kmalloc(test, 4096, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	memset(mem, 0xa5, 4096);
	pool = gpt_pool(test, 4, 0, 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add_virt(pool, (unsigned long)mem,
						   0x1000000, 4096, -1), 0);
	v = genpool_ext_dma_zalloc(pool, 100, &dma);
	KUNIT_ASSERT_PTR_EQ(test, v, mem);
	KUNIT_EXPECT_EQ(test, dma, (dma_addr_t)0x1000000);
	for (i = 0; i < 100; i++)
		KUNIT_ASSERT_EQ(test, v[i], 0);
	/* zeroes what was asked for, not the rounded-up rest */
	KUNIT_EXPECT_EQ(test, v[100], 0xa5);
	v = genpool_ext_dma_zalloc_algo(pool, 33, &dma, genpool_ext_best_fit,
					NULL);
	KUNIT_ASSERT_PTR_EQ(test, v, mem + 112);
	KUNIT_EXPECT_EQ(test, dma, (dma_addr_t)0x1000000 + 112);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(v, 0, 33));
	v = genpool_ext_dma_zalloc_align(pool, 64, &dma, 512);
	KUNIT_ASSERT_PTR_EQ(test, v, mem + 512);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(v, 0, 64));
	KUNIT_EXPECT_EQ(test, mem[511], 0xa5);
	KUNIT_EXPECT_NULL(test, genpool_ext_dma_zalloc(pool, 8192, NULL));
	KUNIT_EXPECT_NULL(test, genpool_ext_dma_zalloc_align(pool, 8, NULL,
							     -4));
}

/* Busy units 0, 4, 7..11, 14..17 in a 128-unit chunk: every algorithm has
 * a different answer for a 2-unit request.
 */
static struct genpool_ext *gpt_fragmented(struct kunit *test, int order,
					  unsigned long base)
{
	static const struct { unsigned int first, nr; } busy[] = {
		{ 0, 1 }, { 4, 1 }, { 7, 5 }, { 14, 4 },
	};
	struct genpool_ext *pool = gpt_pool(test, order, base, 128);
	int i;

	for (i = 0; i < ARRAY_SIZE(busy); i++) {
		struct genpool_ext_data_fixed at = {
			.offset = (unsigned long)busy[i].first << order,
		};

		KUNIT_ASSERT_EQ(test,
				genpool_ext_alloc_algo(pool,
						       busy[i].nr << order,
						       genpool_ext_fixed_alloc,
						       &at),
				base + at.offset);
	}
	return pool;
}

static void genpool_ext_test_algorithms(struct kunit *test)
{
	struct genpool_ext_data_align align = { .align = 4 << 5 };
	struct genpool_ext_data_fixed fixed = { .offset = 64 << 5 };
	struct genpool_ext *pool = gpt_fragmented(test, 5, FAKE_BASE);
	struct {
		genpool_ext_algo_t algo;
		void *data;
		unsigned long unit;
	} cases[] = {
		{ genpool_ext_first_fit, NULL, 1 },
		{ genpool_ext_best_fit, NULL, 5 },
		{ genpool_ext_first_fit_align, &align, 12 },
		{ genpool_ext_first_fit_order_align, NULL, 2 },
		{ genpool_ext_fixed_alloc, &fixed, 64 },
	};
	unsigned long a;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		a = genpool_ext_alloc_algo(pool, 2 << 5, cases[i].algo,
					   cases[i].data);
		KUNIT_EXPECT_EQ_MSG(test, a, FAKE_BASE + (cases[i].unit << 5),
				    "case %d", i);
		if (a)
			genpool_ext_free(pool, a, 2 << 5);
	}
	/* Best fit: an exact fit ends the search; ties go to the earliest. */
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 3 << 5,
						     genpool_ext_best_fit,
						     NULL),
			FAKE_BASE + (1 << 5));
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 2 << 5,
						     genpool_ext_best_fit,
						     NULL),
			FAKE_BASE + (5 << 5));
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 2 << 5,
						     genpool_ext_best_fit,
						     NULL),
			FAKE_BASE + (12 << 5));
	/* Fixed: busy, past the end, running past the end. */
	fixed.offset = 8 << 5;
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 32,
						     genpool_ext_fixed_alloc,
						     &fixed), 0);
	fixed.offset = 128 << 5;
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 32,
						     genpool_ext_fixed_alloc,
						     &fixed), 0);
	fixed.offset = 127 << 5;
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 64,
						     genpool_ext_fixed_alloc,
						     &fixed), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 32,
						     genpool_ext_fixed_alloc,
						     &fixed),
			FAKE_BASE + (127 << 5));
	/* Missing or bad algorithm data is a failed search. */
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 32,
						     genpool_ext_fixed_alloc,
						     NULL), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 32,
						     genpool_ext_first_fit_align,
						     NULL), 0);
	align.align = 3 << 5;
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 32,
						     genpool_ext_first_fit_align,
						     &align), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
}

/* The address, not the bit number, is aligned: a chunk at an odd base. */
static void genpool_ext_test_align_offset(struct kunit *test)
{
	struct genpool_ext_data_align align = { .align = 256 };
	struct genpool_ext *pool = gpt_pool(test, 4, FAKE_BASE + 0x30, 64);
	unsigned long a;

	a = genpool_ext_alloc_algo(pool, 16, genpool_ext_first_fit_align,
				   &align);
	KUNIT_EXPECT_EQ(test, a, FAKE_BASE + 0x100);
	/* Alignment below the unit is just first fit. */
	align.align = 4;
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 16,
						     genpool_ext_first_fit_align,
						     &align), FAKE_BASE + 0x30);
	/* Order-aligned: 3 units round to 4, at a multiple of 4 units. */
	a = genpool_ext_alloc_algo(pool, 48, genpool_ext_first_fit_order_align,
				   NULL);
	KUNIT_EXPECT_EQ(test, a, FAKE_BASE + 0x30 + 4 * 16);
}

/* The direct (plain bitmap) forms of the exported algorithms. */
static void genpool_ext_test_plain_algorithms(struct kunit *test)
{
	struct genpool_ext_data_align align = { .align = 8 };
	struct genpool_ext_data_fixed fixed = { .offset = 20 };
	genpool_ext_algo_t oalign = genpool_ext_first_fit_order_align;
	genpool_ext_algo_t falign = genpool_ext_first_fit_align;
	struct genpool_ext *pool = gpt_pool(test, 0, 0, 0);
	unsigned long map[2] = { 0, 0 };

	/* busy: 0..3, 10, 20..29, 64..69 */
	bitmap_set(map, 0, 4);
	bitmap_set(map, 10, 1);
	bitmap_set(map, 20, 10);
	bitmap_set(map, 64, 6);
	KUNIT_EXPECT_EQ(test, genpool_ext_first_fit(map, 100, 0, 5, NULL, pool,
						    0), 4);
	KUNIT_EXPECT_EQ(test, genpool_ext_first_fit(map, 100, 0, 7, NULL, pool,
						    0), 11);
	KUNIT_EXPECT_EQ(test, genpool_ext_first_fit(map, 100, 5, 2, NULL, pool,
						    0), 5);
	KUNIT_EXPECT_EQ(test, genpool_ext_first_fit(map, 100, 0, 31, NULL,
						    pool, 0), 30);
	KUNIT_EXPECT_GE(test, genpool_ext_first_fit(map, 100, 0, 35, NULL,
						    pool, 0), 100UL);
	KUNIT_EXPECT_GE(test, genpool_ext_first_fit(map, 100, 100, 1, NULL,
						    pool, 0), 100UL);
	KUNIT_EXPECT_GE(test, genpool_ext_first_fit(map, 100, 0, 0, NULL, pool,
						    0), 100UL);
	KUNIT_EXPECT_EQ(test, genpool_ext_best_fit(map, 100, 0, 5, NULL, pool,
						   0), 4);
	KUNIT_EXPECT_EQ(test, genpool_ext_best_fit(map, 100, 0, 7, NULL, pool,
						   0), 11);
	/* 30..63 is 34 long, 70..99 is 30: the shorter one wins. */
	KUNIT_EXPECT_EQ(test, genpool_ext_best_fit(map, 100, 0, 10, NULL, pool,
						   0), 70);
	KUNIT_EXPECT_EQ(test, genpool_ext_best_fit(map, 100, 0, 31, NULL, pool,
						   0), 30);
	KUNIT_EXPECT_EQ(test, genpool_ext_best_fit(map, 100, 0, 35, NULL, pool,
						   0), 100);
	/* Clipped at start: the run 31..63 counts from 40. */
	KUNIT_EXPECT_EQ(test, genpool_ext_best_fit(map, 100, 40, 20, NULL,
						   pool, 0), 40);
	KUNIT_EXPECT_EQ(test, oalign(map, 100, 0, 3, NULL, pool, 0), 4);
	KUNIT_EXPECT_EQ(test, oalign(map, 100, 0, 5, NULL, pool, 0), 32);
	KUNIT_EXPECT_EQ(test, falign(map, 100, 0, 2, &align, pool, 0), 8);
	/* start_addr 4 shifts the aligned bits by 4. */
	KUNIT_EXPECT_EQ(test, falign(map, 100, 0, 2, &align, pool, 4), 4);
	KUNIT_EXPECT_GE(test, genpool_ext_fixed_alloc(map, 100, 0, 2, &fixed,
						      pool, 0), 100UL);
	fixed.offset = 30;
	KUNIT_EXPECT_EQ(test, genpool_ext_fixed_alloc(map, 100, 0, 2, &fixed,
						      pool, 0), 30);
	/* A retry (start != 0) of a fixed request fails, as in the kernel. */
	KUNIT_EXPECT_GE(test, genpool_ext_fixed_alloc(map, 100, 30, 2, &fixed,
						      pool, 0), 100UL);
	/* NULL bitmap: no area. */
	KUNIT_EXPECT_GE(test, genpool_ext_first_fit(NULL, 100, 0, 1, NULL, pool,
						    0), 100UL);
}

/* A caller-supplied algorithm gets the plain bitmap: take the last fit. */
static unsigned long gpt_last_fit(unsigned long *map, unsigned long size,
				  unsigned long start, unsigned int nr,
				  void *data, struct genpool_ext *pool,
				  unsigned long start_addr)
{
	unsigned long bit, found = size;

	*(int *)data += 1;
	for (bit = start; bit + nr <= size; bit++)
		if (find_next_bit(map, bit + nr, bit) >= bit + nr)
			found = bit;
	return found;
}

/* A broken one: an area that does not fit in the chunk. */
static unsigned long gpt_bad_algo(unsigned long *map, unsigned long size,
				  unsigned long start, unsigned int nr,
				  void *data, struct genpool_ext *pool,
				  unsigned long start_addr)
{
	return size - 1;
}

static void genpool_ext_test_custom_algo(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 3, FAKE_BASE, 100);
	int calls = 0;
	unsigned long a;

	a = genpool_ext_alloc_algo(pool, 16, gpt_last_fit, &calls);
	KUNIT_EXPECT_EQ(test, a, FAKE_BASE + 98 * 8);
	KUNIT_EXPECT_EQ(test, calls, 1);
	genpool_ext_set_algo(pool, gpt_last_fit, &calls);
	KUNIT_EXPECT_TRUE(test, pool->algo == gpt_last_fit);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 8), FAKE_BASE + 97 * 8);
	KUNIT_EXPECT_EQ(test, calls, 2);
	/* The index stays right under a custom algorithm. */
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
	genpool_ext_free(pool, FAKE_BASE + 97 * 8, 8);
	genpool_ext_free(pool, a, 16);
	/* A result that does not fit is a failed allocation, not a crash. */
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 16, gpt_bad_algo,
						     NULL), 0);
	/* NULL restores first fit. */
	genpool_ext_set_algo(pool, NULL, NULL);
	KUNIT_EXPECT_TRUE(test, pool->algo == genpool_ext_first_fit);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 8), FAKE_BASE);
	genpool_ext_set_algo(pool, genpool_ext_best_fit, NULL);
	KUNIT_EXPECT_TRUE(test, pool->algo == genpool_ext_best_fit);
	genpool_ext_set_algo(NULL, genpool_ext_best_fit, NULL);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 800 - 8);
}

static void gpt_count_chunk(struct genpool_ext *pool,
			    struct genpool_ext_chunk *chunk, void *data)
{
	unsigned long *acc = data;

	acc[0]++;
	acc[1] += chunk->end_addr - chunk->start_addr + 1;
	acc[2] += atomic_long_read(&chunk->avail);
	/* Chunks come newest first: start addresses go down here. */
	if (acc[3] && chunk->start_addr > acc[3])
		acc[4]++;
	acc[3] = chunk->start_addr;
}

static void genpool_ext_test_queries(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 4, FAKE_BASE, 64);
	unsigned long acc[5] = {};

	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE + 0x1000, 256,
					      -1), 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE + 0x2000, 512,
					      -1), 0);
	KUNIT_EXPECT_NE(test, genpool_ext_alloc(pool, 100), 0);
	genpool_ext_for_each_chunk(pool, gpt_count_chunk, acc);
	KUNIT_EXPECT_EQ(test, acc[0], 3);
	KUNIT_EXPECT_EQ(test, acc[1], 1024 + 256 + 512);
	KUNIT_EXPECT_EQ(test, acc[2], 1024 + 256 + 512 - 112);
	KUNIT_EXPECT_EQ(test, acc[4], 0);
	genpool_ext_for_each_chunk(NULL, gpt_count_chunk, acc);
	genpool_ext_for_each_chunk(pool, NULL, acc);
	KUNIT_EXPECT_EQ(test, acc[0], 3);
	KUNIT_EXPECT_EQ(test, genpool_ext_size(pool), 1792);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 1792 - 112);
	KUNIT_EXPECT_EQ(test, genpool_ext_size(NULL), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(NULL), 0);

	KUNIT_EXPECT_TRUE(test, genpool_ext_has_addr(pool, FAKE_BASE, 1024));
	KUNIT_EXPECT_TRUE(test, genpool_ext_has_addr(pool, FAKE_BASE + 1023,
						     1));
	KUNIT_EXPECT_FALSE(test, genpool_ext_has_addr(pool, FAKE_BASE + 1023,
						      2));
	KUNIT_EXPECT_TRUE(test, genpool_ext_has_addr(pool, FAKE_BASE + 0x2010,
						     0x100));
	/* Two chunks are not one range, even when the query spans both. */
	KUNIT_EXPECT_FALSE(test, genpool_ext_has_addr(pool, FAKE_BASE, 0x1100));
	KUNIT_EXPECT_FALSE(test, genpool_ext_has_addr(pool, FAKE_BASE - 1, 2));
	KUNIT_EXPECT_FALSE(test, genpool_ext_has_addr(pool, FAKE_BASE, 0));
	KUNIT_EXPECT_FALSE(test, genpool_ext_has_addr(pool, ULONG_MAX, 2));
	KUNIT_EXPECT_FALSE(test, genpool_ext_has_addr(NULL, FAKE_BASE, 1));
}

static void genpool_ext_test_stats(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 4, FAKE_BASE, 64);
	struct genpool_ext_stats st;
	unsigned long a, b;

	KUNIT_EXPECT_EQ(test, genpool_ext_get_stats(NULL, &st), -EINVAL);
	KUNIT_EXPECT_EQ(test, genpool_ext_get_stats(pool, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(NULL), -EINVAL);
	a = genpool_ext_alloc(pool, 16 * 10);
	b = genpool_ext_alloc(pool, 16 * 10);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 4096), 0);
	genpool_ext_free(pool, a, 16 * 10);
	KUNIT_ASSERT_EQ(test, genpool_ext_get_stats(pool, &st), 0);
	KUNIT_EXPECT_EQ(test, st.size, 1024);
	KUNIT_EXPECT_EQ(test, st.avail, 1024 - 160);
	KUNIT_EXPECT_EQ(test, st.chunks, 1);
	KUNIT_EXPECT_EQ(test, st.allocs, 2);
	KUNIT_EXPECT_EQ(test, st.frees, 1);
	KUNIT_EXPECT_EQ(test, st.alloc_failures, 1);
	KUNIT_EXPECT_EQ(test, st.misuse, 0);
	/* Free: units 0..9 and 20..63; the largest extent is 44 units. */
	KUNIT_EXPECT_EQ(test, st.largest_free, 44 * 16);
	KUNIT_EXPECT_EQ(test, st.fragmentation, 10 * 1000 / 54);
	genpool_ext_free(pool, b, 16 * 10);
	KUNIT_ASSERT_EQ(test, genpool_ext_get_stats(pool, &st), 0);
	KUNIT_EXPECT_EQ(test, st.largest_free, 1024);
	KUNIT_EXPECT_EQ(test, st.fragmentation, 0);
	KUNIT_EXPECT_GT(test, st.search_words, 0);
}

/* The checker itself: it must notice a bitmap or an index gone wrong. */
static void genpool_ext_test_validate(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 0, FAKE_BASE, 3000);
	struct genpool_ext_chunk *chunk;
	unsigned long a, saved;

	a = genpool_ext_alloc(pool, 2000);
	KUNIT_ASSERT_EQ(test, a, FAKE_BASE);
	/* A 10-unit run inside the first index group. */
	genpool_ext_free(pool, a + 100, 10);
	KUNIT_ASSERT_EQ(test, genpool_ext_validate(pool), 0);
	chunk = list_first_entry(&pool->chunks, struct genpool_ext_chunk,
				 next_chunk);

	/* A bit set behind the allocator's back: avail no longer matches. */
	set_bit(2500, chunk->bits);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), -EUCLEAN);
	clear_bit(2500, chunk->bits);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);

	/* A bit past the chunk end. */
	set_bit(3000, chunk->bits);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), -EUCLEAN);
	clear_bit(3000, chunk->bits);

	/* An index that forgot a free run would make searches miss it. */
	saved = atomic_long_read(&chunk->index[0]);
	atomic_long_set(&chunk->index[0], 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), -EUCLEAN);
	atomic_long_set(&chunk->index[0], saved);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 10,
						     genpool_ext_best_fit,
						     NULL), a + 100);
}

/* Whether /sys/kernel/debug/genpool_ext/@dir/stats exists. */
static bool gpt_debugfs_has(const char *dir)
{
	return pool_ext_debugfs_has("genpool_ext", dir);
}

/*
 * The stats file, read as user space reads it: 256 16-byte units with
 * [0, 64) and [96, 160) in use, so 2048 bytes free in two extents of 512
 * and 1536 bytes (fragmentation 512 / 2048 = 25.0%), after three
 * allocations, one free and one allocation too big to fit.
 */
static void genpool_ext_test_debugfs_stats(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 4, FAKE_BASE, 256);
	unsigned long a, b, c;
	char dir[32], *buf;
	long long v;
	ssize_t n;

	buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	a = genpool_ext_alloc(pool, 1024);
	b = genpool_ext_alloc(pool, 512);
	c = genpool_ext_alloc(pool, 1024);
	KUNIT_ASSERT_EQ(test, c, FAKE_BASE + 1536);
	genpool_ext_free(pool, b, 512);
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 8192), 0);

	snprintf(dir, sizeof(dir), "pool-%u", pool->id);
	n = pool_ext_read_stats(test, "genpool_ext", dir, buf, 1024);
	genpool_ext_free(pool, a, 1024);
	genpool_ext_free(pool, c, 1024);
	if (n < 0)
		kunit_skip(test, "cannot read genpool_ext/%s/stats (%zd)", dir, n);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "name: (none)\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "min_alloc_order: 4\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "chunks: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "size: 4096\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "avail: 2048\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "largest_free: 1536\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "fragmentation: 25.0%\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "allocs: 3\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "frees: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nalloc_failures: 1\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "misuse: 0\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "search_words: "));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\ndebug: 0\n"));
	/* The parser scripts use: exact keys, decimal values. */
	KUNIT_EXPECT_EQ(test, pool_ext_stats_value(buf, "alloc_failures", &v), 0);
	KUNIT_EXPECT_EQ(test, v, 1);
	KUNIT_EXPECT_EQ(test, pool_ext_stats_value(buf, "failures", &v), -ENOENT);
	KUNIT_EXPECT_EQ(test, pool_ext_stats_value(buf, "name", &v), -EINVAL);
}

/* One debugfs directory per pool, gone with the pool. */
static void genpool_ext_test_debugfs(struct kunit *test)
{
	struct genpool_ext *pool = genpool_ext_create(4, NUMA_NO_NODE);
	struct device *dev;
	char name[32];

	KUNIT_ASSERT_NOT_NULL(test, pool);
	snprintf(name, sizeof(name), "pool-%u", pool->id);
	if (!gpt_debugfs_has(name)) {
		genpool_ext_destroy(pool);
		kunit_skip(test, "no debugfs entry %s", name);
	}
	genpool_ext_destroy(pool);
	KUNIT_EXPECT_FALSE(test, gpt_debugfs_has(name));

	/* A devm pool is named after its name, '/' made safe. */
	dev = kunit_device_register(test, "genpool_ext_test_dbg");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	pool = devm_genpool_ext_create(dev, 4, NUMA_NO_NODE, "ocram/bank0");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, pool);
	snprintf(name, sizeof(name), "ocram_bank0-%u", pool->id);
	KUNIT_EXPECT_TRUE(test, gpt_debugfs_has(name));
	kunit_device_unregister(test, dev);
	KUNIT_EXPECT_FALSE(test, gpt_debugfs_has(name));
}

static void genpool_ext_test_devm(struct kunit *test)
{
	struct genpool_ext *named, *unnamed, *p;
	struct device *dev;

	dev = kunit_device_register(test, "genpool_ext_test_dev");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	KUNIT_EXPECT_NULL(test, genpool_ext_get(dev, NULL));
	KUNIT_EXPECT_NULL(test, genpool_ext_get(NULL, "sram"));
	KUNIT_EXPECT_PTR_EQ(test, devm_genpool_ext_create(NULL, 4, -1, "x"),
			    ERR_PTR(-EINVAL));
	KUNIT_EXPECT_PTR_EQ(test, devm_genpool_ext_create(dev, -1, -1, "x"),
			    ERR_PTR(-EINVAL));
	KUNIT_EXPECT_PTR_EQ(test, devm_genpool_ext_create(dev, BITS_PER_LONG,
							  -1, "x"),
			    ERR_PTR(-EINVAL));
	named = devm_genpool_ext_create(dev, 5, NUMA_NO_NODE, "sram");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, named);
	KUNIT_EXPECT_STREQ(test, named->name, "sram");
	unnamed = devm_genpool_ext_create(dev, 6, NUMA_NO_NODE, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, unnamed);
	KUNIT_EXPECT_NULL(test, unnamed->name);
	/* Names are unique per device. */
	KUNIT_EXPECT_PTR_EQ(test, devm_genpool_ext_create(dev, 5, -1, "sram"),
			    ERR_PTR(-EINVAL));
	KUNIT_EXPECT_PTR_EQ(test, devm_genpool_ext_create(dev, 5, -1, NULL),
			    ERR_PTR(-EINVAL));
	KUNIT_EXPECT_PTR_EQ(test, genpool_ext_get(dev, "sram"), named);
	KUNIT_EXPECT_PTR_EQ(test, genpool_ext_get(dev, NULL), unnamed);
	KUNIT_EXPECT_NULL(test, genpool_ext_get(dev, "dram"));
	/* A managed pool works like any other; devres frees it, chunk too. */
	KUNIT_ASSERT_EQ(test, genpool_ext_add(named, FAKE_BASE, 4096, -1), 0);
	p = genpool_ext_get(dev, "sram");
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(p, 100), FAKE_BASE);
	genpool_ext_free(p, FAKE_BASE, 100);
	kunit_device_unregister(test, dev);
}

static void genpool_ext_test_of_get(struct kunit *test)
{
#ifndef CONFIG_OF
	/* Without a device tree there is nothing to find. */
	KUNIT_EXPECT_NULL(test, of_genpool_ext_get(NULL, "sram", 0));
#else
	KUNIT_EXPECT_NULL(test, of_genpool_ext_get(NULL, "sram", 0));
	KUNIT_EXPECT_NULL(test, of_genpool_ext_get(of_root, "no-such-prop", 0));
#endif
}

#ifdef CONFIG_OF
KUNIT_DEFINE_ACTION_WRAPPER(gpt_of_node_put, of_node_put, struct device_node *);
KUNIT_DEFINE_ACTION_WRAPPER(gpt_put_device, put_device, struct device *);

/*
 * A node's reference count: real only with OF_DYNAMIC (the arm64 test
 * kernel has it); without it of_node_get() and of_node_put() count nothing
 * and this stays constant, so the node checks below hold trivially.
 */
static unsigned int gpt_node_refs(struct device_node *np)
{
#ifdef CONFIG_OF_KOBJ
	return kref_read(&np->kobj.kref);
#else
	return 0;
#endif
}

static unsigned int gpt_dev_refs(struct device *dev)
{
	return kref_read(&dev->kobj.kref);
}

/* The first chunk genpool_ext_for_each_chunk() shows. */
static void gpt_first_chunk(struct genpool_ext *pool,
			    struct genpool_ext_chunk *chunk, void *data)
{
	struct genpool_ext_chunk *first = data;

	if (!first->start_addr) {
		first->start_addr = chunk->start_addr;
		first->end_addr = chunk->end_addr;
		first->phys_addr = chunk->phys_addr;
	}
}

/* The node, held by the test, that @np's @prop[@index] points at. */
static struct device_node *gpt_phandle(struct kunit *test,
				       struct device_node *np,
				       const char *prop, int index)
{
	struct device_node *target = of_parse_phandle(np, prop, index);

	KUNIT_ASSERT_NOT_NULL_MSG(test, target, "%pOF: no %s[%d]", np, prop,
				  index);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, gpt_of_node_put, target));
	return target;
}

/* The platform device of @np, held by the test. */
static struct device *gpt_node_dev(struct kunit *test, struct device_node *np)
{
	struct platform_device *pdev = of_find_device_by_node(np);

	KUNIT_ASSERT_NOT_NULL_MSG(test, pdev, "%pOF: no platform device", np);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, gpt_put_device, &pdev->dev));
	return &pdev->dev;
}
#endif

/*
 * of_genpool_ext_get() on the live device tree: the SRAM client node of
 * drivers/dt/virt-sram.dtsi ("pool-ext,sram-client", whose "sram" property
 * holds two mmio-sram partitions' phandles), with sram_ext bound to the
 * SRAM. Each lookup, found or not, must leave the reference counts of the
 * devices and nodes it went through as they were (the 2025 fix of the
 * kernel's of_gen_pool_get() put the device reference it had leaked).
 * Skipped where there is no such node (x86: no device tree at all) or
 * sram_ext is not bound.
 */
static void genpool_ext_test_of_get_live(struct kunit *test)
{
#ifndef CONFIG_OF
	kunit_skip(test, "no device tree (CONFIG_OF is off)");
#else
	struct device_node *client, *part_a, *part_b, *sram_np, *none;
	struct genpool_ext_chunk first = { };
	struct device *sram_dev, *client_dev;
	unsigned int dref, cref, nref[4];
	struct genpool_ext *pool, *pool_b;
	const char *name = NULL;
	struct resource res;
	int n;

	client = of_find_compatible_node(NULL, NULL, "pool-ext,sram-client");
	if (!client)
		kunit_skip(test, "no pool-ext,sram-client node in the live tree");
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, gpt_of_node_put, client));
	part_a = gpt_phandle(test, client, "sram", 0);
	part_b = gpt_phandle(test, client, "sram", 1);
	none = gpt_phandle(test, client, "pool-ext,no-pool", 0);
	sram_np = of_get_parent(part_a);
	KUNIT_ASSERT_NOT_NULL(test, sram_np);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, gpt_of_node_put, sram_np));
	sram_dev = gpt_node_dev(test, sram_np);
	client_dev = gpt_node_dev(test, client);
	if (!sram_dev->driver)
		kunit_skip(test, "%pOF has no driver: load sram_ext", sram_np);
	KUNIT_ASSERT_EQ(test, 0, of_address_to_resource(part_a, 0, &res));

	dref = gpt_dev_refs(sram_dev);
	cref = gpt_dev_refs(client_dev);
	nref[0] = gpt_node_refs(part_a);
	nref[1] = gpt_node_refs(sram_np);
	nref[2] = gpt_node_refs(client);
	nref[3] = gpt_node_refs(none);

	/* Found: the pool sram_ext made for the partition, named by label. */
	pool = of_genpool_ext_get(client, "sram", 0);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	of_property_read_string(part_a, "label", &name);
	KUNIT_EXPECT_PTR_EQ(test, pool,
			    genpool_ext_get(sram_dev, name ?: of_node_full_name(part_a)));
	KUNIT_EXPECT_EQ(test, genpool_ext_size(pool), resource_size(&res));
	genpool_ext_for_each_chunk(pool, gpt_first_chunk, &first);
	KUNIT_EXPECT_EQ(test, first.phys_addr, res.start);
	KUNIT_EXPECT_EQ(test, first.end_addr - first.start_addr + 1,
			resource_size(&res));
	KUNIT_EXPECT_EQ(test, genpool_ext_virt_to_phys(pool, first.start_addr + 96),
			res.start + 96);
	/* Without a label, the partition's pool is named by its full name. */
	pool_b = of_genpool_ext_get(client, "sram", 1);
	KUNIT_EXPECT_NOT_NULL(test, pool_b);
	KUNIT_EXPECT_PTR_NE(test, pool_b, pool);
	if (!of_property_present(part_b, "label"))
		KUNIT_EXPECT_PTR_EQ(test, pool_b,
				    genpool_ext_get(sram_dev, of_node_full_name(part_b)));

	/* Not found: a missing property, an index past the last phandle. */
	KUNIT_EXPECT_NULL(test, of_genpool_ext_get(client, "pool-ext,missing", 0));
	n = of_count_phandle_with_args(client, "sram", NULL);
	KUNIT_EXPECT_EQ(test, n, 2);
	KUNIT_EXPECT_NULL(test, of_genpool_ext_get(client, "sram", n));
	KUNIT_EXPECT_NULL(test, of_genpool_ext_get(client, "sram", 1000));
	/*
	 * Not found: phandles to nodes without a pool, one a child of the
	 * client (looked up by its label on the client's device), one the
	 * client node itself (its device's unnamed pool: none).
	 */
	KUNIT_EXPECT_NULL(test, of_genpool_ext_get(client, "pool-ext,no-pool", 0));
	KUNIT_EXPECT_NULL(test, of_genpool_ext_get(client, "pool-ext,no-pool", 1));

	/* Every reference taken on the way was dropped. */
	KUNIT_EXPECT_EQ(test, gpt_dev_refs(sram_dev), dref);
	KUNIT_EXPECT_EQ(test, gpt_dev_refs(client_dev), cref);
	KUNIT_EXPECT_EQ(test, gpt_node_refs(part_a), nref[0]);
	KUNIT_EXPECT_EQ(test, gpt_node_refs(sram_np), nref[1]);
	KUNIT_EXPECT_EQ(test, gpt_node_refs(client), nref[2]);
	KUNIT_EXPECT_EQ(test, gpt_node_refs(none), nref[3]);
	kunit_info(test, "%pOF: pool %s, %pR, %u device refs", part_a,
		   pool->name, &res, dref);
#endif
}

static struct kunit_case genpool_ext_cases[] = {
	KUNIT_CASE(genpool_ext_test_create_order),
	KUNIT_CASE(genpool_ext_test_add),
	KUNIT_CASE(genpool_ext_test_alloc_rounding),
	KUNIT_CASE(genpool_ext_test_multi_chunk_owner),
	KUNIT_CASE(genpool_ext_test_phys),
	KUNIT_CASE(genpool_ext_test_zalloc),
	KUNIT_CASE(genpool_ext_test_algorithms),
	KUNIT_CASE(genpool_ext_test_align_offset),
	KUNIT_CASE(genpool_ext_test_plain_algorithms),
	KUNIT_CASE(genpool_ext_test_custom_algo),
	KUNIT_CASE(genpool_ext_test_queries),
	KUNIT_CASE(genpool_ext_test_stats),
	KUNIT_CASE(genpool_ext_test_validate),
	KUNIT_CASE(genpool_ext_test_debugfs),
	KUNIT_CASE(genpool_ext_test_debugfs_stats),
	KUNIT_CASE(genpool_ext_test_devm),
	KUNIT_CASE(genpool_ext_test_of_get),
	KUNIT_CASE(genpool_ext_test_of_get_live),
	{}
};

static struct kunit_suite genpool_ext_suite = {
	.name = "genpool_ext",
	.test_cases = genpool_ext_cases,
};

/* ---------------------------------------------------------------------
 * genpool_ext_misuse: each mistake warns (once per pool), changes nothing,
 * and the pool keeps working.
 */

/* The pool is consistent, unchanged, and still allocates and frees. */
static void gpt_still_works(struct kunit *test, struct genpool_ext *pool,
			    size_t avail)
{
	unsigned long a;

	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), avail);
	a = genpool_ext_alloc(pool, 1);
	KUNIT_EXPECT_NE(test, a, 0);
	if (a)
		genpool_ext_free(pool, a, 1);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), avail);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
}

struct gpt_misuse_case {
	const char *what;	/* the warning's text */
	long offset;		/* of the bad free, from the block */
	size_t size;		/* of the bad free */
};

static const struct gpt_misuse_case gpt_misuse_cases[] = {
	{ "free of an address outside the pool", -4096, 64 },
	{ "free of an address outside the pool", 1 << 20, 64 },
	{ "free of an address not on an allocation unit", 8, 48 },
	{ "free running past the end of its chunk", 0, 1 << 20 },
	{ "free running past the end of its chunk", 0, ULONG_MAX },
	{ "double free", 256, 64 },
	{ "partial free (range only partly allocated)", 192, 128 },
	{ "free of zero bytes", 0, 0 },
};

static void gpt_misuse_desc(const struct gpt_misuse_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s @%ld+%zu", c->what, c->offset,
		 c->size);
}

KUNIT_ARRAY_PARAM(gpt_misuse, gpt_misuse_cases, gpt_misuse_desc);

static void genpool_ext_misuse_test_bad_free(struct kunit *test)
{
	const struct gpt_misuse_case *c = test->param_value;
	struct genpool_ext *pool = gpt_pool(test, 4, FAKE_BASE, 256);
	unsigned long block, avail;

	/* Allocated: units 0..11 (one block); 16..19 were freed. */
	block = genpool_ext_alloc(pool, 16 * 12);
	KUNIT_ASSERT_EQ(test, block, FAKE_BASE);
	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, 64), FAKE_BASE + 192);
	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, 64), FAKE_BASE + 256);
	genpool_ext_free(pool, FAKE_BASE + 256, 64);
	avail = genpool_ext_avail(pool);

	POOL_EXT_EXPECT_WARN_BEGIN(c->what);
	genpool_ext_free(pool, block + c->offset, c->size);
	POOL_EXT_EXPECT_WARN_END(c->what);
	KUNIT_EXPECT_EQ(test, gpt_misuse(pool), 1);
	gpt_still_works(test, pool, avail);

	/* Once per pool: the same mistake again is counted, not warned. */
	genpool_ext_free(pool, block + c->offset, c->size);
	KUNIT_EXPECT_EQ(test, gpt_misuse(pool), 2);
	gpt_still_works(test, pool, avail);
	genpool_ext_free(pool, block, 16 * 12);
	genpool_ext_free(pool, FAKE_BASE + 192, 64);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 4096);
}

/* A whole-chunk double free across several words, then a multi-word
 * partial free: nothing may change in any word.
 */
static void genpool_ext_misuse_test_multiword(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 0, FAKE_BASE, 1000);
	unsigned long a, b;

	a = genpool_ext_alloc(pool, 300);
	b = genpool_ext_alloc(pool, 300);
	KUNIT_ASSERT_EQ(test, b, FAKE_BASE + 300);
	genpool_ext_free(pool, a, 300);
	POOL_EXT_EXPECT_WARN_BEGIN("double free");
	genpool_ext_free(pool, a, 300);
	POOL_EXT_EXPECT_WARN_END("double free");
	/* Last 200 of the free range and first 200 of b. */
	POOL_EXT_EXPECT_WARN_BEGIN("partial free");
	genpool_ext_free(pool, a + 100, 400);
	POOL_EXT_EXPECT_WARN_END("partial free");
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 300), a);
	gpt_still_works(test, pool, 400);
	genpool_ext_free(pool, a, 300);
	genpool_ext_free(pool, b, 300);
	gpt_still_works(test, pool, 1000);
}

static void genpool_ext_misuse_test_fixed_offset(struct kunit *test)
{
	struct genpool_ext_data_fixed fixed = { .offset = 24 };
	struct genpool_ext *pool = gpt_pool(test, 4, FAKE_BASE, 64);
	unsigned long a;

	POOL_EXT_EXPECT_WARN_BEGIN("fixed offset not on an allocation unit");
	a = genpool_ext_alloc_algo(pool, 16, genpool_ext_fixed_alloc, &fixed);
	POOL_EXT_EXPECT_WARN_END("fixed offset not on an allocation unit");
	KUNIT_EXPECT_EQ(test, a, 0);
	KUNIT_EXPECT_EQ(test, gpt_misuse(pool), 1);
	gpt_still_works(test, pool, 1024);
	fixed.offset = 32;
	a = genpool_ext_alloc_algo(pool, 16, genpool_ext_fixed_alloc, &fixed);
	KUNIT_EXPECT_EQ(test, a, FAKE_BASE + 32);

	/* One bad call is one misuse, however many chunks there are. */
	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE + 4096, 1024, -1),
			0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE + 8192, 1024, -1),
			0);
	fixed.offset = 24;
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_algo(pool, 16,
						     genpool_ext_fixed_alloc,
						     &fixed), 0);
	KUNIT_EXPECT_EQ(test, gpt_misuse(pool), 2);
}

/*
 * With the debug checks on, a free must match one allocation exactly;
 * off, a bitmap cannot tell, and such frees go through as in gen_pool.
 */
static void genpool_ext_misuse_test_debug_boundaries(struct kunit *test)
{
	static const char what[] = "free not matching one allocation";
	struct genpool_ext *pool = gpt_pool(test, 4, FAKE_BASE, 64);
	unsigned long a, b;

	KUNIT_ASSERT_EQ(test, genpool_ext_set_debug(pool, true), 0);
	a = genpool_ext_alloc(pool, 64);
	b = genpool_ext_alloc(pool, 64);
	KUNIT_ASSERT_EQ(test, a, FAKE_BASE);
	KUNIT_ASSERT_EQ(test, b, FAKE_BASE + 64);

	POOL_EXT_EXPECT_WARN_BEGIN(what);
	genpool_ext_free(pool, a + 16, 32);	/* the middle of a */
	POOL_EXT_EXPECT_WARN_END(what);
	genpool_ext_free(pool, a, 32);		/* the first half of a */
	genpool_ext_free(pool, a + 32, 32);	/* the second half of a */
	genpool_ext_free(pool, a, 128);		/* a and its neighbour b */
	genpool_ext_free(pool, a + 32, 64);	/* the end of a, start of b */
	KUNIT_EXPECT_EQ(test, gpt_misuse(pool), 5);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 1024 - 128);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);

	genpool_ext_free(pool, a, 64);
	POOL_EXT_EXPECT_WARN_BEGIN("double free");
	genpool_ext_free(pool, a, 64);
	POOL_EXT_EXPECT_WARN_END("double free");
	KUNIT_EXPECT_EQ(test, gpt_misuse(pool), 6);
	/* a's units, reused by a smaller block, are not a's to free. */
	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, 32), a);
	genpool_ext_free(pool, a, 64);
	KUNIT_EXPECT_EQ(test, gpt_misuse(pool), 7);
	genpool_ext_free(pool, a, 32);
	genpool_ext_free(pool, b, 64);
	KUNIT_EXPECT_EQ(test, gpt_misuse(pool), 7);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 1024);

	/* Switching on needs an empty pool: older blocks have no marks. */
	KUNIT_EXPECT_EQ(test, genpool_ext_set_debug(pool, false), 0);
	a = genpool_ext_alloc(pool, 64);
	KUNIT_EXPECT_EQ(test, genpool_ext_set_debug(pool, true), -EBUSY);
	KUNIT_EXPECT_EQ(test, genpool_ext_set_debug(NULL, true), -EINVAL);

	/* Off: part of a block is freed without a word, as in gen_pool. */
	genpool_ext_free(pool, a + 16, 32);
	KUNIT_EXPECT_EQ(test, gpt_misuse(pool), 7);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 1024 - 32);
	genpool_ext_free(pool, a, 16);
	genpool_ext_free(pool, a + 48, 16);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), 1024);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
}

static void genpool_ext_misuse_test_destroy_leak(struct kunit *test)
{
	struct genpool_ext *pool = genpool_ext_create(5, NUMA_NO_NODE);

	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE, 4096, -1), 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE + 8192, 1024, -1),
			0);
	/* Three allocations, two of them adjacent: two ranges, 160 bytes. */
	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, 32), FAKE_BASE + 8192);
	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, 64), FAKE_BASE + 8224);
	KUNIT_ASSERT_NE(test, genpool_ext_alloc_algo(pool, 64,
						     genpool_ext_best_fit,
						     NULL), 0);
	genpool_ext_free(pool, FAKE_BASE + 8192, 32);
	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, 32), FAKE_BASE + 8192);
	POOL_EXT_EXPECT_WARN_BEGIN("with 1 outstanding allocation ranges (160 bytes)");
	genpool_ext_destroy(pool);
	POOL_EXT_EXPECT_WARN_END("with 1 outstanding allocation ranges (160 bytes)");

	pool = genpool_ext_create(5, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE, 4096, -1), 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE + 8192, 1024, -1),
			0);
	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, 32), FAKE_BASE + 8192);
	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, 2048), FAKE_BASE);
	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, 32), FAKE_BASE + 8224);
	genpool_ext_free(pool, FAKE_BASE + 8192, 32);
	POOL_EXT_EXPECT_WARN_BEGIN("with 2 outstanding allocation ranges (2080 bytes)");
	genpool_ext_destroy(pool);
	POOL_EXT_EXPECT_WARN_END("with 2 outstanding allocation ranges (2080 bytes)");
}

static void genpool_ext_misuse_test_null_pool(struct kunit *test)
{
	void *owner = test;

	KUNIT_EXPECT_EQ(test, genpool_ext_alloc_owner(NULL, 8, &owner), 0);
	KUNIT_EXPECT_NULL(test, owner);
	KUNIT_EXPECT_EQ(test, genpool_ext_add_owner(NULL, FAKE_BASE, 0, 64, -1,
						    NULL), -EINVAL);
	KUNIT_EXPECT_NULL(test, genpool_ext_dma_zalloc(NULL, 8, NULL));
	genpool_ext_set_algo(NULL, NULL, NULL);
	genpool_ext_destroy(NULL);
	/* A free to no pool loses memory: that one warns (once per boot). */
	owner = test;
	POOL_EXT_EXPECT_WARN_BEGIN("genpool_ext_free_owner");
	genpool_ext_free_owner(NULL, FAKE_BASE, 8, &owner);
	POOL_EXT_EXPECT_WARN_END("genpool_ext_free_owner");
	KUNIT_EXPECT_NULL(test, owner);
}

static struct kunit_case genpool_ext_misuse_cases[] = {
	KUNIT_CASE_PARAM(genpool_ext_misuse_test_bad_free,
			 gpt_misuse_gen_params),
	KUNIT_CASE(genpool_ext_misuse_test_multiword),
	KUNIT_CASE(genpool_ext_misuse_test_fixed_offset),
	KUNIT_CASE(genpool_ext_misuse_test_debug_boundaries),
	KUNIT_CASE(genpool_ext_misuse_test_destroy_leak),
	KUNIT_CASE(genpool_ext_misuse_test_null_pool),
	{}
};

static struct kunit_suite genpool_ext_misuse_suite = {
	.name = "genpool_ext_misuse",
	.test_cases = genpool_ext_misuse_cases,
};

/* ---------------------------------------------------------------------
 * genpool_ext_diff: the same operations on the kernel's gen_pool and on
 * genpool_ext must give the same addresses and the same avail.
 */

#define GPT_DIFF_OPS	100000

enum gpt_algo { GPT_FIRST, GPT_BEST, GPT_ALIGN, GPT_ORDER, GPT_FIXED };

/* The data an algorithm takes, built alike for both pools per call. */
struct gpt_diff_data {
	struct genpool_data_align ka;
	struct genpool_ext_data_align ea;
	struct genpool_data_fixed kf;
	struct genpool_ext_data_fixed ef;
	void *kdata;
	void *edata;
};

/* A random alignment, up to 64 units. */
static void gpt_diff_align(struct pool_ext_rng *rng, int order,
			   struct gpt_diff_data *d)
{
	d->ka.align = 1 << pool_ext_rng_below(rng, order + 7);
	d->ea.align = d->ka.align;
	d->kdata = &d->ka;
	d->edata = &d->ea;
}

/* A random offset, inside or past the chunks. */
static void gpt_diff_fixed(struct pool_ext_rng *rng, int order,
			   struct gpt_diff_data *d)
{
	d->kf.offset = pool_ext_rng_below(rng, 4200) << order;
	d->ef.offset = d->kf.offset;
	d->kdata = &d->kf;
	d->edata = &d->ef;
}

/*
 * One row per algorithm: the kernel's and genpool_ext's, and how to make
 * their data. No algorithm (first fit) means the pools' default path,
 * gen_pool_alloc() and genpool_ext_alloc().
 */
struct gpt_diff_param {
	const char *name;
	genpool_algo_t kalgo;
	genpool_ext_algo_t ealgo;
	void (*data)(struct pool_ext_rng *rng, int order,
		     struct gpt_diff_data *d);
	int order;
	u64 seed;
};

static const struct gpt_diff_param gpt_diff_params[] = {
	{ "first_fit", NULL, NULL, NULL, 0, 1 },
	{ "best_fit", gen_pool_best_fit, genpool_ext_best_fit, NULL, 6, 2 },
	{ "first_fit_align", gen_pool_first_fit_align,
	  genpool_ext_first_fit_align, gpt_diff_align, 3, 3 },
	{ "first_fit_order_align", gen_pool_first_fit_order_align,
	  genpool_ext_first_fit_order_align, NULL, 5, 4 },
	{ "fixed_alloc", gen_pool_fixed_alloc, genpool_ext_fixed_alloc,
	  gpt_diff_fixed, 4, 5 },
};

static void gpt_diff_desc(const struct gpt_diff_param *p, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s order %d seed %llu", p->name,
		 p->order, p->seed);
}

KUNIT_ARRAY_PARAM(gpt_diff, gpt_diff_params, gpt_diff_desc);

struct gpt_block {
	unsigned long addr;
	size_t size;
};

/*
 * Make every index summary of @pool promise more than the bitmap holds:
 * random buckets and edge bits. A stale summary may cost a search time,
 * never its answer.
 */
static void gpt_spoil_chunk(struct genpool_ext *pool,
			    struct genpool_ext_chunk *chunk, void *data)
{
	struct pool_ext_rng *rng = data;
	unsigned long g, nbits = (chunk->end_addr - chunk->start_addr + 1) >>
				 pool->min_alloc_order;

	for (g = 0; g < DIV_ROUND_UP(nbits, GPX_GROUP_BITS); g++)
		atomic_long_or(pool_ext_rng_next(rng) & pool_ext_rng_next(rng), &chunk->index[g]);
}

static void gpt_kernel_destroy_action(void *pool)
{
	gen_pool_destroy(pool);
}

static void genpool_ext_diff_test_against_kernel(struct kunit *test)
{
	const struct gpt_diff_param *p = test->param_value;
	struct pool_ext_rng rng = { .s = p->seed };
	struct genpool_ext *ep;
	struct gen_pool *kp;
	struct gpt_block *live;
	unsigned long base = FAKE_BASE, sizes[3], total = 0, used = 0;
	unsigned long kaddr, eaddr, mismatches = 0, fails = 0;
	int order = p->order, i, nlive = 0, op;

	kp = gen_pool_create(order, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, kp);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  gpt_kernel_destroy_action,
						  kp));
	ep = gpt_pool(test, order, 0, 0);
	live = kunit_kcalloc(test, GPT_DIFF_OPS, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);

	/* Three chunks, oddly sized and placed; the same in both pools. */
	sizes[0] = (3000 + pool_ext_rng_below(&rng, 2000)) << order;
	sizes[1] = ((200 + pool_ext_rng_below(&rng, 500)) << order) +
		   pool_ext_rng_below(&rng, 1UL << order);
	sizes[2] = (1100 + pool_ext_rng_below(&rng, 100)) << order;
	for (i = 0; i < 3; i++) {
		base += 0x10000 + (pool_ext_rng_below(&rng, 64) << order) +
			(i == 1 ? 0x30 : 0);
		KUNIT_ASSERT_EQ(test, gen_pool_add(kp, base, sizes[i], -1), 0);
		KUNIT_ASSERT_EQ(test, genpool_ext_add(ep, base, sizes[i], -1),
				0);
		base += sizes[i];
		total += sizes[i];
	}

	for (op = 0; op < GPT_DIFF_OPS; op++) {
		/* Keep the pools between about 60% and 97% full. */
		bool alloc = !nlive || used < total * 6 / 10 ||
			     (used < total * 97 / 100 &&
			      pool_ext_rng_below(&rng, 100) < 55);

		if (!alloc) {
			i = pool_ext_rng_below(&rng, nlive);
			gen_pool_free(kp, live[i].addr, live[i].size);
			genpool_ext_free(ep, live[i].addr, live[i].size);
			used -= ALIGN(live[i].size, 1UL << order);
			live[i] = live[--nlive];
		} else {
			unsigned long r = pool_ext_rng_below(&rng, 100);
			struct gpt_diff_data d = { };
			size_t size;

			if (r < 70)
				size = (1 + pool_ext_rng_below(&rng, 16)) << order;
			else if (r < 90)
				size = 1 + pool_ext_rng_below(&rng, 40UL << order);
			else if (r < 99)
				size = (1 + pool_ext_rng_below(&rng, 300)) << order;
			else	/* more than an index group */
				size = (1000 + pool_ext_rng_below(&rng, 2000)) << order;
			if (p->data)
				p->data(&rng, order, &d);
			if (!p->kalgo) {
				kaddr = gen_pool_alloc(kp, size);
				eaddr = genpool_ext_alloc(ep, size);
			} else {
				kaddr = gen_pool_alloc_algo(kp, size, p->kalgo,
							    d.kdata);
				eaddr = genpool_ext_alloc_algo(ep, size,
							       p->ealgo,
							       d.edata);
			}
			if (kaddr != eaddr && mismatches++ < 5)
				KUNIT_FAIL(test, "op %d size %zu: kernel %#lx genpool_ext %#lx",
					   op, size, kaddr, eaddr);
			if (kaddr != eaddr) {
				/* Keep the pools in step: give both back. */
				if (kaddr)
					gen_pool_free(kp, kaddr, size);
				if (eaddr)
					genpool_ext_free(ep, eaddr, size);
			} else if (kaddr) {
				live[nlive].addr = kaddr;
				live[nlive++].size = size;
				used += ALIGN(size, 1UL << order);
			} else {
				fails++;
			}
		}
		if (gen_pool_avail(kp) != genpool_ext_avail(ep) &&
		    mismatches++ < 5)
			KUNIT_FAIL(test, "op %d: avail kernel %zu genpool_ext %zu",
				   op, gen_pool_avail(kp),
				   genpool_ext_avail(ep));
		if (op % 10000 == 0)
			KUNIT_ASSERT_EQ(test, genpool_ext_validate(ep), 0);
		if (op % 5000 == 2500)
			genpool_ext_for_each_chunk(ep, gpt_spoil_chunk, &rng);
	}
	KUNIT_EXPECT_EQ(test, mismatches, 0);
	/* The run went through full pools, not just easy cases. */
	KUNIT_EXPECT_GT(test, fails, 100);
	kunit_info(test, "%d ops, order %d, %lu failed allocations, %d live",
		   GPT_DIFF_OPS, order, fails, nlive);
	while (nlive--) {
		gen_pool_free(kp, live[nlive].addr, live[nlive].size);
		genpool_ext_free(ep, live[nlive].addr, live[nlive].size);
	}
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(ep), total);
	KUNIT_EXPECT_EQ(test, gen_pool_avail(kp), total);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(ep), 0);
}

static struct kunit_case genpool_ext_diff_cases[] = {
	KUNIT_CASE_PARAM_ATTR(genpool_ext_diff_test_against_kernel,
			      gpt_diff_gen_params,
			      { .speed = KUNIT_SPEED_SLOW }),
	{}
};

static struct kunit_suite genpool_ext_diff_suite = {
	.name = "genpool_ext_diff",
	.test_cases = genpool_ext_diff_cases,
};

/* ---------------------------------------------------------------------
 * genpool_ext_model: random operations against a naive model that keeps
 * its own bitmap and searches it bit by bit, straight from the
 * definitions. After every operation the pool's bitmaps must equal the
 * model's.
 */

#define GPT_MODEL_OPS		12000
#define GPT_MODEL_CHUNKS	3

struct gpt_model_chunk {
	unsigned long start;
	unsigned long nbits;
	unsigned long *map;
};

struct gpt_model {
	int order;
	struct gpt_model_chunk c[GPT_MODEL_CHUNKS];	/* newest first */
};

static bool gpt_model_free_range(struct gpt_model_chunk *c, unsigned long s,
				 unsigned long n)
{
	unsigned long i;

	for (i = s; i < s + n; i++)
		if (test_bit(i, c->map))
			return false;
	return true;
}

/* The model's answer: bit within @c, or c->nbits for none. */
static unsigned long gpt_model_search(struct gpt_model *m,
				      struct gpt_model_chunk *c,
				      enum gpt_algo algo, unsigned long nr,
				      unsigned long amask, unsigned long aoff,
				      unsigned long fixed)
{
	unsigned long s, best = c->nbits, best_len = ULONG_MAX, len;

	if (nr > c->nbits)
		return c->nbits;
	if (algo == GPT_FIXED)
		return fixed + nr <= c->nbits &&
		       gpt_model_free_range(c, fixed, nr) ? fixed : c->nbits;
	for (s = 0; s + nr <= c->nbits; s++) {
		if ((s + aoff) & amask)
			continue;
		if (!gpt_model_free_range(c, s, nr))
			continue;
		if (algo != GPT_BEST)
			return s;
		/* Best fit: only whole runs count, measured to their end. */
		if (s && !test_bit(s - 1, c->map))
			continue;
		for (len = nr; s + len < c->nbits &&
		     !test_bit(s + len, c->map); len++)
			;
		if (len < best_len) {
			best = s;
			best_len = len;
		}
	}
	return best;
}

static void gpt_model_check(struct kunit *test, struct genpool_ext *pool,
			    struct gpt_model *m, int op)
{
	struct genpool_ext_chunk *chunk;
	int i = 0;

	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		struct gpt_model_chunk *c = &m->c[i++];

		if (chunk->start_addr != c->start ||
		    !bitmap_equal(chunk->bits, c->map, c->nbits)) {
			rcu_read_unlock();
			KUNIT_FAIL_AND_ABORT(test, "op %d: chunk %d differs from the model",
					     op, i - 1);
		}
	}
	rcu_read_unlock();
}

static void genpool_ext_model_test_random(struct kunit *test)
{
	static const int units[GPT_MODEL_CHUNKS] = { 190, 333, 64 };
	struct pool_ext_rng rng = { .s = 42 };
	struct genpool_ext *pool;
	struct gpt_model m = { .order = 3 };
	unsigned long base = FAKE_BASE + 0x18;
	int op, i;

	pool = gpt_pool(test, m.order, 0, 0);
	/* Added oldest first; the model lists them newest first. */
	for (i = GPT_MODEL_CHUNKS - 1; i >= 0; i--) {
		struct gpt_model_chunk *c = &m.c[i];

		c->start = base;
		c->nbits = units[i];
		c->map = kunit_kcalloc(test, BITS_TO_LONGS(c->nbits),
				       sizeof(long), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, c->map);
		KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, base,
						      units[i] << m.order, -1),
				0);
		base += (units[i] << m.order) + 0x1000;
	}

	for (op = 0; op < GPT_MODEL_OPS; op++) {
		unsigned long r = pool_ext_rng_below(&rng, 100), nr, bit, want = 0;
		struct gpt_model_chunk *c;

		if (r < 45) {
			/* Free a random allocated stretch (maybe part of an
			 * allocation, which gen_pool allows).
			 */
			c = &m.c[pool_ext_rng_below(&rng, GPT_MODEL_CHUNKS)];
			bit = pool_ext_rng_below(&rng, c->nbits);
			if (!test_bit(bit, c->map))
				continue;
			nr = 1;
			while (bit + nr < c->nbits && nr < 40 &&
			       test_bit(bit + nr, c->map) &&
			       pool_ext_rng_below(&rng, 8))
				nr++;
			genpool_ext_free(pool, c->start + (bit << m.order),
					 nr << m.order);
			bitmap_clear(c->map, bit, nr);
		} else {
			enum gpt_algo algo = pool_ext_rng_below(&rng, 5);
			struct genpool_ext_data_align da;
			struct genpool_ext_data_fixed df;
			genpool_ext_algo_t fn;
			void *data = NULL;
			unsigned long fixed = 0, got;

			nr = 1 + pool_ext_rng_below(&rng, r < 90 ? 12 : 80);
			da.align = 1 << pool_ext_rng_below(&rng, 8);
			fixed = pool_ext_rng_below(&rng, 200);
			df.offset = fixed << m.order;
			switch (algo) {
			case GPT_FIRST:
				fn = genpool_ext_first_fit;
				break;
			case GPT_BEST:
				fn = genpool_ext_best_fit;
				break;
			case GPT_ORDER:
				fn = genpool_ext_first_fit_order_align;
				break;
			case GPT_ALIGN:
				fn = genpool_ext_first_fit_align;
				data = &da;
				break;
			default:
				fn = genpool_ext_fixed_alloc;
				data = &df;
				break;
			}
			for (i = 0; i < GPT_MODEL_CHUNKS && !want; i++) {
				unsigned long amask = 0, aoff = 0;

				c = &m.c[i];
				if (algo == GPT_ORDER)
					amask = roundup_pow_of_two(nr) - 1;
				if (algo == GPT_ALIGN) {
					amask = ((da.align + (1 << m.order) - 1) >>
						 m.order) - 1;
					aoff = (c->start & (da.align - 1)) >>
					       m.order;
				}
				if (bitmap_weight(c->map, c->nbits) + nr >
				    c->nbits)
					continue;
				bit = gpt_model_search(&m, c, algo, nr, amask,
						       aoff, fixed);
				if (bit < c->nbits) {
					bitmap_set(c->map, bit, nr);
					want = c->start + (bit << m.order);
				}
			}
			got = genpool_ext_alloc_algo(pool, nr << m.order, fn,
						     data);
			if (got != want)
				KUNIT_FAIL_AND_ABORT(test, "op %d algo %d nr %lu: %#lx, not %#lx",
						     op, algo, nr, got, want);
		}
		gpt_model_check(test, pool, &m, op);
		if (op % 64 == 0)
			KUNIT_ASSERT_EQ(test, genpool_ext_validate(pool), 0);
	}
}

static struct kunit_case genpool_ext_model_cases[] = {
	KUNIT_CASE(genpool_ext_model_test_random),
	{}
};

static struct kunit_suite genpool_ext_model_suite = {
	.name = "genpool_ext_model",
	.test_cases = genpool_ext_model_cases,
};

/* ---------------------------------------------------------------------
 * genpool_ext_index: the search skips what the index proves full. The
 * counter is the number of bitmap and index words the search read; a
 * linear scan, the kernel's way, reads at least every word up to its
 * answer (and best fit, every word).
 */

#define GPT_BIG_UNITS	262144UL	/* 16 MiB at order 6 */

static unsigned long gpt_words(struct genpool_ext *pool)
{
	struct genpool_ext_stats st;

	genpool_ext_get_stats(pool, &st);
	return st.search_words;
}

/* Words one search read; checks the answer too. */
static unsigned long gpt_search_cost(struct kunit *test,
				     struct genpool_ext *pool, size_t size,
				     genpool_ext_algo_t algo,
				     unsigned long want)
{
	unsigned long before = gpt_words(pool), a;

	a = genpool_ext_alloc_algo(pool, size, algo, NULL);
	KUNIT_EXPECT_EQ(test, a, want);
	if (a)
		genpool_ext_free(pool, a, size);
	return gpt_words(pool) - before;
}

/*
 * A 262,144-unit chunk 90% full of 1-unit holes every 10 units, with one
 * 100-unit hole near the end: every search for 8 or 64 units must reach
 * it, and a linear scan reads ~3,900 words on the way.
 */
static void genpool_ext_index_test_skips_full_regions(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 6, FAKE_BASE, GPT_BIG_UNITS);
	unsigned long hole = 3906 * 64, u, cost, linear;
	unsigned long all = GPT_BIG_UNITS / BITS_PER_LONG;
	static const struct {
		genpool_ext_algo_t algo;
		unsigned long units;
	} cases[] = {
		{ genpool_ext_first_fit, 8 },
		{ genpool_ext_first_fit, 64 },
		{ genpool_ext_best_fit, 8 },
		{ genpool_ext_best_fit, 64 },
		{ genpool_ext_first_fit_order_align, 64 },
	};
	int i;

	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, GPT_BIG_UNITS << 6),
			FAKE_BASE);
	for (u = 5; u < GPT_BIG_UNITS; u += 10)
		if (u < hole || u >= hole + 100)
			genpool_ext_free(pool, FAKE_BASE + (u << 6), 64);
	genpool_ext_free(pool, FAKE_BASE + (hole << 6), 100 << 6);
	KUNIT_ASSERT_EQ(test, genpool_ext_validate(pool), 0);

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long want = FAKE_BASE + (hole << 6);

		/* The kernel's best fit reads every word; first fit up to
		 * its answer.
		 */
		linear = hole / BITS_PER_LONG;
		if (cases[i].algo == genpool_ext_best_fit)
			linear = all;
		/* Twice: the first search may tighten stale summaries. */
		gpt_search_cost(test, pool, cases[i].units << 6, cases[i].algo,
				want);
		cost = gpt_search_cost(test, pool, cases[i].units << 6,
				       cases[i].algo, want);
		kunit_info(test, "case %d: %lu words, a linear scan reads >= %lu",
			   i, cost, linear);
		KUNIT_EXPECT_LE_MSG(test, cost * 5, linear, "case %d", i);
	}
	/* A request nothing can hold: every group is ruled out cheaply. */
	cost = gpt_search_cost(test, pool, 128 << 6, genpool_ext_best_fit, 0);
	kunit_info(test, "no fit: %lu words of %lu", cost, all);
	KUNIT_EXPECT_LE(test, cost * 5, all);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
}

/*
 * The workload the benchmark measures: random 1-16-unit allocations and
 * frees until 90% full. 64-unit searches must read far less than the
 * bitmap.
 */
static void genpool_ext_index_test_random_fragmentation(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 6, FAKE_BASE, GPT_BIG_UNITS);
	struct pool_ext_rng rng = { .s = 90 };
	struct gpt_block *live;
	unsigned long used = 0, target = GPT_BIG_UNITS * 9 / 10, cost, before;
	unsigned long a, total = GPT_BIG_UNITS / BITS_PER_LONG;
	long it;
	int nlive = 0, k;

	live = kvcalloc(GPT_BIG_UNITS, sizeof(*live), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	for (it = 0; it < 3 * (long)(target / 8); it++) {
		if (used >= target) {
			k = pool_ext_rng_below(&rng, nlive);
			genpool_ext_free(pool, live[k].addr, live[k].size);
			used -= live[k].size >> 6;
			live[k] = live[--nlive];
			continue;
		}
		live[nlive].size = (1 + pool_ext_rng_below(&rng, 16)) << 6;
		live[nlive].addr = genpool_ext_alloc(pool, live[nlive].size);
		if (!live[nlive].addr)
			break;
		used += live[nlive++].size >> 6;
	}
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);

	for (k = 0; k < 2; k++) {
		genpool_ext_algo_t algo = k ? genpool_ext_best_fit :
					      genpool_ext_first_fit;

		a = genpool_ext_alloc_algo(pool, 64 << 6, algo, NULL);
		if (a)
			genpool_ext_free(pool, a, 64 << 6);
		before = gpt_words(pool);
		a = genpool_ext_alloc_algo(pool, 64 << 6, algo, NULL);
		cost = gpt_words(pool) - before;
		if (a)
			genpool_ext_free(pool, a, 64 << 6);
		kunit_info(test, "%s 64 units at 90%%: %lu words of %lu",
			   k ? "best fit" : "first fit", cost, total);
		KUNIT_EXPECT_LE(test, cost * 4, total);
	}
	while (nlive--)
		genpool_ext_free(pool, live[nlive].addr, live[nlive].size);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(pool), GPT_BIG_UNITS << 6);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
	kvfree(live);
}

/* An empty pool needs no search at all. */
static void genpool_ext_index_test_empty_pool(struct kunit *test)
{
	struct genpool_ext *pool = gpt_pool(test, 6, FAKE_BASE, GPT_BIG_UNITS);

	KUNIT_EXPECT_EQ(test, gpt_search_cost(test, pool, 64 << 6,
					      genpool_ext_best_fit, FAKE_BASE),
			0);
	KUNIT_EXPECT_EQ(test, gpt_search_cost(test, pool, 8 << 6,
					      genpool_ext_first_fit_order_align,
					      FAKE_BASE), 0);
}

static struct kunit_case genpool_ext_index_cases[] = {
	KUNIT_CASE(genpool_ext_index_test_skips_full_regions),
	KUNIT_CASE_SLOW(genpool_ext_index_test_random_fragmentation),
	KUNIT_CASE(genpool_ext_index_test_empty_pool),
	{}
};

static struct kunit_suite genpool_ext_index_suite = {
	.name = "genpool_ext_index",
	.test_cases = genpool_ext_index_cases,
};

/* ---------------------------------------------------------------------
 * genpool_ext_stress: several kthreads per CPU and a hardirq timer share
 * one pool of real memory. Every block is stamped with its owner and
 * checked before it is freed, so an overlap shows up as a bad stamp.
 */

#define GPT_STRESS_PER_CPU	3
#define GPT_STRESS_ITERS	20000
#define GPT_STRESS_LIVE		12
#define GPT_STRESS_BYTES	(12 * 1024)

struct gpt_stress {
	struct genpool_ext *pool;
	atomic_t bad;
	atomic_long_t ops;
	atomic_long_t irq_ops;
	atomic_long_t fails;
};

static unsigned long gpt_alloc(struct genpool_ext *pool, size_t size,
			       genpool_ext_algo_t algo, void *data)
{
	return genpool_ext_alloc_algo(pool, size, algo, data);
}

static int gpt_stress_thread(void *arg, unsigned int id)
{
	struct gpt_stress *s = arg;
	struct pool_ext_rng rng = { .s = 1000 + id };
	struct gpt_block blk[GPT_STRESS_LIVE] = {};
	struct genpool_ext_data_align align;
	u32 tag = 0x10 + id;
	int i, k;

	for (i = 0; i < GPT_STRESS_ITERS; i++) {
		struct gpt_block *b = &blk[pool_ext_rng_below(&rng, GPT_STRESS_LIVE)];

		if (b->addr) {
			if (!pool_ext_stamp_ok((void *)b->addr, b->size, tag))
				atomic_inc(&s->bad);
			genpool_ext_free(s->pool, b->addr, b->size);
			b->addr = 0;
			continue;
		}
		b->size = 1 + pool_ext_rng_below(&rng, 700);
		switch (id % 4) {
		case 0:
			b->addr = genpool_ext_alloc(s->pool, b->size);
			break;
		case 1:
			b->addr = gpt_alloc(s->pool, b->size,
					    genpool_ext_best_fit, NULL);
			break;
		case 2:
			b->addr = gpt_alloc(s->pool, b->size,
					    genpool_ext_first_fit_order_align,
					    NULL);
			break;
		default:
			align.align = 16 << pool_ext_rng_below(&rng, 5);
			b->addr = gpt_alloc(s->pool, b->size,
					    genpool_ext_first_fit_align, &align);
			break;
		}
		if (!b->addr) {
			atomic_long_inc(&s->fails);
			continue;
		}
		pool_ext_stamp((void *)b->addr, b->size, tag);
		atomic_long_inc(&s->ops);
		if ((i & 255) == 0)
			cond_resched();
	}
	for (k = 0; k < GPT_STRESS_LIVE; k++) {
		if (!blk[k].addr)
			continue;
		if (!pool_ext_stamp_ok((void *)blk[k].addr, blk[k].size, tag))
			atomic_inc(&s->bad);
		genpool_ext_free(s->pool, blk[k].addr, blk[k].size);
	}
	return 0;
}

/* Hardirq context: the lockless path must work there too. */
static void gpt_stress_tick(void *arg)
{
	struct gpt_stress *s = arg;
	size_t size = 48;
	unsigned long a;

	a = genpool_ext_alloc_algo(s->pool, size, genpool_ext_best_fit, NULL);
	if (a) {
		pool_ext_stamp((void *)a, size, 0xee);
		if (!pool_ext_stamp_ok((void *)a, size, 0xee))
			atomic_inc(&s->bad);
		genpool_ext_free(s->pool, a, size);
		atomic_long_inc(&s->irq_ops);
	}
}

static void genpool_ext_stress_test_threads(struct kunit *test)
{
	struct pool_ext_stress h = {
		.thread = gpt_stress_thread,
		.tick = gpt_stress_tick,
		.per_cpu = GPT_STRESS_PER_CPU,
		.period_ns = 200 * NSEC_PER_USEC,
		.hard = true,
		.bind = true,
	};
	struct gpt_stress *s;
	void *mem;
	int n, nthreads;

	nthreads = num_online_cpus() * GPT_STRESS_PER_CPU;
	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	mem = vmalloc(GPT_STRESS_BYTES);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	s->pool = gpt_pool(test, 4, 0, 0);
	/* Two chunks, so threads also race across the chunk list. */
	KUNIT_ASSERT_EQ(test, genpool_ext_add(s->pool, (unsigned long)mem,
					      GPT_STRESS_BYTES / 4, -1), 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(s->pool,
					      (unsigned long)mem +
					      GPT_STRESS_BYTES / 4,
					      GPT_STRESS_BYTES * 3 / 4, -1), 0);

	h.arg = s;
	n = pool_ext_stress_run(test, &h);

	kunit_info(test, "%d threads: %ld allocations, %ld in hardirq, %ld failed",
		   n, atomic_long_read(&s->ops), atomic_long_read(&s->irq_ops),
		   atomic_long_read(&s->fails));
	KUNIT_EXPECT_EQ(test, n, nthreads);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->bad), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&s->ops), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&s->irq_ops), 0);
	/* The pool is small enough that threads also meet a full pool. */
	KUNIT_EXPECT_GT(test, atomic_long_read(&s->fails), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(s->pool), GPT_STRESS_BYTES);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(s->pool), 0);
	KUNIT_EXPECT_EQ(test, gpt_misuse(s->pool), 0);
	/* The pool never touches its memory; it is destroyed at test end. */
	vfree(mem);
}

/*
 * Threads on every CPU churn one chunk six index groups wide with first
 * fit, best fit, order-aligned and fixed-offset allocations of 1-300
 * units, so runs, frees and tightenings cross group edges all the time.
 * Every GPT_GROUPS_OPS operations they all stop, and at that quiescent
 * point the index must promise every free run (genpool_ext_validate())
 * and both searches must answer what the kernel's own bitmap searches
 * answer on the same bitmap. Blocks are stamped, so an overlap shows.
 */
#define GPT_GROUPS_UNITS	(6 * GPX_GROUP_BITS)
#define GPT_GROUPS_PHASES	12
#define GPT_GROUPS_OPS		1500
#define GPT_GROUPS_LIVE		24

struct gpt_groups {
	struct genpool_ext *pool;
	struct genpool_ext_chunk *chunk;
	atomic_t arrived;		/* threads done with the current phase */
	int phase;			/* phases the main thread has released */
	wait_queue_head_t wq;
	atomic_t bad;
	atomic_long_t ops;
	atomic_long_t fixed_ok;
	int nthreads;
};

struct gpt_groups_worker {
	struct gpt_groups *s;
	struct task_struct *task;
	int id;
};

static unsigned long gpt_groups_alloc(struct gpt_groups *s,
				      struct pool_ext_rng *rng, size_t size)
{
	struct genpool_ext_data_fixed fixed;
	unsigned long a;

	switch (pool_ext_rng_below(rng, 4)) {
	case 0:
		return genpool_ext_alloc(s->pool, size);
	case 1:
		return gpt_alloc(s->pool, size, genpool_ext_best_fit, NULL);
	case 2:
		return gpt_alloc(s->pool, size,
				 genpool_ext_first_fit_order_align, NULL);
	default:
		fixed.offset = pool_ext_rng_below(rng, GPT_GROUPS_UNITS - size);
		a = gpt_alloc(s->pool, size, genpool_ext_fixed_alloc, &fixed);
		if (a)
			atomic_long_inc(&s->fixed_ok);
		return a;
	}
}

static int gpt_groups_thread(void *arg)
{
	struct gpt_groups_worker *w = arg;
	struct gpt_groups *s = w->s;
	struct pool_ext_rng rng = { .s = 7000 + w->id };
	struct gpt_block blk[GPT_GROUPS_LIVE] = {};
	u8 tag = 0x40 + w->id;
	int phase, i, k;

	for (phase = 0; phase < GPT_GROUPS_PHASES; phase++) {
		for (i = 0; i < GPT_GROUPS_OPS; i++) {
			struct gpt_block *b =
				&blk[pool_ext_rng_below(&rng, GPT_GROUPS_LIVE)];

			if (b->addr) {
				if (!pool_ext_stamp_ok((void *)b->addr, b->size, tag))
					atomic_inc(&s->bad);
				genpool_ext_free(s->pool, b->addr, b->size);
				b->addr = 0;
				continue;
			}
			/* Mostly small blocks, some that span words. */
			b->size = 1 + pool_ext_rng_below(&rng, pool_ext_rng_below(&rng, 4) ?
						      40 : 300);
			b->addr = gpt_groups_alloc(s, &rng, b->size);
			if (!b->addr)
				continue;
			pool_ext_stamp((void *)b->addr, b->size, tag);
			atomic_long_inc(&s->ops);
		}
		/* Quiescent point: wait until the checks are done. */
		atomic_inc(&s->arrived);
		wake_up_all(&s->wq);
		wait_event(s->wq, READ_ONCE(s->phase) > phase);
	}
	for (k = 0; k < GPT_GROUPS_LIVE; k++) {
		if (!blk[k].addr)
			continue;
		if (!pool_ext_stamp_ok((void *)blk[k].addr, blk[k].size, tag))
			atomic_inc(&s->bad);
		genpool_ext_free(s->pool, blk[k].addr, blk[k].size);
	}
	/* The test owns @s: touch nothing of it until told to stop. */
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/* Index answers equal the kernel's plain searches on the same bitmap. */
static void gpt_groups_check(struct kunit *test, struct gpt_groups *s,
			     int phase)
{
	static const unsigned int sizes[] = { 1, 3, 9, 33, 70, 150, 300 };
	struct genpool_ext_chunk *c = s->chunk;
	unsigned long base = c->start_addr, k, e;
	int i;

	KUNIT_EXPECT_EQ_MSG(test, genpool_ext_validate(s->pool), 0,
			    "phase %d", phase);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		if (genpool_ext_avail(s->pool) < sizes[i])
			continue;
		k = gen_pool_first_fit(c->bits, c->nbits, 0, sizes[i], NULL,
				       NULL, 0);
		e = genpool_ext_alloc(s->pool, sizes[i]);
		KUNIT_EXPECT_EQ_MSG(test, e, k < c->nbits ? base + k : 0,
				    "phase %d first fit %u", phase, sizes[i]);
		if (e)
			genpool_ext_free(s->pool, e, sizes[i]);
		k = gen_pool_best_fit(c->bits, c->nbits, 0, sizes[i], NULL,
				      NULL, 0);
		e = gpt_alloc(s->pool, sizes[i], genpool_ext_best_fit, NULL);
		KUNIT_EXPECT_EQ_MSG(test, e, k < c->nbits ? base + k : 0,
				    "phase %d best fit %u", phase, sizes[i]);
		if (e)
			genpool_ext_free(s->pool, e, sizes[i]);
	}
}

static void genpool_ext_stress_test_groups(struct kunit *test)
{
	struct gpt_groups *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	struct gpt_groups_worker *w;
	void *mem;
	int cpu, n = 0, phase;

	KUNIT_ASSERT_NOT_NULL(test, s);
	s->nthreads = num_online_cpus() * GPT_STRESS_PER_CPU;
	w = kunit_kcalloc(test, s->nthreads, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	mem = vmalloc(GPT_GROUPS_UNITS);
	KUNIT_ASSERT_NOT_NULL(test, mem);
	init_waitqueue_head(&s->wq);
	/* Order 0: one byte per unit, six index groups in one chunk. */
	s->pool = gpt_pool(test, 0, 0, 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(s->pool, (unsigned long)mem,
					      GPT_GROUPS_UNITS, -1), 0);
	s->chunk = list_first_entry(&s->pool->chunks,
				    struct genpool_ext_chunk, next_chunk);

	for_each_online_cpu(cpu) {
		int i;

		for (i = 0; i < GPT_STRESS_PER_CPU; i++, n++) {
			w[n].s = s;
			w[n].id = n;
			w[n].task = kthread_run_on_cpu(gpt_groups_thread, &w[n],
						       cpu, "gpt_groups/%u");
			if (IS_ERR(w[n].task))
				goto stop;
		}
	}
	for (phase = 0; phase < GPT_GROUPS_PHASES; phase++) {
		wait_event(s->wq, atomic_read(&s->arrived) == n * (phase + 1));
		gpt_groups_check(test, s, phase);
		WRITE_ONCE(s->phase, phase + 1);
		wake_up_all(&s->wq);
	}
stop:
	/* On a failed start, let the others run through. */
	WRITE_ONCE(s->phase, GPT_GROUPS_PHASES);
	wake_up_all(&s->wq);
	while (n-- > 0)
		kthread_stop(w[n].task);
	kunit_info(test, "%d threads, %d quiescent checks: %ld allocations, %ld fixed",
		   s->nthreads, GPT_GROUPS_PHASES, atomic_long_read(&s->ops),
		   atomic_long_read(&s->fixed_ok));
	KUNIT_EXPECT_EQ(test, atomic_read(&s->arrived),
			s->nthreads * GPT_GROUPS_PHASES);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->bad), 0);
	KUNIT_EXPECT_GT(test, atomic_long_read(&s->fixed_ok), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_avail(s->pool), GPT_GROUPS_UNITS);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(s->pool), 0);
	KUNIT_EXPECT_EQ(test, gpt_misuse(s->pool), 0);
	vfree(mem);
}

static struct kunit_case genpool_ext_stress_cases[] = {
	KUNIT_CASE_SLOW(genpool_ext_stress_test_threads),
	KUNIT_CASE_SLOW(genpool_ext_stress_test_groups),
	{}
};

static struct kunit_suite genpool_ext_stress_suite = {
	.name = "genpool_ext_stress",
	.test_cases = genpool_ext_stress_cases,
};

#ifdef POOL_EXT_TEST_HOOKS
/* ---------------------------------------------------------------------
 * genpool_ext_race: the interleavings that break a lockless index, each
 * forced at its exact point through the module's test hooks (built with
 * POOL_EXT_TEST_HOOKS=y). Afterwards the index must still promise every
 * free run (genpool_ext_validate()) and place like the kernel's gen_pool.
 */

/* Free every allocation left in a kernel gen_pool chunk. */
static void gpt_kernel_free_chunk(struct gen_pool *kp,
				  struct gen_pool_chunk *chunk, void *data)
{
	unsigned long nbits = (chunk->end_addr - chunk->start_addr + 1) >>
			      kp->min_alloc_order;
	unsigned long b, e;

	for (e = 0; (b = find_next_bit(chunk->bits, nbits, e)) < nbits;) {
		e = find_next_zero_bit(chunk->bits, nbits, b);
		gen_pool_free(kp, chunk->start_addr + (b << kp->min_alloc_order),
			      (e - b) << kp->min_alloc_order);
	}
}

/* gen_pool_destroy() BUGs on a pool with allocations: free them first. */
static void gpt_kernel_empty_destroy(void *kp)
{
	gen_pool_for_each_chunk(kp, gpt_kernel_free_chunk, NULL);
	gen_pool_destroy(kp);
}

/* A pool and a kernel gen_pool over the same made-up range, order 0. */
struct gpt_twin {
	struct genpool_ext *ep;
	struct gen_pool *kp;
	struct genpool_ext_chunk *chunk;
};

static void gpt_twin_init(struct kunit *test, struct gpt_twin *t,
			  unsigned long units)
{
	t->kp = gen_pool_create(0, NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, t->kp);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test,
						  gpt_kernel_empty_destroy,
						  t->kp));
	KUNIT_ASSERT_EQ(test, 0, gen_pool_add(t->kp, FAKE_BASE, units,
					      NUMA_NO_NODE));
	t->ep = gpt_pool(test, 0, FAKE_BASE, units);
	t->chunk = list_first_entry(&t->ep->chunks, struct genpool_ext_chunk,
				    next_chunk);
}

/* Allocate [@off, @off + @nr) in the pool, with the fixed algorithm. */
static unsigned long gpt_ext_fixed(struct genpool_ext *ep, unsigned long off,
				   unsigned long nr)
{
	struct genpool_ext_data_fixed d = { .offset = off };

	return genpool_ext_alloc_algo(ep, nr, genpool_ext_fixed_alloc, &d);
}

/* Allocate [@off, @off + @nr) in both pools. */
static void gpt_twin_fixed(struct kunit *test, struct gpt_twin *t,
			   unsigned long off, unsigned long nr)
{
	struct genpool_data_fixed kd = { .offset = off };

	KUNIT_ASSERT_EQ(test, gpt_ext_fixed(t->ep, off, nr), FAKE_BASE + off);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc_algo(t->kp, nr,
						  gen_pool_fixed_alloc, &kd),
			FAKE_BASE + off);
}

/*
 * The index is consistent, and first fit and best fit of @nr units place
 * as the kernel does (the allocations are freed again in both pools).
 */
static void gpt_twin_expect_same(struct kunit *test, struct gpt_twin *t,
				 unsigned long nr)
{
	unsigned long e, k;

	KUNIT_EXPECT_EQ(test, genpool_ext_validate(t->ep), 0);
	e = genpool_ext_alloc(t->ep, nr);
	k = gen_pool_alloc(t->kp, nr);
	KUNIT_EXPECT_EQ_MSG(test, e, k, "first fit of %lu units", nr);
	if (e)
		genpool_ext_free(t->ep, e, nr);
	if (k)
		gen_pool_free(t->kp, k, nr);
	e = genpool_ext_alloc_algo(t->ep, nr, genpool_ext_best_fit, NULL);
	k = gen_pool_alloc_algo(t->kp, nr, gen_pool_best_fit, NULL);
	KUNIT_EXPECT_EQ_MSG(test, e, k, "best fit of %lu units", nr);
	if (e)
		genpool_ext_free(t->ep, e, nr);
	if (k)
		gen_pool_free(t->kp, k, nr);
}

/* What a hook should do, and what it saw. */
struct gpt_race {
	struct gpt_twin t;
	enum gpx_hook point;
	unsigned long arg;		/* the word or group to act at */
	int calls;			/* hook calls at that point so far */
	unsigned long fixed_off;	/* where it allocates 10 units */
	unsigned long got;		/* the interfering allocation */
	struct task_struct *other;	/* the second search (ABA case) */
	atomic_t step;
};

static void gpt_race_unhook(void *unused)
{
	genpool_ext_test_set_hook(NULL, NULL);
}

static void gpt_race_hook_init(struct kunit *test, struct gpt_race *r,
			       gpx_hook_fn fn, enum gpx_hook point,
			       unsigned long arg)
{
	r->point = point;
	r->arg = arg;
	atomic_set(&r->step, 0);
	genpool_ext_test_set_hook(fn, r);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   gpt_race_unhook,
							   NULL));
}

static bool gpt_race_mine(struct gpt_race *r, enum gpx_hook point,
			  const unsigned long *map, unsigned long arg)
{
	return point == r->point && map == r->t.chunk->bits && arg == r->arg;
}

/*
 * Defect 1: a free releases its range one word at a time. An allocation
 * that lands in a word already released measures the run to its right
 * while later words are still busy; the free must re-measure every run in
 * its range once it has released them all.
 */
static void gpt_race_fixed_hook(void *data, enum gpx_hook point,
				const unsigned long *map, unsigned long arg)
{
	struct gpt_race *r = data;

	if (!gpt_race_mine(r, point, map, arg) || r->calls++)
		return;
	r->got = gpt_ext_fixed(r->t.ep, r->fixed_off, 10);
}

static void genpool_ext_race_test_free_vs_alloc(struct kunit *test)
{
	struct gpt_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	/*
	 * Three groups: a live block [1014, 1224), crossing into group 1,
	 * and 72 free units at the end, so that avail lets an allocation
	 * look while the block is half freed.
	 */
	gpt_twin_init(test, &r->t, 3 * GPX_GROUP_BITS);
	gpt_twin_fixed(test, &r->t, 0, 1014);
	gpt_twin_fixed(test, &r->t, 1014, 210);
	gpt_twin_fixed(test, &r->t, 1224, 3000 - 1224);

	/* Interrupt the free once the word holding 1044 is released. */
	r->fixed_off = 1044;
	gpt_race_hook_init(test, r, gpt_race_fixed_hook, GPX_HOOK_CLEAR_WORD,
			   BIT_WORD(1044));
	genpool_ext_free(r->t.ep, FAKE_BASE + 1014, 210);
	genpool_ext_test_set_hook(NULL, NULL);
	KUNIT_ASSERT_EQ(test, r->calls, 1);
	KUNIT_ASSERT_EQ(test, r->got, FAKE_BASE + 1044);

	gen_pool_free(r->t.kp, FAKE_BASE + 1014, 210);
	KUNIT_ASSERT_EQ(test, gen_pool_alloc_algo(r->t.kp, 10,
						  gen_pool_fixed_alloc,
						  &(struct genpool_data_fixed){
							.offset = 1044 }),
			FAKE_BASE + 1044);
	/* [1054, 1224) is free: the kernel finds 100 units there. */
	gpt_twin_expect_same(test, &r->t, 100);
	gpt_twin_expect_same(test, &r->t, 20);
}

/*
 * Defect 2: two searches tighten group 0 while the free of a 5-unit block
 * makes a run whose bucket is already set. The first tightener must not
 * be able to install a summary it computed before that free.
 */
static int gpt_race_second_search(void *data)
{
	struct gpt_race *r = data;
	unsigned long a = genpool_ext_alloc(r->t.ep, 40);

	if (a)
		genpool_ext_free(r->t.ep, a, 40);
	atomic_set(&r->step, 4);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/* Spin until @r->step reaches @step; under PREEMPT, others still run. */
static bool gpt_race_wait(struct gpt_race *r, int step)
{
	unsigned long timeout = jiffies + 30 * HZ;

	while (atomic_read(&r->step) < step) {
		if (time_after(jiffies, timeout))
			return false;
		cpu_relax();
	}
	return true;
}

static void gpt_race_tighten_hook(void *data, enum gpx_hook point,
				  const unsigned long *map, unsigned long arg)
{
	struct gpt_race *r = data;

	if (!gpt_race_mine(r, point, map, arg))
		return;
	switch (r->calls++) {
	case 0:
		/* First tightener, between its recount and its install. */
		genpool_ext_free(r->t.ep, FAKE_BASE + 100, 5);
		/* Created beforehand: this runs under rcu_read_lock(). */
		wake_up_process(r->other);
		gpt_race_wait(r, 1);
		break;
	case 1:
		/* Second tightener: let the first install, then go on. */
		atomic_set(&r->step, 1);
		gpt_race_wait(r, 2);
		break;
	}
}

static void genpool_ext_race_test_tighten_aba(struct kunit *test)
{
	struct gpt_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, r);
	/*
	 * Two groups. Group 0 ends up all busy but for a live block
	 * [100, 105); on the way its summary saw free runs of 50, 10 and 5
	 * units, so it promises runs that are gone, a 5-unit one among
	 * them. Group 1 keeps two free runs of 30 units: avail lets a
	 * 40-unit search look, and no run can take it.
	 */
	gpt_twin_init(test, &r->t, 2 * GPX_GROUP_BITS);
	gpt_twin_fixed(test, &r->t, 0, 100);
	gpt_twin_fixed(test, &r->t, 150, 1200 - 150);
	gpt_twin_fixed(test, &r->t, 1230, 70);
	gpt_twin_fixed(test, &r->t, 1330, 2 * GPX_GROUP_BITS - 1330);
	gpt_twin_fixed(test, &r->t, 110, 40);
	gpt_twin_fixed(test, &r->t, 100, 5);
	gpt_twin_fixed(test, &r->t, 105, 5);
	KUNIT_ASSERT_EQ(test, genpool_ext_validate(r->t.ep), 0);

	r->other = kthread_create(gpt_race_second_search, r, "gpt_race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(r->other));
	gpt_race_hook_init(test, r, gpt_race_tighten_hook, GPX_HOOK_TIGHTEN, 0);
	/* The first search: misled by the stale 50, it tightens group 0. */
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(r->t.ep, 40), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&r->step), 1);
	atomic_set(&r->step, 2);
	KUNIT_EXPECT_TRUE(test, gpt_race_wait(r, 4));
	genpool_ext_test_set_hook(NULL, NULL);
	kthread_stop(r->other);
	KUNIT_EXPECT_EQ(test, r->calls, 2);

	gen_pool_free(r->t.kp, FAKE_BASE + 100, 5);
	/* The freed block: both place 5 units at offset 100. */
	gpt_twin_expect_same(test, &r->t, 5);
}

/*
 * Defect 3: a recount decides whether the group's first run crossed in
 * from the previous group. An allocation at the group start between that
 * decision and the word scan must not make it drop the next, genuinely
 * interior run.
 */
static void genpool_ext_race_test_recount_skip(struct kunit *test)
{
	struct gpt_race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	unsigned long sum;

	KUNIT_ASSERT_NOT_NULL(test, r);
	/* [1000, 1100) is free and crosses into group 1. */
	gpt_twin_init(test, &r->t, 2 * GPX_GROUP_BITS);
	gpt_twin_fixed(test, &r->t, 0, 1000);
	gpt_twin_fixed(test, &r->t, 1100, 2 * GPX_GROUP_BITS - 1100);

	r->fixed_off = 1020;
	gpt_race_hook_init(test, r, gpt_race_fixed_hook, GPX_HOOK_RECOUNT, 1);
	sum = genpool_ext_test_recount(r->t.chunk, 1);
	genpool_ext_test_set_hook(NULL, NULL);
	KUNIT_ASSERT_EQ(test, r->got, FAKE_BASE + 1020);
	/* The scan saw [1030, 1100) whole: an interior run of 70 units. */
	KUNIT_EXPECT_TRUE(test, sum & BIT(gpx_bucket(70)));
	/* Its buckets are what a quiet recount finds (the edges moved). */
	KUNIT_EXPECT_EQ(test, sum & GPX_SUM_BUCKETS,
			genpool_ext_test_recount(r->t.chunk, 1) &
			GPX_SUM_BUCKETS);

	KUNIT_ASSERT_EQ(test, gen_pool_alloc_algo(r->t.kp, 10,
						  gen_pool_fixed_alloc,
						  &(struct genpool_data_fixed){
							.offset = 1020 }),
			FAKE_BASE + 1020);
	gpt_twin_expect_same(test, &r->t, 70);
}

static struct kunit_case genpool_ext_race_cases[] = {
	KUNIT_CASE(genpool_ext_race_test_free_vs_alloc),
	KUNIT_CASE(genpool_ext_race_test_tighten_aba),
	KUNIT_CASE(genpool_ext_race_test_recount_skip),
	{}
};

static struct kunit_suite genpool_ext_race_suite = {
	.name = "genpool_ext_race",
	.test_cases = genpool_ext_race_cases,
};

kunit_test_suites(&genpool_ext_race_suite);
#endif /* POOL_EXT_TEST_HOOKS */

kunit_test_suites(&genpool_ext_suite, &genpool_ext_misuse_suite,
		  &genpool_ext_diff_suite, &genpool_ext_model_suite,
		  &genpool_ext_index_suite, &genpool_ext_stress_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for genpool_ext");
