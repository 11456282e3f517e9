// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for genpool_ext, part of genpool_ext_test.ko (the file
 * list is in genpool_ext_test.h): the suites genpool_ext (the API) and
 * genpool_ext_misuse, and the helpers the other files share.
 */
#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/dcache.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <genpool_ext/genpool_ext.h>
/* White-box parts (index layout) use the module's internal constants. */
#include <genpool_ext/internal.h>
#include <genpool_ext/index.h>

#include "genpool_ext_test.h"

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
struct genpool_ext *gpt_pool(struct kunit *test, int order,
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

unsigned long gpt_misuse(struct genpool_ext *pool)
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

/*
 * The leakers of the next test: out of line, and with work after the
 * call, so that each is the caller the pool records (no tail call).
 */
static noinline void gpt_leak_xmit(struct genpool_ext *pool,
				   unsigned long *addr)
{
	*addr = genpool_ext_alloc(pool, 64);
}

static noinline void gpt_leak_rx(struct genpool_ext *pool,
				 unsigned long *addr)
{
	*addr = genpool_ext_alloc(pool, 128);
}

/*
 * With the debug checks on, the live allocations are listed by caller in
 * debugfs ("leaks"), and a destroy prints the same lines after its
 * warning (checked in the log by the harness, see tests/expected-log).
 */
static void genpool_ext_misuse_test_leak_callers(struct kunit *test)
{
	struct genpool_ext *pool = genpool_ext_create(5, NUMA_NO_NODE);
	unsigned long a[5];
	char path[80], *buf, *xmit, *rx;
	ssize_t n;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, genpool_ext_set_debug(pool, true), 0);
	KUNIT_ASSERT_EQ(test, genpool_ext_add(pool, FAKE_BASE, 4096, -1), 0);
	buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 3; i++) {
		gpt_leak_xmit(pool, &a[i]);
		KUNIT_ASSERT_NE(test, a[i], 0);
	}
	gpt_leak_rx(pool, &a[3]);
	/* Freed again: must not be listed. */
	gpt_leak_rx(pool, &a[4]);
	genpool_ext_free(pool, a[4], 128);

	snprintf(path, sizeof(path), "/sys/kernel/debug/genpool_ext/pool-%u/leaks",
		 pool->id);
	n = pool_ext_read_debugfs(test, path, buf, 1024);
	if (n >= 0) {
		/* Most bytes first. */
		xmit = strstr(buf, "3 blocks (192 bytes) from gpt_leak_xmit+0x");
		rx = strstr(buf, "1 blocks (128 bytes) from gpt_leak_rx+0x");
		KUNIT_EXPECT_NOT_NULL_MSG(test, xmit, "%s", buf);
		KUNIT_EXPECT_NOT_NULL_MSG(test, rx, "%s", buf);
		KUNIT_EXPECT_TRUE(test, xmit && rx && xmit < rx);
		KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "total: 4 blocks (320 bytes)\n"));
	}
	POOL_EXT_EXPECT_WARN_BEGIN("with 1 outstanding allocation ranges (320 bytes)");
	genpool_ext_destroy(pool);
	POOL_EXT_EXPECT_WARN_END("with 1 outstanding allocation ranges (320 bytes)");
	if (n < 0)
		kunit_skip(test, "cannot read %s (%zd)", path, n);
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
	KUNIT_CASE(genpool_ext_misuse_test_leak_callers),
	KUNIT_CASE(genpool_ext_misuse_test_null_pool),
	{}
};

static struct kunit_suite genpool_ext_misuse_suite = {
	.name = "genpool_ext_misuse",
	.test_cases = genpool_ext_misuse_cases,
};

kunit_test_suites(&genpool_ext_suite, &genpool_ext_misuse_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for genpool_ext");
