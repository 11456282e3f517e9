// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for genpool_ext, part of genpool_ext_test.ko (the file
 * list is in genpool_ext_test.h): the index suite genpool_ext_index.
 */
#include <kunit/test.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <genpool_ext/genpool_ext.h>
/* White-box parts (index layout) use the module's internal constants. */
#include <genpool_ext/internal.h>
#include <genpool_ext/index.h>

#include "genpool_ext_test.h"

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
	/*
	 * A request nothing can hold: every group is ruled out cheaply, and
	 * the failed search then rescans the bitmap once (one read a word)
	 * to lower the chunk's longest-run hint, which the next search of
	 * that size reads instead of the chunk.
	 */
	cost = gpt_search_cost(test, pool, 128 << 6, genpool_ext_best_fit, 0);
	kunit_info(test, "no fit: %lu words of %lu", cost, all);
	KUNIT_EXPECT_LE(test, cost * 5, all * 6);
	cost = gpt_search_cost(test, pool, 128 << 6, genpool_ext_best_fit, 0);
	kunit_info(test, "no fit again: %lu words", cost);
	KUNIT_EXPECT_EQ(test, cost, 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
}

#define GPT_CHUNK_UNITS	4096UL

/*
 * Add @nchunks chunks of GPT_CHUNK_UNITS units at order 6 from FAKE_BASE
 * up, all busy but a 1-unit hole every 10 units, and in the chunk at
 * FAKE_BASE (added first, so searched last) an 8-unit hole at unit 2000.
 */
static void gpt_holey_chunks(struct kunit *test, struct genpool_ext *pool,
			     int nchunks)
{
	unsigned long csize = GPT_CHUNK_UNITS << 6, u;
	int c;

	for (c = 0; c < nchunks; c++)
		KUNIT_ASSERT_EQ(test, 0, genpool_ext_add(pool,
							 FAKE_BASE + c * csize,
							 csize, NUMA_NO_NODE));
	for (c = 0; c < nchunks; c++)
		KUNIT_ASSERT_NE(test, genpool_ext_alloc(pool, csize), 0);
	for (c = 0; c < nchunks; c++)
		for (u = 5; u < GPT_CHUNK_UNITS; u += 10)
			if (c || u < 2000 || u >= 2008)
				genpool_ext_free(pool, FAKE_BASE + c * csize +
						 (u << 6), 64);
	genpool_ext_free(pool, FAKE_BASE + (2000 << 6), 8 << 6);
	KUNIT_ASSERT_EQ(test, genpool_ext_validate(pool), 0);
}

/*
 * The chunk hints (issue 16, target 5): with 64 chunks, a search for 8
 * units that only the last chunk searched can hold reads, once the first
 * search has lowered the others' hints, exactly what the same search
 * reads in a pool of that chunk alone. Without the hints it reads each
 * chunk's summaries on the way.
 */
static void genpool_ext_index_test_chunks_skipped(struct kunit *test)
{
	struct genpool_ext *many = gpt_pool(test, 6, 0, 0);
	struct genpool_ext *one = gpt_pool(test, 6, 0, 0);
	unsigned long want = FAKE_BASE + (2000 << 6), cost_many, cost_one;
	int k;

	gpt_holey_chunks(test, many, 64);
	gpt_holey_chunks(test, one, 1);
	for (k = 0; k < 2; k++) {
		genpool_ext_algo_t algo = k ? genpool_ext_best_fit :
					      genpool_ext_first_fit;

		/* The first search lowers the hints; the second is timed. */
		gpt_search_cost(test, many, 8 << 6, algo, want);
		gpt_search_cost(test, one, 8 << 6, algo, want);
		cost_many = gpt_search_cost(test, many, 8 << 6, algo, want);
		cost_one = gpt_search_cost(test, one, 8 << 6, algo, want);
		kunit_info(test, "%s: 64 chunks %lu words, one chunk %lu",
			   k ? "best fit" : "first fit", cost_many, cost_one);
		KUNIT_EXPECT_EQ(test, cost_many, cost_one);
	}
	/* gpt_pool()'s clean-up frees what is left allocated. */
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(many), 0);
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(one), 0);
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

/*
 * A free next to a free run longer than a group, then an allocation that
 * no run can hold, over and over: the free measures the run as far as the
 * chunk's longest-run hint reaches, sees that the hint already covers it
 * and leaves the hint alone, so each failing allocation passes the chunk
 * over at one read. Measuring one group each side, the free raised the
 * hint to the chunk's size every time, and every failing allocation then
 * searched the chunk and rescanned it to lower the hint again.
 */
static void genpool_ext_index_test_free_by_long_run(struct kunit *test)
{
	unsigned long units = 8 * GPX_GROUP_BITS, u, a, before, cost;
	struct genpool_ext *pool = gpt_pool(test, 6, FAKE_BASE, units);
	struct genpool_ext_data_fixed last = { .offset = 2499 << 6 };
	int k;

	/* All busy but [1000, 2500) and one unit in ten elsewhere. */
	KUNIT_ASSERT_EQ(test, genpool_ext_alloc(pool, units << 6), FAKE_BASE);
	genpool_ext_free(pool, FAKE_BASE + (1000 << 6), 1500 << 6);
	for (u = 5; u < units; u += 10)
		if (u < 990 || u > 2510)
			genpool_ext_free(pool, FAKE_BASE + (u << 6), 64);
	/* The first failing search lowers the hint to 1,500 units. */
	KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 2000 << 6), 0);
	for (k = 0; k < 3; k++) {
		a = genpool_ext_alloc_algo(pool, 64, genpool_ext_fixed_alloc,
					   &last);
		KUNIT_ASSERT_EQ(test, a, FAKE_BASE + (2499 << 6));
		genpool_ext_free(pool, a, 64);
		before = gpt_words(pool);
		KUNIT_EXPECT_EQ(test, genpool_ext_alloc(pool, 2000 << 6), 0);
		cost = gpt_words(pool) - before;
		kunit_info(test, "cycle %d: the failing allocation read %lu words",
			   k, cost);
		KUNIT_EXPECT_EQ(test, cost, 0);
	}
	KUNIT_EXPECT_EQ(test, genpool_ext_validate(pool), 0);
	/* gpt_pool()'s clean-up frees what is left allocated. */
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
	KUNIT_CASE(genpool_ext_index_test_chunks_skipped),
	KUNIT_CASE(genpool_ext_index_test_free_by_long_run),
	{}
};

static struct kunit_suite genpool_ext_index_suite = {
	.name = "genpool_ext_index",
	.test_cases = genpool_ext_index_cases,
};

kunit_test_suites(&genpool_ext_index_suite);
