// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for dmapool_ext.
 *
 * The suites run against a real device on the DMA API (DMA-API debugging
 * is on in the test kernel), so every page the pools take and give back is
 * checked by it too. Some tests look inside a pool (its debugfs directory
 * name, its hash table) through the module's internal header; they only
 * read.
 *
 * Misuse that must warn is wrapped in POOL_EXT_EXPECT_WARN_BEGIN/END with
 * the text the warning must contain; the harness fails the run on any
 * other warning.
 */
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poison.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include <dmapool_ext/dmapool_ext.h>
#include "dmapool_ext/internal.h"
#include "pool_ext_test.h"

static struct device *test_dev;

/* A device the DMA API accepts, outside any bus. */
static struct device *dpt_test_device(const char *name)
{
	struct device *dev;

	/* No owner: the module's sysfs directory does not exist yet. */
	dev = __root_device_register(name, NULL);
	if (IS_ERR(dev))
		return dev;
	dev->dma_mask = &dev->coherent_dma_mask;
	if (dma_set_mask_and_coherent(dev, DMA_BIT_MASK(64))) {
		root_device_unregister(dev);
		return ERR_PTR(-EIO);
	}
	return dev;
}

static void dpt_destroy_action(void *pool)
{
	dmapool_ext_destroy(pool);
}

/* A pool destroyed when the test ends, whatever happens. */
static struct dmapool_ext *dpt_test_pool(struct kunit *test, size_t size,
					 size_t align, size_t boundary)
{
	struct dmapool_ext *pool;

	pool = dmapool_ext_create("kunit", test_dev, size, align, boundary);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   dpt_destroy_action,
							   pool));
	return pool;
}

static struct dmapool_ext_stats dpt_stats(struct dmapool_ext *pool)
{
	struct dmapool_ext_stats st;

	dmapool_ext_get_stats(pool, &st);
	return st;
}

/* Bytes per page and the page alignment, from first principles. */
static size_t dpt_allocation(size_t size)
{
	return max_t(size_t, size, PAGE_SIZE);
}

static unsigned long dpt_stride(size_t size)
{
	return PAGE_SIZE << get_order(dpt_allocation(size));
}

/*
 * Blocks per page by carving a page the slow way: a block fits if it ends
 * at or before the next boundary (exact fit allowed), else skip to it.
 */
static size_t dpt_expected_blocks(size_t size, size_t boundary)
{
	size_t allocation = dpt_allocation(size), off = 0, n = 0;

	if (!boundary || boundary > allocation)
		boundary = allocation;
	while (off + size <= allocation) {
		if (off / boundary != (off + size - 1) / boundary) {
			off = (off / boundary + 1) * boundary;
			continue;
		}
		n++;
		off += size;
	}
	return n;
}

/* ---- creation ---------------------------------------------------------- */

static void dmapool_ext_test_create_invalid(struct kunit *test)
{
	static const struct { size_t size, align, boundary; } bad[] = {
		{ 0, 8, 0 },			/* no size */
		{ (size_t)INT_MAX + 1, 8, 0 },	/* too big */
		{ 64, 24, 0 },			/* align not a power of 2 */
		{ 64, 64, 96 },			/* boundary not a power of 2 */
		{ 128, 64, 64 },		/* boundary below size */
		{ 100, 0, 64 },			/* boundary below size */
	};
	int i;

	POOL_EXT_EXPECT_WARN_BEGIN("dmapool_ext_create");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_NULL_MSG(test,
				      dmapool_ext_create("bad", test_dev,
							 bad[i].size,
							 bad[i].align,
							 bad[i].boundary),
				      "case %d", i);
	KUNIT_EXPECT_NULL(test, dmapool_ext_create("nodev", NULL, 64, 8, 0));
	KUNIT_EXPECT_NULL(test, dmapool_ext_create(NULL, test_dev, 64, 8, 0));
	POOL_EXT_EXPECT_WARN_END("dmapool_ext_create");
}

static void dmapool_ext_test_create_geometry(struct kunit *test)
{
	static const struct { size_t size, align, boundary, want; } cases[] = {
		{ 1, 0, 0, 16 },	/* at least the free-list link */
		{ 10, 1, 0, 16 },
		{ 20, 8, 0, 24 },	/* rounded up to align */
		{ 68, 32, 4096, 96 },
		{ 100, 64, 0, 128 },
		{ 4096, 4096, 0, 4096 },
		{ 5000, 8, 0, 5000 },
	};
	struct dmapool_ext_stats st;
	struct dmapool_ext *pool;
	int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		pool = dmapool_ext_create("geometry", test_dev, cases[i].size,
					  cases[i].align, cases[i].boundary);
		KUNIT_ASSERT_NOT_NULL(test, pool);
		st = dpt_stats(pool);
		KUNIT_EXPECT_EQ_MSG(test, st.size, cases[i].want, "case %d", i);
		KUNIT_EXPECT_EQ(test, st.align, max_t(size_t, cases[i].align, 1));
		KUNIT_EXPECT_EQ(test, st.allocation, dpt_allocation(st.size));
		KUNIT_EXPECT_EQ(test, st.blocks_per_page,
				dpt_expected_blocks(st.size, cases[i].boundary));
		KUNIT_EXPECT_EQ(test, st.blocks_in_use, 0);
		KUNIT_EXPECT_EQ(test, st.blocks_total, 0);
		KUNIT_EXPECT_EQ(test, st.pages, 0);
		dmapool_ext_destroy(pool);
	}
	/* Destroying nothing is fine. */
	dmapool_ext_destroy(NULL);
}

static void dmapool_ext_test_create_node(struct kunit *test)
{
	int nodes[] = { NUMA_NO_NODE, numa_node_id() };
	struct dmapool_ext *pool;
	dma_addr_t dma;
	void *vaddr;
	int i;

	for (i = 0; i < ARRAY_SIZE(nodes); i++) {
		pool = dmapool_ext_create_node("node", test_dev, 64, 64, 0,
					       nodes[i]);
		KUNIT_ASSERT_NOT_NULL(test, pool);
		vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &dma);
		KUNIT_EXPECT_NOT_NULL(test, vaddr);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(dma, 64));
		dmapool_ext_free(pool, vaddr, dma);
		KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
		dmapool_ext_destroy(pool);
	}
}

/* ---- layout: alignment and boundary matrix ----------------------------- */

struct dpt_layout {
	size_t size, align, boundary;
	const char *what;
};

static const struct dpt_layout dpt_layouts[] = {
	{ 16, 16, 0, "16/16" },
	{ 64, 64, 0, "64/64" },
	{ 256, 256, 0, "256/256" },
	{ 1024, 1024, 0, "1024/1024: 4 blocks fill a page" },
	{ 4096, 4096, 0, "4096/4096: one block per page" },
	{ 68, 32, 4096, "68/32 boundary 4096" },
	{ 64, 64, 64, "size == boundary" },
	{ 128, 16, 256, "two blocks end exactly on each boundary" },
	{ 80, 16, 256, "three blocks and a gap per boundary" },
	{ 96, 32, 1024, "odd multiple of the granule, gaps" },
	{ 24, 8, 0, "24/8: tail left over" },
	{ 20, 4, 64, "20/4 boundary 64" },
	{ 17, 1, 0, "odd size, byte alignment" },
	{ 2048, 8, 2048, "size == boundary == half a page" },
	{ 3000, 8, 4096, "one block, tail" },
	{ 8192, 64, 0, "two pages per block" },
	{ 12288, 16, 16384, "three pages per block, 4-page alignment" },
	{ 5000, 8, 8192, "non-2^n multi-page block" },
};

static void dpt_layout_desc(const struct dpt_layout *l, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", l->what);
}

KUNIT_ARRAY_PARAM(dpt_layout, dpt_layouts, dpt_layout_desc);

struct dpt_blk {
	void *vaddr;
	dma_addr_t dma;
};

static void dmapool_ext_test_layout(struct kunit *test)
{
	const struct dpt_layout *l = test->param_value;
	size_t size, bpp, n, i, j;
	struct dmapool_ext_stats st;
	struct dmapool_ext *pool;
	unsigned long stride;
	struct dpt_blk *b;

	pool = dpt_test_pool(test, l->size, l->align, l->boundary);
	st = dpt_stats(pool);
	size = st.size;
	bpp = st.blocks_per_page;
	KUNIT_ASSERT_EQ(test, bpp, dpt_expected_blocks(size, l->boundary));
	stride = dpt_stride(size);
	/* Two full pages and one block of a third. */
	n = 2 * bpp + 1;
	b = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);

	/*
	 * On one CPU: each CPU hands out blocks from its own magazines, so
	 * a test moved mid-way would see another CPU's blocks next, all
	 * correct but not in the order checked here.
	 */
	migrate_disable();
	for (i = 0; i < n; i++) {
		unsigned long va, off;

		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
		va = (unsigned long)b[i].vaddr;
		off = va & (stride - 1);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(va, st.align));
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(b[i].dma, st.align));
		/* The handle is the page's handle plus the block offset. */
		KUNIT_EXPECT_EQ(test, b[i].dma & (stride - 1), off);
		KUNIT_EXPECT_LE(test, off + size, st.allocation);
		if (l->boundary) {
			KUNIT_EXPECT_EQ_MSG(test, off / l->boundary,
					    (off + size - 1) / l->boundary,
					    "block at offset %lu crosses %zu",
					    off, l->boundary);
			KUNIT_EXPECT_EQ(test, b[i].dma / l->boundary,
					(b[i].dma + size - 1) / l->boundary);
		}
		/* Blocks of one page share its base in both address spaces. */
		if (i % bpp) {
			KUNIT_EXPECT_EQ(test, va & ~(stride - 1),
					(unsigned long)b[i - 1].vaddr & ~(stride - 1));
			KUNIT_EXPECT_EQ(test, b[i].dma - off,
					b[i - 1].dma -
					((unsigned long)b[i - 1].vaddr & (stride - 1)));
		}
		memset(b[i].vaddr, (u8)i, size);
	}
	migrate_enable();
	/* No overlap: every block still holds its own stamp. */
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_NULL(test, memchr_inv(b[i].vaddr, (u8)i, size));
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n && j < i + 2 * bpp; j++)
			KUNIT_EXPECT_NE(test, b[i].dma, b[j].dma);

	st = dpt_stats(pool);
	KUNIT_EXPECT_EQ(test, st.pages, 3);
	KUNIT_EXPECT_EQ(test, st.blocks_total, 3 * bpp);
	KUNIT_EXPECT_EQ(test, st.blocks_in_use, n);
	for (i = 0; i < n; i++)
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	st = dpt_stats(pool);
	KUNIT_EXPECT_EQ(test, st.blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 0);
	/* The most off the free lists: in use, plus at most one CPU's cache. */
	KUNIT_EXPECT_GE(test, st.blocks_in_use_max, n);
	KUNIT_EXPECT_LE(test, st.blocks_in_use_max, n + 2 * DPX_MAG_SIZE);
}

/*
 * A pool has the kernel's geometry: from a fresh page, the kernel's
 * dma_pool with the same arguments on the same device places its blocks
 * at the same offsets, so sizes round up the same way (to the kernel's
 * smallest block, then to the alignment) and boundaries cut pages alike.
 */
static void dmapool_ext_test_kernel_geometry(struct kunit *test)
{
	static const struct { size_t size, align, boundary; } cases[] = {
		{ 1, 0, 0 }, { 4, 4, 0 }, { 12, 4, 0 }, { 20, 8, 0 },
		{ 17, 1, 0 }, { 68, 32, 4096 }, { 80, 16, 256 },
		{ 100, 64, 0 }, { 3000, 8, 4096 }, { 5000, 8, 8192 },
	};
	struct dpt_blk *k, *x;
	int c;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct dmapool_ext *pool;
		struct dma_pool *kpool;
		size_t bpp, i;

		pool = dpt_test_pool(test, cases[c].size, cases[c].align,
				     cases[c].boundary);
		kpool = dma_pool_create("kunit", test_dev, cases[c].size,
					cases[c].align, cases[c].boundary);
		KUNIT_ASSERT_NOT_NULL(test, kpool);
		bpp = dpt_stats(pool).blocks_per_page;
		k = kunit_kcalloc(test, bpp, sizeof(*k), GFP_KERNEL);
		x = kunit_kcalloc(test, bpp, sizeof(*x), GFP_KERNEL);
		if (!k || !x) {
			dma_pool_destroy(kpool);
			KUNIT_FAIL(test, "out of memory");
			return;
		}
		/* On one CPU: see dmapool_ext_test_layout(). */
		migrate_disable();
		for (i = 0; i < bpp; i++) {
			k[i].vaddr = dma_pool_alloc(kpool, GFP_KERNEL, &k[i].dma);
			x[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &x[i].dma);
			if (!k[i].vaddr || !x[i].vaddr)
				break;
			KUNIT_EXPECT_EQ_MSG(test, k[i].vaddr - k[0].vaddr,
					    x[i].vaddr - x[0].vaddr,
					    "size %zu align %zu boundary %zu block %zu",
					    cases[c].size, cases[c].align,
					    cases[c].boundary, i);
			KUNIT_EXPECT_EQ(test, k[i].dma - k[0].dma,
					x[i].dma - x[0].dma);
		}
		migrate_enable();
		KUNIT_EXPECT_EQ(test, i, bpp);
		/* After a failed allocation, its partner may need freeing. */
		if (i < bpp)
			i++;
		while (i--) {
			if (k[i].vaddr)
				dma_pool_free(kpool, k[i].vaddr, k[i].dma);
			if (x[i].vaddr)
				dmapool_ext_free(pool, x[i].vaddr, x[i].dma);
		}
		dma_pool_destroy(kpool);
	}
}

/* ---- allocation behaviour ---------------------------------------------- */

static void dmapool_ext_test_ascending(struct kunit *test)
{
	static const struct { size_t size, align, boundary; } cases[] = {
		{ 64, 64, 0 }, { 96, 32, 4096 }, { 80, 16, 256 }, { 16, 16, 0 },
	};
	int c;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		struct dmapool_ext *pool;
		struct dpt_blk *b;
		size_t bpp, i, p;

		pool = dpt_test_pool(test, cases[c].size, cases[c].align,
				     cases[c].boundary);
		bpp = dpt_stats(pool).blocks_per_page;
		b = kunit_kcalloc(test, 2 * bpp, sizeof(*b), GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, b);
		/* On one CPU: see dmapool_ext_test_layout(). */
		migrate_disable();
		for (i = 0; i < 2 * bpp; i++) {
			b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL,
						       &b[i].dma);
			if (!b[i].vaddr)
				break;
		}
		migrate_enable();
		KUNIT_ASSERT_EQ(test, i, 2 * bpp);
		/* Each fresh page, from its first block, in address order. */
		for (p = 0; p < 2; p++) {
			struct dpt_blk *pg = &b[p * bpp];

			KUNIT_EXPECT_TRUE(test, IS_ALIGNED((unsigned long)pg[0].vaddr,
							   PAGE_SIZE));
			for (i = 1; i < bpp; i++) {
				KUNIT_EXPECT_GT(test, (unsigned long)pg[i].vaddr,
						(unsigned long)pg[i - 1].vaddr);
				KUNIT_EXPECT_GT(test, pg[i].dma, pg[i - 1].dma);
				if (!cases[c].boundary)
					KUNIT_EXPECT_EQ(test, pg[i].dma,
							pg[i - 1].dma + cases[c].size);
			}
		}
		for (i = 0; i < 2 * bpp; i++)
			dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	}
}

static void dmapool_ext_test_zalloc(struct kunit *test)
{
	static const size_t sizes[] = { 16, 48, 96, 256, 1000, 1024, 4096 };
	int s, i;

	for (s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct dmapool_ext *pool = dpt_test_pool(test, sizes[s], 8, 0);
		size_t size = dpt_stats(pool).size;
		struct dpt_blk b[4];

		/* Dirty blocks, free them, get them back zeroed. */
		for (i = 0; i < ARRAY_SIZE(b); i++) {
			b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
			KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
			memset(b[i].vaddr, 0xaa, size);
		}
		for (i = 0; i < ARRAY_SIZE(b); i++)
			dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
		for (i = 0; i < ARRAY_SIZE(b); i++) {
			b[i].vaddr = dmapool_ext_zalloc(pool, GFP_KERNEL, &b[i].dma);
			KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
			KUNIT_EXPECT_NULL_MSG(test, memchr_inv(b[i].vaddr, 0, size),
					      "size %zu", size);
		}
		/* __GFP_ZERO through dmapool_ext_alloc() does the same. */
		dmapool_ext_free(pool, b[0].vaddr, b[0].dma);
		memset(b[1].vaddr, 0x55, size);
		dmapool_ext_free(pool, b[1].vaddr, b[1].dma);
		b[1].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL | __GFP_ZERO,
					       &b[1].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[1].vaddr);
		KUNIT_EXPECT_NULL(test, memchr_inv(b[1].vaddr, 0, size));
		for (i = 1; i < ARRAY_SIZE(b); i++)
			dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	}
}

static void dmapool_ext_test_stats(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 256, 64, 0);
	struct dmapool_ext_stats st;
	struct dpt_blk b[40];
	size_t bpp, max;
	int i;

	st = dpt_stats(pool);
	bpp = st.blocks_per_page;
	KUNIT_ASSERT_EQ(test, bpp, PAGE_SIZE / 256);
	KUNIT_EXPECT_EQ(test, st.boundary, PAGE_SIZE);
	KUNIT_EXPECT_FALSE(test, st.debug);
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
		st = dpt_stats(pool);
		KUNIT_EXPECT_EQ(test, st.blocks_in_use, i + 1);
		KUNIT_EXPECT_EQ(test, st.pages, DIV_ROUND_UP(i + 1, bpp));
		KUNIT_EXPECT_EQ(test, st.blocks_total, st.pages * bpp);
		/* Counting the cached blocks: up to 2 * 16 more. */
		KUNIT_EXPECT_GE(test, st.blocks_in_use_max, i + 1);
		KUNIT_EXPECT_LE(test, st.blocks_in_use_max,
				i + 1 + 2 * DPX_MAG_SIZE * num_possible_cpus());
	}
	max = st.blocks_in_use_max;
	for (i = 0; i < ARRAY_SIZE(b) / 2; i++)
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	st = dpt_stats(pool);
	KUNIT_EXPECT_EQ(test, st.blocks_in_use, ARRAY_SIZE(b) / 2);
	KUNIT_EXPECT_EQ(test, st.blocks_in_use_max, max);
	/* the deprecated name reads the same counter */
	KUNIT_EXPECT_EQ(test, st.high_water, max);
	/* Freed blocks are reused before any new page is taken. */
	for (i = 0; i < ARRAY_SIZE(b) / 2; i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
	}
	st = dpt_stats(pool);
	KUNIT_EXPECT_EQ(test, st.pages, DIV_ROUND_UP(ARRAY_SIZE(b), bpp));
	KUNIT_EXPECT_GE(test, st.blocks_in_use_max, max);
	KUNIT_EXPECT_LE(test, st.blocks_in_use_max,
			ARRAY_SIZE(b) + 2 * DPX_MAG_SIZE * num_possible_cpus());
	/* the deprecated name reads the same counter */
	KUNIT_EXPECT_EQ(test, st.high_water, st.blocks_in_use_max);
	for (i = 0; i < ARRAY_SIZE(b); i++)
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	st = dpt_stats(pool);
	KUNIT_EXPECT_EQ(test, st.blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, st.alloc_failures, 0);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 0);
	KUNIT_EXPECT_EQ(test, st.corruptions, 0);
}

/* Enough pages to grow the page index several times; all frees checked. */
static void dmapool_ext_test_many_pages(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, PAGE_SIZE, PAGE_SIZE, 0);
	const int n = 300;
	struct dmapool_ext_stats st;
	struct dpt_blk *b;
	int i;

	b = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < n; i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
	}
	/* At most one page per two buckets. */
	KUNIT_EXPECT_GE(test, 1UL << pool->hash_bits, 2UL * n);
	/* Free in a scrambled order. */
	for (i = 0; i < n; i++) {
		int j = (i * 7) % n;

		dmapool_ext_free(pool, b[j].vaddr, b[j].dma);
	}
	st = dpt_stats(pool);
	KUNIT_EXPECT_EQ(test, st.blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, st.pages, n);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 0);
}

static void dmapool_ext_test_atomic(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 128, 128, 0);
	struct dpt_blk b[3];
	unsigned long flags;
	int i;

	/* A fresh page, with interrupts off: GFP_ATOMIC all the way down. */
	local_irq_save(flags);
	for (i = 0; i < ARRAY_SIZE(b); i++)
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_ATOMIC, &b[i].dma);
	for (i = 0; i < ARRAY_SIZE(b); i++)
		if (b[i].vaddr)
			dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	local_irq_restore(flags);
	for (i = 0; i < ARRAY_SIZE(b); i++)
		KUNIT_EXPECT_NOT_NULL(test, b[i].vaddr);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
}

static void dmapool_ext_test_alloc_failure(struct kunit *test)
{
	struct dmapool_ext *pool;
	struct device *dev;
	dma_addr_t dma = 0x1234;
	void *vaddr;

	dev = dpt_test_device("dmapool_ext_test_tiny");
	KUNIT_ASSERT_FALSE(test, IS_ERR(dev));
	/* No page of memory lies below 4 KiB: every page allocation fails. */
	dev->coherent_dma_mask = DMA_BIT_MASK(12);
	pool = dmapool_ext_create("tiny", dev, 64, 64, 0);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	vaddr = dmapool_ext_alloc(pool, GFP_KERNEL | __GFP_NOWARN, &dma);
	if (vaddr) {
		dmapool_ext_free(pool, vaddr, dma);
		dmapool_ext_destroy(pool);
		root_device_unregister(dev);
		kunit_skip(test, "memory below 4 KiB is allocatable here");
	}
	KUNIT_EXPECT_EQ(test, dma, 0x1234);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).alloc_failures, 1);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).pages, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	dmapool_ext_destroy(pool);
	root_device_unregister(dev);
}

/* ---- bad frees --------------------------------------------------------- */

/*
 * Each bad free is refused with a warning and changes nothing: the victim
 * block, if any, is still in use and frees normally afterwards, and the
 * pool keeps working.
 */
static void dpt_expect_refused(struct kunit *test, struct dmapool_ext *pool,
			       void *vaddr, dma_addr_t dma, const char *why)
{
	struct dmapool_ext_stats before = dpt_stats(pool), after;

	POOL_EXT_EXPECT_WARN_BEGIN("refused free");
	dmapool_ext_free(pool, vaddr, dma);
	POOL_EXT_EXPECT_WARN_END("refused free");
	after = dpt_stats(pool);
	KUNIT_EXPECT_EQ_MSG(test, after.bad_frees, before.bad_frees + 1, "%s", why);
	KUNIT_EXPECT_EQ_MSG(test, after.blocks_in_use, before.blocks_in_use,
			    "%s", why);
	KUNIT_EXPECT_EQ(test, after.blocks_total, before.blocks_total);
}

/* The pool still hands out and takes back blocks, all distinct. */
static void dpt_expect_working(struct kunit *test, struct dmapool_ext *pool,
			       int n)
{
	size_t in_use = dpt_stats(pool).blocks_in_use;
	struct dpt_blk b[8];
	int i, j;

	n = min_t(int, n, ARRAY_SIZE(b));
	for (i = 0; i < n; i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE(test, b[i].vaddr, b[j].vaddr);
	}
	for (i = 0; i < n; i++)
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, in_use);
}

static void dmapool_ext_test_bad_free_foreign(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 64, 64, 0);
	struct dmapool_ext *other = dpt_test_pool(test, 64, 64, 0);
	struct dpt_blk a, o;
	void *heap;

	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	o.vaddr = dmapool_ext_alloc(other, GFP_KERNEL, &o.dma);
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	KUNIT_ASSERT_NOT_NULL(test, o.vaddr);
	heap = kunit_kzalloc(test, 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, heap);

	/* A block of another pool, with its own handle. */
	dpt_expect_refused(test, pool, o.vaddr, o.dma, "other pool");
	/* Only the first refusal of a pool is a full warning. */
	dmapool_ext_free(pool, heap, virt_to_phys(heap));
	dmapool_ext_free(pool, (void *)PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 3);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 1);
	/* Nothing changed in the other pool either. */
	KUNIT_EXPECT_EQ(test, dpt_stats(other).blocks_in_use, 1);
	dpt_expect_working(test, pool, 8);
	dmapool_ext_free(pool, a.vaddr, a.dma);
	dmapool_ext_free(other, o.vaddr, o.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(other).bad_frees, 0);
}

static void dmapool_ext_test_bad_free_dma(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 64, 64, 0);
	struct dpt_blk a, b;

	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	b.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b.dma);
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	KUNIT_ASSERT_NOT_NULL(test, b.vaddr);
	/* Another block's handle, then one off by a block. */
	dpt_expect_refused(test, pool, a.vaddr, b.dma, "swapped handle");
	dmapool_ext_free(pool, a.vaddr, a.dma + 64);
	dmapool_ext_free(pool, a.vaddr, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 3);
	dpt_expect_working(test, pool, 4);
	/* Both blocks were still in use: they free normally. */
	dmapool_ext_free(pool, a.vaddr, a.dma);
	dmapool_ext_free(pool, b.vaddr, b.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 3);
}

static void dmapool_ext_test_bad_free_mid_block(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 96, 32, 4096);
	struct dmapool_ext *gappy = dpt_test_pool(test, 80, 16, 256);
	struct dpt_blk a, g;
	unsigned long tail;

	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	/* Inside the block, with a handle that matches the address. */
	dpt_expect_refused(test, pool, a.vaddr + 32, a.dma + 32, "mid-block");
	dmapool_ext_free(pool, a.vaddr + 8, a.dma + 8);
	dmapool_ext_free(pool, a.vaddr + 95, a.dma + 95);
	/* Past the last block of the page: 42 blocks of 96 bytes, then 64. */
	tail = 42 * 96;
	dmapool_ext_free(pool, a.vaddr + tail, a.dma + tail);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 4);
	dpt_expect_working(test, pool, 8);
	dmapool_ext_free(pool, a.vaddr, a.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);

	/* In the gap a boundary leaves: 3 x 80 bytes, 16 spare, per 256. */
	g.vaddr = dmapool_ext_alloc(gappy, GFP_KERNEL, &g.dma);
	KUNIT_ASSERT_NOT_NULL(test, g.vaddr);
	dpt_expect_refused(test, gappy, g.vaddr + 240, g.dma + 240, "gap");
	dmapool_ext_free(gappy, g.vaddr + 256 + 240, g.dma + 256 + 240);
	KUNIT_EXPECT_EQ(test, dpt_stats(gappy).bad_frees, 2);
	dpt_expect_working(test, gappy, 8);
	dmapool_ext_free(gappy, g.vaddr, g.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(gappy).blocks_in_use, 0);
}

static void dmapool_ext_test_bad_free_double(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 32, 32, 0);
	struct dpt_blk a, b, c;

	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	b.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b.dma);
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	KUNIT_ASSERT_NOT_NULL(test, b.vaddr);
	dmapool_ext_free(pool, a.vaddr, a.dma);
	dpt_expect_refused(test, pool, a.vaddr, a.dma, "double free");
	/* A block never handed out is free (or cached) too. */
	dmapool_ext_free(pool, b.vaddr + 32, b.dma + 32);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 2);
	/*
	 * The free list was not corrupted: a is handed out once, then the
	 * next blocks are all different.
	 */
	c.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &c.dma);
	KUNIT_EXPECT_PTR_EQ(test, c.vaddr, a.vaddr);
	KUNIT_EXPECT_EQ(test, c.dma, a.dma);
	dpt_expect_working(test, pool, 8);
	dmapool_ext_free(pool, c.vaddr, c.dma);
	dmapool_ext_free(pool, b.vaddr, b.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
}

static void dmapool_ext_test_bad_free_big_blocks(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 12288, 16, 0);
	struct dpt_blk a;

	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	/* One block per 3-page allocation: any other offset is wrong. */
	dpt_expect_refused(test, pool, a.vaddr + PAGE_SIZE, a.dma + PAGE_SIZE,
			   "second page of a block");
	dmapool_ext_free(pool, a.vaddr + 12288, a.dma + 12288);
	dmapool_ext_free(pool, a.vaddr, a.dma + 16);
	dmapool_ext_free(pool, a.vaddr, a.dma);
	dmapool_ext_free(pool, a.vaddr, a.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 4);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	dpt_expect_working(test, pool, 3);
}

/* ---- memory aligned to less than its size ----------------------------- */

#ifdef DPX_TEST_HOOKS

/*
 * Behind an IOMMU (vmap()ed buffers), for remapped non-coherent devices
 * and from the atomic pools, dma_alloc_coherent() aligns a buffer larger
 * than a page to a page only. The test kernel has none of these, so a
 * KUnit static stub stands in for the DMA API: it takes a naturally
 * aligned buffer of the size plus the skew and hands the pool the part
 * that starts dpt_skew bytes in. (Not twice the size: with 64 KiB pages a
 * skew of three pages is larger than a 64 KiB block.) A skew that is not
 * a multiple of PAGE_SIZE is a layout no DMA API implementation produces;
 * the pool copes all the same.
 */
static unsigned long dpt_skew;
static unsigned int dpt_skewed_pages;

static void *dpt_skewed_alloc(struct dmapool_ext *pool, dma_addr_t *dma,
			      gfp_t gfp)
{
	void *vaddr = dma_alloc_coherent(pool->dev, pool->allocation + dpt_skew,
					 dma, gfp);

	if (!vaddr)
		return NULL;
	dpt_skewed_pages++;
	*dma += dpt_skew;
	return vaddr + dpt_skew;
}

static void dpt_skewed_free(struct dmapool_ext *pool, void *vaddr,
			    dma_addr_t dma)
{
	dma_free_coherent(pool->dev, pool->allocation + dpt_skew,
			  vaddr - dpt_skew, dma - dpt_skew);
}

struct dpt_skewed {
	size_t size, align;
	unsigned long skew;
	const char *what;
};

static const struct dpt_skewed dpt_skewed_cases[] = {
	{ 8192, 0, PAGE_SIZE, "8 KiB blocks, page-aligned memory" },
	{ 16384, 0, PAGE_SIZE, "16 KiB blocks, page-aligned memory" },
	{ 65536, 0, PAGE_SIZE, "64 KiB blocks, page-aligned memory" },
	{ 65536, 0, 3 * PAGE_SIZE, "64 KiB blocks, three pages off" },
	{ 12288, 16, PAGE_SIZE, "three-page blocks, page-aligned memory" },
	{ 5000, 8, PAGE_SIZE, "5000-byte blocks, page-aligned memory" },
	{ 64, 64, 192, "64-byte blocks, 192 bytes off a page" },
	{ 17, 1, 5, "17-byte blocks, 5 bytes off a page" },
};

static void dpt_skewed_desc(const struct dpt_skewed *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s", c->what);
}

KUNIT_ARRAY_PARAM(dpt_skewed, dpt_skewed_cases, dpt_skewed_desc);

/*
 * The physical address behind a CPU address of a coherent DMA buffer.
 * dma-direct hands a coherent device (x86) a linear-map address, but a
 * non-coherent one (arm64's default: the test device has no
 * "dma-coherent") an uncached vmap() alias of the pages, which
 * virt_to_phys() cannot translate.
 */
static phys_addr_t dpt_cpu_phys(const void *vaddr)
{
	if (is_vmalloc_addr(vaddr))
		return page_to_phys(vmalloc_to_page(vaddr)) + offset_in_page(vaddr);
	return virt_to_phys((void *)vaddr);	/* x86 takes no const */
}

static void dmapool_ext_test_skewed(struct kunit *test)
{
	const struct dpt_skewed *c = test->param_value;
	struct dmapool_ext_stats st;
	struct dmapool_ext *pool;
	size_t n, i, bad = 0;
	unsigned long last;
	struct dpt_blk *b;

	dpt_skew = c->skew;
	dpt_skewed_pages = 0;
	kunit_activate_static_stub(test, dpx_dma_alloc, dpt_skewed_alloc);
	kunit_activate_static_stub(test, dpx_dma_free, dpt_skewed_free);
	pool = dpt_test_pool(test, c->size, c->align, 0);
	st = dpt_stats(pool);
	/* Three pages' worth, and at least 16 blocks. */
	n = max_t(size_t, 3 * st.blocks_per_page, 16);
	b = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);

	for (i = 0; i < n; i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL_MSG(test, b[i].vaddr, "block %zu", i);
		/* dma-direct without an IOMMU: the handle is the address. */
		KUNIT_EXPECT_EQ(test, b[i].dma, dpt_cpu_phys(b[i].vaddr));
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(b[i].dma, st.align));
		memset(b[i].vaddr, (u8)i, st.size);
	}
	st = dpt_stats(pool);
	KUNIT_EXPECT_EQ(test, dpt_skewed_pages, st.pages);
	KUNIT_EXPECT_EQ(test, st.alloc_failures, 0);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_NULL_MSG(test, memchr_inv(b[i].vaddr, (u8)i, st.size),
				      "block %zu overlaps another", i);

	/*
	 * Addresses inside a block are still told from block starts, in
	 * both keys a skewed page spans: just past the start, one page in
	 * (a multi-page block), and the block's last byte.
	 */
	POOL_EXT_EXPECT_WARN_BEGIN("refused free");
	for (i = 0; i < 2; i++) {
		dmapool_ext_free(pool, b[i].vaddr + 1, b[i].dma + 1);
		last = st.size - 1;
		dmapool_ext_free(pool, b[i].vaddr + last, b[i].dma + last);
		bad += 2;
		if (st.size > PAGE_SIZE) {
			dmapool_ext_free(pool, b[i].vaddr + PAGE_SIZE,
					 b[i].dma + PAGE_SIZE);
			bad++;
		}
	}
	POOL_EXT_EXPECT_WARN_END("refused free");
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, bad);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, n);

	/* Every block frees, in a scrambled order, and none twice. */
	for (i = 0; i < n; i++) {
		size_t j = (i * 7) % n;

		if (n % 7 == 0)
			j = i;
		dmapool_ext_free(pool, b[j].vaddr, b[j].dma);
	}
	st = dpt_stats(pool);
	KUNIT_EXPECT_EQ(test, st.blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, st.bad_frees, bad);
	/* The freed blocks are handed out again before any new page. */
	dpt_expect_working(test, pool, 8);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).pages, st.pages);
}

#endif /* DPX_TEST_HOOKS */

/* ---- per-CPU magazines ------------------------------------------------- */

/*
 * A pool with its magazines on. They turn on when the pool lock is found
 * contended, which a test cannot count on: the test hook turns them on
 * the same way.
 */
static struct dmapool_ext *dpt_mag_pool(struct kunit *test, size_t size,
					size_t align, size_t boundary)
{
	struct dmapool_ext *pool = dpt_test_pool(test, size, align, boundary);

#ifdef DPX_TEST_HOOKS
	dpx_test_mags_on(pool);
#else
	kunit_skip(test, "needs the test hooks (POOL_EXT_TEST_HOOKS=y)");
#endif
	KUNIT_ASSERT_TRUE(test, pool->mags_on);
	return pool;
}

/*
 * Blocks whose busy bit is set, in every page of @pool. Caller holds
 * pool->lock.
 */
static size_t dpt_busy_bits(struct dmapool_ext *pool)
{
	struct dpx_page *page;
	unsigned int bkt, i;
	size_t busy = 0;

	for (bkt = 0; bkt <= pool->hash->mask; bkt++)
		for (page = pool->hash->bucket[bkt]; page->vaddr;
		     page = page->hnext)
			for (i = 0; i < pool->map_longs; i++)
				busy += hweight_long(dpx_busy_map(pool, page)[i]);
	return busy;
}

/*
 * A pool used by one task at a time never finds its lock contended: its
 * magazines stay off, and the locked paths keep no busy bit at all.
 */
static void dmapool_ext_test_mag_off_one_cpu(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 64, 64, 0);
	struct dpt_blk b[64];
	size_t busy;
	int i, round;

	for (round = 0; round < 40; round++) {
		for (i = 0; i < ARRAY_SIZE(b); i++) {
			b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL,
						       &b[i].dma);
			KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
		}
		for (i = 0; i < ARRAY_SIZE(b); i++)
			dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	}
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
	}
	spin_lock_irq(&pool->lock);
	busy = dpt_busy_bits(pool);
	spin_unlock_irq(&pool->lock);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(pool->mags_on));
	KUNIT_EXPECT_EQ(test, busy, 0);
	KUNIT_EXPECT_EQ(test, dmapool_ext_blocks_cached(pool), 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, ARRAY_SIZE(b));
	for (i = 0; i < ARRAY_SIZE(b); i++)
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 0);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(pool->mags_on));
}

/*
 * Forced contention: the test holds the pool lock while a kthread on
 * another CPU allocates and frees in a loop; the kthread's locked path
 * finds the lock taken and turns the magazines on. A block allocated
 * before that, which no busy bit marked then, frees once afterwards (on
 * the lockless path) and is refused the second time: the busy maps
 * computed at turn-on say it is in use.
 */
struct dpt_contend {
	struct dmapool_ext *pool;
	struct completion done;
	bool stop;
	unsigned long failed;
};

static int dpt_contend_fn(void *arg)
{
	struct dpt_contend *c = arg;
	struct dpt_blk b;

	while (!READ_ONCE(c->stop)) {
		b.vaddr = dmapool_ext_alloc(c->pool, GFP_KERNEL, &b.dma);
		if (!b.vaddr) {
			c->failed++;
			break;
		}
		dmapool_ext_free(c->pool, b.vaddr, b.dma);
		cond_resched();
	}
	complete(&c->done);
	return 0;
}

static void dmapool_ext_test_mag_contended(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 64, 64, 0);
	struct dpt_contend c = { .pool = pool };
	unsigned long flags, spins;
	bool contended = false;
	struct task_struct *t;
	struct dpt_blk a, x;
	int cpu, tries;

	if (num_online_cpus() < 2)
		kunit_skip(test, "needs two online CPUs");
	init_completion(&c.done);
	/* Before the turn-on: on the locked path, no busy bit. */
	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	x.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &x.dma);
	KUNIT_ASSERT_NOT_NULL(test, x.vaddr);
	dmapool_ext_free(pool, x.vaddr, x.dma);
	KUNIT_ASSERT_FALSE(test, pool->mags_on);

	migrate_disable();
	cpu = cpumask_any_but(cpu_online_mask, smp_processor_id());
	migrate_enable();
	KUNIT_ASSERT_LT(test, cpu, nr_cpu_ids);
	t = kthread_create(dpt_contend_fn, &c, "dpt_contend");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	kthread_bind(t, cpu);
	wake_up_process(t);

	/*
	 * Hold the lock, with short breaks (the other CPU may need this one
	 * to get going), until the kthread waits for it. Not a timeout: the
	 * bounds only keep a broken kernel from hanging the run.
	 */
	for (tries = 0; tries < 1000 && !contended; tries++) {
		spin_lock_irqsave(&pool->lock, flags);
		for (spins = 0; spins < (1UL << 16) &&
		     !(contended = spin_is_contended(&pool->lock)); spins++)
			cpu_relax();
		spin_unlock_irqrestore(&pool->lock, flags);
		cond_resched();
	}
	WRITE_ONCE(c.stop, true);
	wait_for_completion(&c.done);
	KUNIT_ASSERT_TRUE(test, contended);
	KUNIT_ASSERT_EQ(test, c.failed, 0);
	KUNIT_EXPECT_TRUE(test, READ_ONCE(pool->mags_on));

	/* Both frees from a task: the magazines' path first. */
	dmapool_ext_free(pool, a.vaddr, a.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 0);
	dpt_expect_refused(test, pool, a.vaddr, a.dma,
			   "double free of a block allocated before the turn-on");
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 1);
	dpt_expect_working(test, pool, 8);
}

/* Blocks in @cpu's two magazines of @pool. */
static unsigned int dpt_mag_nr(struct dmapool_ext *pool, int cpu)
{
	struct dpx_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

	return READ_ONCE(pc->mags[0].nr) + READ_ONCE(pc->mags[1].nr);
}

/*
 * A free block sitting in a magazine is refused like any free block, and
 * the magazine does not take it twice: it comes back once.
 */
static void dmapool_ext_test_mag_double_free(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_mag_pool(test, 64, 64, 0);
	struct dmapool_ext_stats st;
	struct dpt_blk a, b;
	size_t cached;

	KUNIT_ASSERT_TRUE(test, pool->mags);
	migrate_disable();
	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	dmapool_ext_free(pool, a.vaddr, a.dma);
	st = dpt_stats(pool);
	cached = dmapool_ext_blocks_cached(pool);
	KUNIT_EXPECT_EQ(test, st.blocks_in_use, 0);
	KUNIT_EXPECT_GT(test, cached, 0);
	/* a is on top of this CPU's magazine: free it again, twice. */
	dpt_expect_refused(test, pool, a.vaddr, a.dma, "double free of a cached block");
	dpt_expect_refused(test, pool, a.vaddr, a.dma, "and again");
	KUNIT_EXPECT_EQ(test, dmapool_ext_blocks_cached(pool), cached);
	/* It comes back once; the next block is another one. */
	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	b.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b.dma);
	migrate_enable();
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	KUNIT_ASSERT_NOT_NULL(test, b.vaddr);
	KUNIT_EXPECT_PTR_NE(test, a.vaddr, b.vaddr);
	dmapool_ext_free(pool, a.vaddr, a.dma);
	dmapool_ext_free(pool, b.vaddr, b.dma);
	st = dpt_stats(pool);
	KUNIT_EXPECT_EQ(test, st.blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 2);
}

/*
 * The statistics count a cached block as free and report it as cached, a
 * CPU never caches more than 2 * DPX_MAG_SIZE blocks of a pool, and every
 * block is in use, cached or on its page's free list (checked page by
 * page, with the busy maps).
 */
static void dmapool_ext_test_mag_stats(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_mag_pool(test, 128, 128, 0);
	size_t free_listed = 0, nr_free, busy, i, n = 100;
	struct dmapool_ext_stats st;
	struct dpx_page *page;
	struct dpt_blk *b;
	unsigned int bkt;
	int cpu;

	b = kunit_kcalloc(test, n, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	migrate_disable();
	cpu = smp_processor_id();
	for (i = 0; i < n; i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
		st = dpt_stats(pool);
		KUNIT_EXPECT_EQ(test, st.blocks_in_use, i + 1);
		KUNIT_EXPECT_EQ(test, dmapool_ext_blocks_cached(pool),
				dpt_mag_nr(pool, cpu));
		KUNIT_EXPECT_LE(test, dpt_mag_nr(pool, cpu), 2 * DPX_MAG_SIZE);
	}
	for (i = 0; i < n; i++) {
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
		st = dpt_stats(pool);
		KUNIT_EXPECT_EQ(test, st.blocks_in_use, n - i - 1);
		KUNIT_EXPECT_LE(test, dpt_mag_nr(pool, cpu), 2 * DPX_MAG_SIZE);
		KUNIT_EXPECT_GT(test, dpt_mag_nr(pool, cpu), 0);
	}
	migrate_enable();
	st = dpt_stats(pool);
	KUNIT_EXPECT_GE(test, st.blocks_in_use_max, n);
	KUNIT_EXPECT_LE(test, st.blocks_in_use_max, n + 2 * DPX_MAG_SIZE);
	/* Free on the pages + cached + in use = all; nothing is busy. */
	spin_lock_irq(&pool->lock);
	for (bkt = 0; bkt <= pool->hash->mask; bkt++)
		for (page = pool->hash->bucket[bkt]; page->vaddr;
		     page = page->hnext) {
			nr_free = 0;
			busy = 0;
			for (i = 0; i < pool->map_longs; i++) {
				nr_free += hweight_long(page->free_map[i] &
							pool->start_map[i]);
				busy += hweight_long(dpx_busy_map(pool, page)[i]);
			}
			KUNIT_EXPECT_EQ(test, nr_free, page->nr_free);
			KUNIT_EXPECT_EQ(test, busy, 0);
			free_listed += page->nr_free;
		}
	spin_unlock_irq(&pool->lock);
	KUNIT_EXPECT_EQ(test, free_listed + dmapool_ext_blocks_cached(pool),
			st.blocks_total);
}

/* Blocks left in a CPU's magazines go back to the pages when it goes down. */
struct dpt_on_cpu {
	struct dmapool_ext *pool;
	struct completion done;
};

static int dpt_alloc_free_fn(void *arg)
{
	struct dpt_on_cpu *c = arg;
	struct dpt_blk b[4];
	int i;

	for (i = 0; i < ARRAY_SIZE(b); i++)
		b[i].vaddr = dmapool_ext_alloc(c->pool, GFP_KERNEL, &b[i].dma);
	for (i = 0; i < ARRAY_SIZE(b); i++)
		dmapool_ext_free(c->pool, b[i].vaddr, b[i].dma);
	complete(&c->done);
	return 0;
}

static void dmapool_ext_test_mag_cpu_dead(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_mag_pool(test, 64, 64, 0);
	struct dpt_on_cpu c = { .pool = pool };
	struct task_struct *t;
	size_t cached;
	int cpu = 1, ret;
	unsigned int nr;

	if (!IS_ENABLED(CONFIG_HOTPLUG_CPU) || num_online_cpus() < 2 ||
	    !cpu_online(cpu))
		kunit_skip(test, "needs CPU 1 online and CPU hotplug");
	init_completion(&c.done);
	t = kthread_create(dpt_alloc_free_fn, &c, "dpt_on_cpu");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	kthread_bind(t, cpu);
	wake_up_process(t);
	wait_for_completion(&c.done);
	nr = dpt_mag_nr(pool, cpu);
	KUNIT_ASSERT_GT(test, nr, 0);
	cached = dmapool_ext_blocks_cached(pool);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	ret = remove_cpu(cpu);
	if (ret)
		kunit_skip(test, "CPU %d cannot go offline (%d)", cpu, ret);
	KUNIT_EXPECT_EQ(test, dpt_mag_nr(pool, cpu), 0);
	KUNIT_EXPECT_EQ(test, dmapool_ext_blocks_cached(pool), cached - nr);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, add_cpu(cpu), 0);
	dpt_expect_working(test, pool, 8);
}

#ifdef DPX_TEST_HOOKS
/* Destroy empties the magazines: every page is idle and given back. */
static unsigned int dpt_pages_freed;

static void dpt_count_free(struct dmapool_ext *pool, void *vaddr,
			   dma_addr_t dma)
{
	dpt_pages_freed++;
	dma_free_coherent(pool->dev, pool->allocation, vaddr, dma);
}

static void dmapool_ext_test_mag_destroy(struct kunit *test)
{
	struct dmapool_ext *pool;
	struct dpt_blk b[40];
	size_t pages;
	int i;

	kunit_activate_static_stub(test, dpx_dma_free, dpt_count_free);
	pool = dmapool_ext_create("kunit", test_dev, 1024, 1024, 0);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	dpx_test_mags_on(pool);
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
	}
	for (i = 0; i < ARRAY_SIZE(b); i++)
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	KUNIT_EXPECT_GT(test, dmapool_ext_blocks_cached(pool), 0);
	pages = dpt_stats(pool).pages;
	dpt_pages_freed = 0;
	/* No warning: no block is in use, the cached ones are free. */
	dmapool_ext_destroy(pool);
	KUNIT_EXPECT_EQ(test, dpt_pages_freed, pages);
}

/*
 * Forced interleavings of the lockless paths, through the test points
 * (static stubs of dpx_test_point(), run in the test's own thread).
 *
 * An allocation has popped a block off its magazine but not yet marked
 * it busy: a free of that block (a stray double free by its previous
 * owner) must be refused, and the allocation must still hand the block
 * out, busy, so that it frees exactly once.
 */
static struct dpt_blk dpt_victim;
static int dpt_point_fired;

static void dpt_popped_point(struct dmapool_ext *pool, enum dpx_point point,
			     void *arg)
{
	if (point != DPX_POINT_POPPED || arg != dpt_victim.vaddr ||
	    dpt_point_fired++)
		return;
	dmapool_ext_free(pool, dpt_victim.vaddr, dpt_victim.dma);
}

static void dmapool_ext_test_mag_race_popped(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_mag_pool(test, 64, 64, 0);
	struct dpt_blk a;

	dpt_point_fired = 0;
	migrate_disable();
	dpt_victim.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &dpt_victim.dma);
	KUNIT_ASSERT_NOT_NULL(test, dpt_victim.vaddr);
	dmapool_ext_free(pool, dpt_victim.vaddr, dpt_victim.dma);
	kunit_activate_static_stub(test, dpx_test_point, dpt_popped_point);
	POOL_EXT_EXPECT_WARN_BEGIN("refused free");
	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	POOL_EXT_EXPECT_WARN_END("refused free");
	kunit_deactivate_static_stub(test, dpx_test_point);
	migrate_enable();
	KUNIT_EXPECT_EQ(test, dpt_point_fired, 1);
	KUNIT_EXPECT_PTR_EQ(test, a.vaddr, dpt_victim.vaddr);
	KUNIT_EXPECT_EQ(test, a.dma, dpt_victim.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 1);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 1);
	/* The block is busy, and frees once. */
	dmapool_ext_free(pool, a.vaddr, a.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	dpt_expect_refused(test, pool, a.vaddr, a.dma, "double free");
}

/*
 * A free looks its page up without the pool lock while the hash table is
 * resized. A DMA API stub hands out two pages 16 keys apart: in the first
 * 16-bucket table they share a chain, in the 32-bucket one they do not.
 * At the free's test point, after it has read the old table, the stub
 * resizes; the free then finds the head page of its old chain relinked
 * and misses its own page. It must not refuse the free: it retries under
 * the lock.
 */
static void *dpt_pair_buf;
static dma_addr_t dpt_pair_dma;
static unsigned int dpt_pair_next;
static struct dpx_hash *dpt_new_table, *dpt_old_table;

static void *dpt_pair_alloc(struct dmapool_ext *pool, dma_addr_t *dma,
			    gfp_t gfp)
{
	unsigned long off = dpt_pair_next * 16 * PAGE_SIZE;

	if (dpt_pair_next >= 2)
		return NULL;
	dpt_pair_next++;
	*dma = dpt_pair_dma + off;
	return dpt_pair_buf + off;
}

static void dpt_pair_free(struct dmapool_ext *pool, void *vaddr,
			  dma_addr_t dma)
{
}

static void dpt_pair_buf_free(void *unused)
{
	dma_free_coherent(test_dev, 17 * PAGE_SIZE, dpt_pair_buf, dpt_pair_dma);
}

static void dpt_resize_point(struct dmapool_ext *pool, enum dpx_point point,
			     void *arg)
{
	unsigned long flags;

	if (point != DPX_POINT_LOOKUP || dpt_point_fired++)
		return;
	spin_lock_irqsave(&pool->lock, flags);
	dpt_old_table = dpx_hash_resize(pool, dpt_new_table,
					DPX_HASH_BITS_MIN + 1);
	spin_unlock_irqrestore(&pool->lock, flags);
}

static void dmapool_ext_test_mag_race_resize(struct kunit *test)
{
	struct dmapool_ext *pool;
	struct dpt_blk *b;
	size_t bpp, i;

	dpt_pair_buf = dma_alloc_coherent(test_dev, 17 * PAGE_SIZE,
					  &dpt_pair_dma, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dpt_pair_buf);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   dpt_pair_buf_free,
							   NULL));
	dpt_pair_next = 0;
	dpt_point_fired = 0;
	kunit_activate_static_stub(test, dpx_dma_alloc, dpt_pair_alloc);
	kunit_activate_static_stub(test, dpx_dma_free, dpt_pair_free);
	pool = dpt_mag_pool(test, 64, 64, 0);
	KUNIT_ASSERT_EQ(test, pool->hash_bits, DPX_HASH_BITS_MIN);
	bpp = dpt_stats(pool).blocks_per_page;
	b = kunit_kcalloc(test, bpp + 1, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	/* The first page whole, and one block of the second. */
	migrate_disable();
	for (i = 0; i <= bpp; i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
	}
	migrate_enable();
	KUNIT_ASSERT_EQ(test, dpt_stats(pool).pages, 2);
	KUNIT_ASSERT_PTR_EQ(test, b[0].vaddr, dpt_pair_buf);
	dpt_new_table = dpx_hash_alloc(DPX_HASH_BITS_MIN + 1, GFP_KERNEL,
				       NUMA_NO_NODE);
	KUNIT_ASSERT_NOT_NULL(test, dpt_new_table);
	kunit_activate_static_stub(test, dpx_test_point, dpt_resize_point);
	dmapool_ext_free(pool, b[0].vaddr, b[0].dma);
	kunit_deactivate_static_stub(test, dpx_test_point);
	KUNIT_EXPECT_EQ(test, dpt_point_fired, 1);
	KUNIT_EXPECT_PTR_NE(test, dpt_old_table, dpt_new_table);
	/* The old table is no longer reachable: no reader is left. */
	synchronize_rcu();
	kfree(dpt_old_table);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, bpp);
	for (i = 1; i <= bpp; i++)
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 0);
}

#endif /* DPX_TEST_HOOKS */

static void dmapool_ext_test_null(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 64, 64, 0);
	dma_addr_t dma;

	/* Freeing NULL is a no-op, not an error. */
	dmapool_ext_free(pool, NULL, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 0);
	POOL_EXT_EXPECT_WARN_BEGIN("dmapool_ext_alloc");
	KUNIT_EXPECT_NULL(test, dmapool_ext_alloc(NULL, GFP_KERNEL, &dma));
	POOL_EXT_EXPECT_WARN_END("dmapool_ext_alloc");
	POOL_EXT_EXPECT_WARN_BEGIN("dmapool_ext_free");
	dmapool_ext_free(NULL, &dma, 0);
	POOL_EXT_EXPECT_WARN_END("dmapool_ext_free");
}

/* ---- poisoning --------------------------------------------------------- */

/*
 * Set the module parameter @param: "debug", or "poison", its deprecated
 * old name, which must still work.
 */
static int dpt_set_param(const char *param, bool on)
{
	char path[64];
	struct file *f;
	loff_t pos = 0;
	ssize_t ret;

	snprintf(path, sizeof(path), "/sys/module/dmapool_ext/parameters/%s",
		 param);
	f = filp_open(path, O_WRONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_write(f, on ? "1\n" : "0\n", 2, &pos);
	filp_close(f, NULL);
	return ret == 2 ? 0 : -EIO;
}

static void dpt_poison_off_action(void *unused)
{
	dpt_set_param("debug", false);
}

static void dmapool_ext_test_poison(struct kunit *test)
{
	struct dmapool_ext *pool, *plain, *old;
	struct dpt_blk a, b, c;
	u8 *p;

	if (dpt_set_param("debug", true))
		kunit_skip(test, "cannot set /sys/module/dmapool_ext/parameters/debug");
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test,
							   dpt_poison_off_action,
							   NULL));
	pool = dpt_test_pool(test, 64, 64, 0);
	KUNIT_ASSERT_EQ(test, dpt_set_param("debug", false), 0);
	/* A pool keeps the setting it was created with. */
	plain = dpt_test_pool(test, 64, 64, 0);
	KUNIT_EXPECT_TRUE(test, dpt_stats(pool).debug);
	KUNIT_EXPECT_FALSE(test, dpt_stats(plain).debug);
	/* The old parameter name sets the same switch; the old field reads it. */
	KUNIT_ASSERT_EQ(test, dpt_set_param("poison", true), 0);
	old = dpt_test_pool(test, 64, 64, 0);
	KUNIT_ASSERT_EQ(test, dpt_set_param("poison", false), 0);
	KUNIT_EXPECT_TRUE(test, dpt_stats(old).debug);
	KUNIT_EXPECT_TRUE(test, dpt_stats(old).poison);

	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	p = a.vaddr;
	/* Handed out poisoned as allocated, unless it must be zeroed. */
	if (!want_init_on_alloc(GFP_KERNEL))
		KUNIT_EXPECT_NULL(test, memchr_inv(p, POOL_POISON_ALLOCATED, 64));
	dmapool_ext_free(pool, a.vaddr, a.dma);
	/* Freed: poisoned, every byte (the pool keeps nothing in a block). */
	KUNIT_EXPECT_NULL(test, memchr_inv(p, POOL_POISON_FREED, 64));
	/* Clean round trips report nothing. */
	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	KUNIT_ASSERT_PTR_EQ(test, a.vaddr, (void *)p);
	dmapool_ext_free(pool, a.vaddr, a.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).corruptions, 0);

	/* A write after free is caught when the block is handed out again. */
	p[40] = 0;
	POOL_EXT_EXPECT_WARN_BEGIN("corrupted while free");
	b.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b.dma);
	POOL_EXT_EXPECT_WARN_END("corrupted while free");
	KUNIT_ASSERT_PTR_EQ(test, b.vaddr, (void *)p);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).corruptions, 1);
	/* zalloc still zeroes a poisoning pool's block. */
	dmapool_ext_free(pool, b.vaddr, b.dma);
	c.vaddr = dmapool_ext_zalloc(pool, GFP_KERNEL, &c.dma);
	KUNIT_ASSERT_NOT_NULL(test, c.vaddr);
	KUNIT_EXPECT_NULL(test, memchr_inv(c.vaddr, 0, 64));
	dmapool_ext_free(pool, c.vaddr, c.dma);
	/* A second corruption is counted, reported without a backtrace. */
	p[63] = 0x5a;
	b.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).corruptions, 2);
	dmapool_ext_free(pool, b.vaddr, b.dma);
	/* A whole fresh page of poisoned blocks, none reported. */
	dpt_expect_working(test, pool, 8);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).corruptions, 2);

	/* The pool created with poisoning off does not check. */
	a.vaddr = dmapool_ext_alloc(plain, GFP_KERNEL, &a.dma);
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	dmapool_ext_free(plain, a.vaddr, a.dma);
	((u8 *)a.vaddr)[40] = 0;
	b.vaddr = dmapool_ext_alloc(plain, GFP_KERNEL, &b.dma);
	KUNIT_EXPECT_EQ(test, dpt_stats(plain).corruptions, 0);
	dmapool_ext_free(plain, b.vaddr, b.dma);
}

/* ---- writes to free blocks --------------------------------------------- */

static void dpt_fill_words(unsigned long *w, size_t bytes, unsigned long v)
{
	size_t i;

	for (i = 0; i < bytes / sizeof(*w); i++)
		w[i] = v;
}

static const bool dpt_overwrite_poison[] = { false, true };

static void dpt_overwrite_desc(const bool *poison, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%s",
		 *poison ? "poisoning pool" : "plain pool");
}

KUNIT_ARRAY_PARAM(dpt_overwrite, dpt_overwrite_poison, dpt_overwrite_desc);

/*
 * A free block is DMA memory: the device can still write to it (a late
 * completion, a stale descriptor), and so can a driver's use after free.
 * Nothing the pool relies on may live there. This overwrites the first
 * bytes of a free block with what is most dangerous to a pool that kept
 * its free list in the blocks, as this one did before issue 12: a link
 * to a kernel buffer (the victim), then a page pointer to a decoy whose
 * every word is the block's own address. Such a pool follows them into
 * the decoy and the victim (built so that this stays inside them) and
 * hands out the victim and wrong DMA addresses. The pool must hand out
 * only its own blocks, with their own DMA addresses, leave the decoys and
 * the victim alone and stay usable; a poisoning pool also reports the
 * write, once.
 */
static void dmapool_ext_test_free_block_overwritten(struct kunit *test)
{
	const bool poison = *(const bool *)test->param_value;
	unsigned long *victim, *decoy, *decoy2, *copy, base;
	const size_t len = 256, n = 8;
	struct dmapool_ext *pool;
	struct dpt_blk a, b, *got;
	dma_addr_t base_dma;
	size_t i, j;

	if (poison) {
		if (dpt_set_param("debug", true))
			kunit_skip(test, "cannot set /sys/module/dmapool_ext/parameters/poison");
		KUNIT_ASSERT_EQ(test, 0,
				kunit_add_action_or_reset(test,
							  dpt_poison_off_action,
							  NULL));
	}
	pool = dpt_test_pool(test, 64, 64, 0);
	dpt_set_param("debug", false);
	KUNIT_ASSERT_EQ(test, dpt_stats(pool).poison, poison);
	victim = kunit_kmalloc(test, len, GFP_KERNEL);
	decoy = kunit_kmalloc(test, len, GFP_KERNEL);
	decoy2 = kunit_kmalloc(test, len, GFP_KERNEL);
	copy = kunit_kmalloc(test, 3 * len, GFP_KERNEL);
	got = kunit_kcalloc(test, n, sizeof(*got), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, victim);
	KUNIT_ASSERT_NOT_NULL(test, decoy);
	KUNIT_ASSERT_NOT_NULL(test, decoy2);
	KUNIT_ASSERT_NOT_NULL(test, copy);
	KUNIT_ASSERT_NOT_NULL(test, got);

	/* The first two blocks of a fresh page. */
	a.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &a.dma);
	b.vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b.dma);
	KUNIT_ASSERT_NOT_NULL(test, a.vaddr);
	KUNIT_ASSERT_NOT_NULL(test, b.vaddr);
	base = (unsigned long)a.vaddr;
	base_dma = a.dma;
	KUNIT_ASSERT_TRUE(test, IS_ALIGNED(base, PAGE_SIZE));

	/* The victim links to nothing; its page is a decoy over itself. */
	dpt_fill_words(decoy, len, base);
	dpt_fill_words(victim, len, (unsigned long)decoy2);
	victim[0] = 0;
	dpt_fill_words(decoy2, len, (unsigned long)victim);
	memcpy(copy, victim, len);
	memcpy((u8 *)copy + len, decoy, len);
	memcpy((u8 *)copy + 2 * len, decoy2, len);

	dmapool_ext_free(pool, a.vaddr, a.dma);
	((unsigned long *)a.vaddr)[0] = (unsigned long)victim;
	((unsigned long *)a.vaddr)[1] = (unsigned long)decoy;

	if (poison)
		POOL_EXT_EXPECT_WARN_BEGIN("corrupted while free");
	for (i = 0; i < n; i++) {
		got[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &got[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, got[i].vaddr);
	}
	if (poison)
		POOL_EXT_EXPECT_WARN_END("corrupted while free");

	/* The overwritten block itself comes back first: it is the lowest. */
	KUNIT_EXPECT_PTR_EQ(test, got[0].vaddr, a.vaddr);
	for (i = 0; i < n; i++) {
		unsigned long off = (unsigned long)got[i].vaddr - base;

		KUNIT_EXPECT_LT_MSG(test, off, PAGE_SIZE,
				    "allocation %zu outside the pool's page", i);
		KUNIT_EXPECT_TRUE(test, IS_ALIGNED(off, 64));
		KUNIT_EXPECT_EQ_MSG(test, got[i].dma, base_dma + off,
				    "allocation %zu", i);
		KUNIT_EXPECT_PTR_NE(test, got[i].vaddr, b.vaddr);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_PTR_NE(test, got[i].vaddr, got[j].vaddr);
	}
	KUNIT_EXPECT_EQ(test, 0, memcmp(copy, victim, len));
	KUNIT_EXPECT_EQ(test, 0, memcmp((u8 *)copy + len, decoy, len));
	KUNIT_EXPECT_EQ(test, 0, memcmp((u8 *)copy + 2 * len, decoy2, len));
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).corruptions, poison ? 1 : 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).pages, 1);

	/* Give back only what is really the pool's, then keep using it. */
	for (i = 0; i < n; i++)
		if ((unsigned long)got[i].vaddr - base < PAGE_SIZE)
			dmapool_ext_free(pool, got[i].vaddr, got[i].dma);
	dmapool_ext_free(pool, b.vaddr, b.dma);
	dpt_expect_working(test, pool, 8);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats(pool).bad_frees, 0);
}

/* ---- destruction ------------------------------------------------------- */

static void dmapool_ext_test_destroy_busy(struct kunit *test)
{
	struct dmapool_ext *pool;
	struct dpt_blk *b, keep;
	unsigned long base;
	char warning[64];
	size_t bpp, i;

	pool = dmapool_ext_create("busy", test_dev, 64, 64, 0);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	bpp = dpt_stats(pool).blocks_per_page;
	/* 64 on 4 KiB pages, 1024 on arm64's 64 KiB ones. */
	KUNIT_ASSERT_EQ(test, bpp, PAGE_SIZE / 64);
	b = kunit_kcalloc(test, 2 * bpp, sizeof(*b), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, b);
	for (i = 0; i < 2 * bpp; i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
	}
	/* Keep one block of the first page; the second page goes idle. */
	keep = b[3];
	for (i = 0; i < 2 * bpp; i++)
		if (i != 3)
			dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	snprintf(warning, sizeof(warning),
		 "1 of %zu blocks busy; leaking 1 of 2 pages", 2 * bpp);
	POOL_EXT_EXPECT_WARN_BEGIN(warning);
	dmapool_ext_destroy(pool);
	POOL_EXT_EXPECT_WARN_END(warning);
	/*
	 * The busy page was left alone, still mapped: the block is intact
	 * and the page can be handed back to the DMA API by its owner.
	 */
	memset(keep.vaddr, 0x3c, 64);
	base = (unsigned long)keep.vaddr & PAGE_MASK;
	dma_free_coherent(test_dev, PAGE_SIZE, (void *)base,
			  keep.dma - ((unsigned long)keep.vaddr - base));
}

/*
 * The leakers of the next test: out of line, with work after the call (no
 * tail call), so that each is the caller the pool records.
 */
static noinline void dpt_leak_xmit(struct dmapool_ext *pool,
				   struct dpt_blk *b)
{
	b->vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b->dma);
}

static noinline void dpt_leak_rx(struct dmapool_ext *pool, struct dpt_blk *b)
{
	b->vaddr = dmapool_ext_zalloc(pool, GFP_KERNEL, &b->dma);
}

/*
 * With the checks on (module parameter "debug"), the busy blocks are
 * listed by caller in debugfs ("leaks"), and a destroy prints the same
 * lines after its warning (checked in the log, tests/expected-log).
 */
static void dmapool_ext_test_leak_callers(struct kunit *test)
{
	char path[96], warning[64], *buf, *xmit, *rx;
	struct dmapool_ext *pool;
	struct dpt_blk b[5];
	unsigned long base;
	ssize_t n;
	int i;

	if (dpt_set_param("debug", true))
		kunit_skip(test, "cannot set /sys/module/dmapool_ext/parameters/debug");
	pool = dmapool_ext_create("leaky", test_dev, 64, 64, 0);
	dpt_set_param("debug", false);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < 3; i++)
		dpt_leak_xmit(pool, &b[i]);
	dpt_leak_rx(pool, &b[3]);
	/* Freed again: must not be listed. */
	dpt_leak_rx(pool, &b[4]);
	for (i = 0; i < 5; i++)
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
	dmapool_ext_free(pool, b[4].vaddr, b[4].dma);

	snprintf(path, sizeof(path), "/sys/kernel/debug/dmapool_ext/leaky-%u/leaks",
		 pool->id);
	n = pool_ext_read_debugfs(test, path, buf, 1024);
	if (n >= 0) {
		xmit = strstr(buf, "3 blocks (192 bytes) from dpt_leak_xmit+0x");
		rx = strstr(buf, "1 blocks (64 bytes) from dpt_leak_rx+0x");
		KUNIT_EXPECT_NOT_NULL_MSG(test, xmit, "%s", buf);
		KUNIT_EXPECT_NOT_NULL_MSG(test, rx, "%s", buf);
		KUNIT_EXPECT_TRUE(test, xmit && rx && xmit < rx);
		KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "total: 4 blocks (256 bytes)\n"));
	}
	/* 64 blocks a page on 4 KiB pages, 1024 on arm64's 64 KiB ones. */
	snprintf(warning, sizeof(warning),
		 "4 of %lu blocks busy; leaking 1 of 1 pages", PAGE_SIZE / 64);
	POOL_EXT_EXPECT_WARN_BEGIN(warning);
	dmapool_ext_destroy(pool);
	POOL_EXT_EXPECT_WARN_END(warning);
	/* The leaked page goes back to the DMA API here, as its owner would. */
	base = (unsigned long)b[0].vaddr & PAGE_MASK;
	dma_free_coherent(test_dev, PAGE_SIZE, (void *)base,
			  b[0].dma - ((unsigned long)b[0].vaddr - base));
	if (n < 0)
		kunit_skip(test, "cannot read %s (%zd)", path, n);
}

/* ---- debugfs ----------------------------------------------------------- */

/* A pool's stats file, read as user space reads it. */
static ssize_t dpt_read_stats(struct kunit *test, const char *dir,
			      unsigned int id, char *buf, size_t len)
{
	char dname[DPX_NAME_LEN + 12];

	snprintf(dname, sizeof(dname), "%s-%u", dir, id);
	return pool_ext_read_stats(test, "dmapool_ext", dname, buf, len);
}

static void dmapool_ext_test_debugfs(struct kunit *test)
{
	struct dmapool_ext *pool;
	struct dpt_blk b[5];
	char want[32];
	unsigned int id;
	char *buf;
	ssize_t n;
	int i;

	pool = dmapool_ext_create("dbg/fs", test_dev, 100, 32, 1024);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	buf = kunit_kzalloc(test, 1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < ARRAY_SIZE(b); i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
	}
	dmapool_ext_free(pool, b[0].vaddr, b[0].dma);
	/* A '/' cannot be in a directory name: it becomes '_'. */
	id = pool->id;
	n = dpt_read_stats(test, "dbg_fs", id, buf, 1024);
	if (n < 0) {
		for (i = 1; i < ARRAY_SIZE(b); i++)
			dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
		dmapool_ext_destroy(pool);
		kunit_skip(test, "cannot read the stats file (%zd)", n);
	}
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "name: dbg/fs\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "device: dmapool_ext_test\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nblock_size: 128\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "align: 32\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "boundary: 1024\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "blocks_in_use: 4\n"));
	/* Eight 128-byte blocks per 1 KiB boundary, one page (4 or 64 KiB). */
	snprintf(want, sizeof(want), "blocks_total: %lu\n", PAGE_SIZE / 1024 * 8);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, want));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "pages: 1\n"));
	/*
	 * The peak counts the blocks cached with those in use (at least
	 * 5); the cached ones are reported apart, as the API reports them.
	 */
	KUNIT_EXPECT_GE(test, dpt_stats(pool).blocks_in_use_max, 5);
	snprintf(want, sizeof(want), "blocks_in_use_max: %zu\n",
		 dpt_stats(pool).blocks_in_use_max);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, want));
	snprintf(want, sizeof(want), "blocks_cached: %zu\n",
		 dmapool_ext_blocks_cached(pool));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, want));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "alloc_failures: 0\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "bad_frees: 0\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "corruptions: 0\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "debug: 0\n"));
	for (i = 1; i < ARRAY_SIZE(b); i++)
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	dmapool_ext_destroy(pool);
	/* The directory went with the pool. */
	KUNIT_EXPECT_EQ(test, dpt_read_stats(test, "dbg_fs", id, buf, 1024),
			-ENOENT);
}

/* Free blocks on the pages' free lists of @pool (not cached, not busy). */
static size_t dpt_free_listed(struct dmapool_ext *pool)
{
	struct dpx_page *page;
	unsigned int bkt;
	size_t n = 0;

	spin_lock_irq(&pool->lock);
	for (bkt = 0; bkt <= pool->hash->mask; bkt++)
		for (page = pool->hash->bucket[bkt]; page->vaddr;
		     page = page->hnext)
			n += page->nr_free;
	spin_unlock_irq(&pool->lock);
	return n;
}

/* The value of @key in the stats text @buf; fails the test if absent. */
static long long dpt_stats_key(struct kunit *test, const char *buf,
			       const char *key)
{
	long long v = -1;

	KUNIT_EXPECT_EQ_MSG(test, pool_ext_stats_value(buf, key, &v), 0,
			    "no \"%s\" line in:\n%s", key, buf);
	return v;
}

/*
 * The stats file reports a pool's magazines: "magazines" is 0 until they
 * turn on and 1 after, and "blocks_cached" is the number of blocks in
 * all CPUs' magazines, which count as free: blocks in use, cached and on
 * the pages' free lists add up to all the pool's blocks.
 */
static void dmapool_ext_test_mag_debugfs(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 64, 64, 0);
	size_t total = PAGE_SIZE / 64, cached;
	struct dpt_blk b[2];
	unsigned int id = pool->id;
	int cpu, i;
	char *buf;
	ssize_t n;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	n = dpt_read_stats(test, "kunit", id, buf, PAGE_SIZE);
	if (n < 0)
		kunit_skip(test, "cannot read the stats file (%zd)", n);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "magazines"), 0);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "blocks_cached"), 0);
#ifdef DPX_TEST_HOOKS
	dpx_test_mags_on(pool);
#else
	kunit_skip(test, "needs the test hooks (POOL_EXT_TEST_HOOKS=y)");
#endif

	/*
	 * On one CPU. The first allocation finds no page and adds one; the
	 * second finds both of this CPU's magazines empty, fills them from
	 * that page's 63 free blocks (2 * DPX_MAG_SIZE of them) and pops
	 * one: 2 * DPX_MAG_SIZE - 1 stay cached.
	 */
	migrate_disable();
	cpu = smp_processor_id();
	for (i = 0; i < ARRAY_SIZE(b); i++)
		b[i].vaddr = dmapool_ext_alloc(pool, GFP_KERNEL, &b[i].dma);
	migrate_enable();
	for (i = 0; i < ARRAY_SIZE(b); i++)
		KUNIT_ASSERT_NOT_NULL(test, b[i].vaddr);
	KUNIT_ASSERT_GT(test, dpt_read_stats(test, "kunit", id, buf, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "magazines"), 1);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "blocks_cached"),
			2 * DPX_MAG_SIZE - 1);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "blocks_cached"),
			dpt_mag_nr(pool, cpu));
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "blocks_in_use"), 2);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "blocks_total"), total);
	KUNIT_EXPECT_EQ(test, 2 + dpt_stats_key(test, buf, "blocks_cached") +
			dpt_free_listed(pool), total);

	/* Freed, maybe on another CPU: counted across all of them. */
	for (i = 0; i < ARRAY_SIZE(b); i++)
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
	cached = 0;
	for_each_possible_cpu(cpu)
		cached += dpt_mag_nr(pool, cpu);
	KUNIT_ASSERT_GT(test, dpt_read_stats(test, "kunit", id, buf, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "magazines"), 1);
	KUNIT_EXPECT_GT(test, cached, 0);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "blocks_cached"),
			cached);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "blocks_in_use"), 0);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "blocks_cached") +
			dpt_free_listed(pool), total);
	KUNIT_EXPECT_EQ(test, dpt_stats_key(test, buf, "bad_frees"), 0);
}

/* ---- device-managed pools ---------------------------------------------- */

/* Whether the pool's debugfs directory exists: it lives as long as it. */
static bool dpt_debugfs_has(const char *name, unsigned int id)
{
	char dname[DPX_NAME_LEN + 12];

	snprintf(dname, sizeof(dname), "%s-%u", name, id);
	return pool_ext_debugfs_has("dmapool_ext", dname);
}

static void dmapool_ext_test_devm(struct kunit *test)
{
	struct dmapool_ext *pool, *early;
	unsigned int id, early_id;
	struct dentry *root;
	struct device *dev;
	struct dpt_blk b;

	root = debugfs_lookup("dmapool_ext", NULL);
	if (!root)
		kunit_skip(test, "no debugfs");
	dput(root);
	dev = dpt_test_device("dmapool_ext_test_devm");
	KUNIT_ASSERT_FALSE(test, IS_ERR(dev));

	pool = devm_dmapool_ext_create("managed", dev, 64, 64, 0);
	KUNIT_ASSERT_NOT_NULL(test, pool);
	id = pool->id;
	early = devm_dmapool_ext_create("early", dev, 32, 32, 0);
	KUNIT_ASSERT_NOT_NULL(test, early);
	early_id = early->id;
	b.vaddr = dmapool_ext_zalloc(pool, GFP_KERNEL, &b.dma);
	KUNIT_ASSERT_NOT_NULL(test, b.vaddr);
	dmapool_ext_free(pool, b.vaddr, b.dma);
	KUNIT_EXPECT_TRUE(test, dpt_debugfs_has("managed", id));

	/* Destroyed on request, and dropped from the device's resources. */
	devm_dmapool_ext_destroy(early);
	KUNIT_EXPECT_FALSE(test, dpt_debugfs_has("early", early_id));
	devm_dmapool_ext_destroy(NULL);

	/* The device goes away: the remaining pool goes with it. */
	root_device_unregister(dev);
	KUNIT_EXPECT_FALSE(test, dpt_debugfs_has("managed", id));
}

static void dmapool_ext_test_devm_misuse(struct kunit *test)
{
	struct dmapool_ext *pool = dpt_test_pool(test, 64, 64, 0);

	POOL_EXT_EXPECT_WARN_BEGIN("devm_dmapool_ext_create");
	KUNIT_EXPECT_NULL(test, devm_dmapool_ext_create("x", NULL, 64, 64, 0));
	POOL_EXT_EXPECT_WARN_END("devm_dmapool_ext_create");
	/* Not managed: refused, and the pool is left working. */
	POOL_EXT_EXPECT_WARN_BEGIN("not a managed pool");
	devm_dmapool_ext_destroy(pool);
	POOL_EXT_EXPECT_WARN_END("not a managed pool");
	dpt_expect_working(test, pool, 4);
	/* Invalid arguments fail as for dmapool_ext_create(). */
	POOL_EXT_EXPECT_WARN_BEGIN("dmapool_ext_create");
	KUNIT_EXPECT_NULL(test, devm_dmapool_ext_create("x", test_dev, 64, 3, 0));
	POOL_EXT_EXPECT_WARN_END("dmapool_ext_create");
}

/* ---- device lifetime --------------------------------------------------- */

struct dpt_owner {
	struct device dev;
	struct dmapool_ext *pool;
	bool *released;
};

static void dpt_owner_release(struct device *dev)
{
	struct dpt_owner *o = container_of(dev, struct dpt_owner, dev);

	dmapool_ext_destroy(o->pool);
	*o->released = true;
	kfree(o);
}

/*
 * Like the kernel's dma_pool, a pool holds no reference on its device, so
 * a driver may destroy it from the device's release callback: a reference
 * held by the pool would keep that callback from ever running, and both
 * would leak.
 */
static void dmapool_ext_test_destroy_in_release(struct kunit *test)
{
	bool released = false;
	struct dpt_owner *o;
	struct dpt_blk b;
	unsigned int id;

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, o);
	o->released = &released;
	device_initialize(&o->dev);
	o->dev.release = dpt_owner_release;
	o->dev.dma_mask = &o->dev.coherent_dma_mask;
	if (dev_set_name(&o->dev, "dmapool_ext_test_owner") ||
	    dma_set_mask_and_coherent(&o->dev, DMA_BIT_MASK(64))) {
		put_device(&o->dev);
		KUNIT_FAIL(test, "cannot set up the device");
		return;
	}
	o->pool = dmapool_ext_create("owned", &o->dev, 64, 64, 0);
	if (!o->pool) {
		put_device(&o->dev);
		KUNIT_FAIL(test, "cannot create the pool");
		return;
	}
	id = o->pool->id;
	b.vaddr = dmapool_ext_alloc(o->pool, GFP_KERNEL, &b.dma);
	KUNIT_EXPECT_NOT_NULL(test, b.vaddr);
	dmapool_ext_free(o->pool, b.vaddr, b.dma);

	/* The last reference: the device goes, and the pool with it. */
	put_device(&o->dev);
	KUNIT_EXPECT_TRUE(test, released);
	KUNIT_EXPECT_FALSE(test, dpt_debugfs_has("owned", id));
}

/* ---- concurrency ------------------------------------------------------- */

#define DPT_STRESS_THREADS_PER_CPU	3
#define DPT_STRESS_ROUNDS		400
#define DPT_STRESS_HELD			16

struct dpt_stress {
	struct dmapool_ext *pool;
	size_t size;
	atomic_t errors;
	atomic_long_t irq_ops;
};

/* Stamp a block with its owner, round and handle; check the stamp later. */
static void dpt_stamp(void *vaddr, size_t size, u32 tag, dma_addr_t dma)
{
	pool_ext_stamp(vaddr, size, tag ^ (u32)dma);
}

static bool dpt_stamp_ok(void *vaddr, size_t size, u32 tag, dma_addr_t dma)
{
	return pool_ext_stamp_ok(vaddr, size, tag ^ (u32)dma);
}

static int dpt_stress_fn(void *arg, unsigned int id)
{
	struct dpt_stress *s = arg;
	struct dpt_blk held[DPT_STRESS_HELD];
	u32 tags[DPT_STRESS_HELD];
	int round, i, n;

	for (round = 0; round < DPT_STRESS_ROUNDS; round++) {
		n = 1 + get_random_u32_below(DPT_STRESS_HELD);
		for (i = 0; i < n; i++) {
			gfp_t gfp = (i & 1) ? GFP_ATOMIC : GFP_KERNEL;

			held[i].vaddr = dmapool_ext_alloc(s->pool, gfp,
							  &held[i].dma);
			if (!held[i].vaddr) {
				atomic_inc(&s->errors);
				n = i;
				break;
			}
			tags[i] = (id << 24) ^ (round << 8) ^ i;
			dpt_stamp(held[i].vaddr, s->size, tags[i], held[i].dma);
		}
		if (!(round % 8))
			cond_resched();
		/* Free in a different order than allocated. */
		for (i = n - 1; i >= 0; i--) {
			int j = (i + round) % n;

			if (!dpt_stamp_ok(held[j].vaddr, s->size, tags[j],
					  held[j].dma))
				atomic_inc(&s->errors);
		}
		for (i = 0; i < n; i++) {
			int j = (i * 5 + round) % n;

			if (n % 5 == 0)
				j = i;
			dmapool_ext_free(s->pool, held[j].vaddr, held[j].dma);
		}
	}
	return 0;
}

/*
 * Interrupt context users: an allocation and a free per timer tick. The
 * timer is not a _HARD one: the pool lock is a spinlock_t, which
 * PREEMPT_RT turns into a sleeping lock, so there interrupt-time users run
 * in softirq or threaded context, as this timer then does; elsewhere it
 * still expires in hard interrupt context. (A _HARD timer made the 7.2
 * debug kernel's lockdep, with PROVE_RAW_LOCK_NESTING, report an invalid
 * wait context.)
 */
static void dpt_stress_tick(void *arg)
{
	struct dpt_stress *s = arg;
	dma_addr_t dma;
	void *vaddr;

	vaddr = dmapool_ext_alloc(s->pool, GFP_ATOMIC, &dma);
	if (vaddr) {
		dpt_stamp(vaddr, s->size, 0xffffffff, dma);
		if (!dpt_stamp_ok(vaddr, s->size, 0xffffffff, dma))
			atomic_inc(&s->errors);
		dmapool_ext_free(s->pool, vaddr, dma);
		atomic_long_inc(&s->irq_ops);
	}
}

static void dmapool_ext_test_stress(struct kunit *test)
{
	int nthreads = DPT_STRESS_THREADS_PER_CPU * num_online_cpus();
	struct pool_ext_stress h = {
		.thread = dpt_stress_fn,
		.tick = dpt_stress_tick,
		.per_cpu = DPT_STRESS_THREADS_PER_CPU,
		.period_ns = 500 * NSEC_PER_USEC,
	};
	struct dmapool_ext_stats st;
	struct dpt_stress *s;
	int started;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	/* 20 blocks a page: the threads race to add pages and grow the index. */
	s->pool = dpt_test_pool(test, 200, 8, 0);
	s->size = dpt_stats(s->pool).block_size;
	h.arg = s;
	started = pool_ext_stress_run(test, &h);
	KUNIT_EXPECT_EQ(test, started, nthreads);

	st = dpt_stats(s->pool);
	KUNIT_EXPECT_EQ(test, atomic_read(&s->errors), 0);
	KUNIT_EXPECT_EQ(test, st.blocks_in_use, 0);
	KUNIT_EXPECT_EQ(test, st.bad_frees, 0);
	KUNIT_EXPECT_EQ(test, st.corruptions, 0);
	KUNIT_EXPECT_LE(test, st.blocks_in_use_max, nthreads * DPT_STRESS_HELD + 1 +
			2 * DPX_MAG_SIZE * num_possible_cpus());
	KUNIT_EXPECT_EQ(test, st.blocks_total, st.pages * st.blocks_per_page);
	kunit_info(test, "%d threads, %ld interrupt-context round trips, high water %zu, %zu pages\n",
		   nthreads, atomic_long_read(&s->irq_ops), st.blocks_in_use_max,
		   st.pages);
}

/* ---- suite ------------------------------------------------------------- */

static int dmapool_ext_suite_init(struct kunit_suite *suite)
{
	test_dev = dpt_test_device("dmapool_ext_test");
	if (IS_ERR(test_dev)) {
		int err = PTR_ERR(test_dev);

		test_dev = NULL;
		return err;
	}
	return 0;
}

static void dmapool_ext_suite_exit(struct kunit_suite *suite)
{
	if (test_dev)
		root_device_unregister(test_dev);
	test_dev = NULL;
}

/* dmapool_ext_create: creation arguments, geometry and block layout. */
static struct kunit_case dmapool_ext_create_cases[] = {
	KUNIT_CASE(dmapool_ext_test_create_invalid),
	KUNIT_CASE(dmapool_ext_test_create_geometry),
	KUNIT_CASE(dmapool_ext_test_create_node),
	KUNIT_CASE(dmapool_ext_test_kernel_geometry),
	KUNIT_CASE_PARAM(dmapool_ext_test_layout, dpt_layout_gen_params),
	{}
};

static struct kunit_suite dmapool_ext_create_suite = {
	.name = "dmapool_ext_create",
	.suite_init = dmapool_ext_suite_init,
	.suite_exit = dmapool_ext_suite_exit,
	.test_cases = dmapool_ext_create_cases,
};

/* dmapool_ext_alloc: allocation behaviour, statistics and page-aligned-only memory. */
static struct kunit_case dmapool_ext_alloc_cases[] = {
	KUNIT_CASE(dmapool_ext_test_ascending),
	KUNIT_CASE(dmapool_ext_test_zalloc),
	KUNIT_CASE(dmapool_ext_test_stats),
	KUNIT_CASE(dmapool_ext_test_many_pages),
	KUNIT_CASE(dmapool_ext_test_atomic),
	KUNIT_CASE(dmapool_ext_test_alloc_failure),
#ifdef DPX_TEST_HOOKS
	KUNIT_CASE_PARAM(dmapool_ext_test_skewed, dpt_skewed_gen_params),
#endif
	KUNIT_CASE(dmapool_ext_test_null),
	{}
};

static struct kunit_suite dmapool_ext_alloc_suite = {
	.name = "dmapool_ext_alloc",
	.suite_init = dmapool_ext_suite_init,
	.suite_exit = dmapool_ext_suite_exit,
	.test_cases = dmapool_ext_alloc_cases,
};

/* dmapool_ext_bad_free: frees the pool refuses. */
static struct kunit_case dmapool_ext_bad_free_cases[] = {
	KUNIT_CASE(dmapool_ext_test_bad_free_foreign),
	KUNIT_CASE(dmapool_ext_test_bad_free_dma),
	KUNIT_CASE(dmapool_ext_test_bad_free_mid_block),
	KUNIT_CASE(dmapool_ext_test_bad_free_double),
	KUNIT_CASE(dmapool_ext_test_bad_free_big_blocks),
	{}
};

static struct kunit_suite dmapool_ext_bad_free_suite = {
	.name = "dmapool_ext_bad_free",
	.suite_init = dmapool_ext_suite_init,
	.suite_exit = dmapool_ext_suite_exit,
	.test_cases = dmapool_ext_bad_free_cases,
};

/* dmapool_ext_debug: the debug checks: poisoning and writes to free blocks. */
static struct kunit_case dmapool_ext_debug_cases[] = {
	KUNIT_CASE(dmapool_ext_test_poison),
	KUNIT_CASE_PARAM(dmapool_ext_test_free_block_overwritten,
			 dpt_overwrite_gen_params),
	{}
};

static struct kunit_suite dmapool_ext_debug_suite = {
	.name = "dmapool_ext_debug",
	.suite_init = dmapool_ext_suite_init,
	.suite_exit = dmapool_ext_suite_exit,
	.test_cases = dmapool_ext_debug_cases,
};

/* dmapool_ext_lifetime: destruction, debugfs, device-managed pools and device lifetime. */
static struct kunit_case dmapool_ext_lifetime_cases[] = {
	KUNIT_CASE(dmapool_ext_test_destroy_busy),
	KUNIT_CASE(dmapool_ext_test_leak_callers),
	KUNIT_CASE(dmapool_ext_test_debugfs),
	KUNIT_CASE(dmapool_ext_test_devm),
	KUNIT_CASE(dmapool_ext_test_devm_misuse),
	KUNIT_CASE(dmapool_ext_test_destroy_in_release),
	{}
};

static struct kunit_suite dmapool_ext_lifetime_suite = {
	.name = "dmapool_ext_lifetime",
	.suite_init = dmapool_ext_suite_init,
	.suite_exit = dmapool_ext_suite_exit,
	.test_cases = dmapool_ext_lifetime_cases,
};

/* dmapool_ext_mag: the per-CPU magazines and their lockless paths. */
static struct kunit_case dmapool_ext_mag_cases[] = {
	KUNIT_CASE(dmapool_ext_test_mag_off_one_cpu),
	KUNIT_CASE(dmapool_ext_test_mag_contended),
	KUNIT_CASE(dmapool_ext_test_mag_double_free),
	KUNIT_CASE(dmapool_ext_test_mag_stats),
	KUNIT_CASE(dmapool_ext_test_mag_cpu_dead),
	KUNIT_CASE(dmapool_ext_test_mag_debugfs),
#ifdef DPX_TEST_HOOKS
	KUNIT_CASE(dmapool_ext_test_mag_destroy),
	KUNIT_CASE(dmapool_ext_test_mag_race_popped),
	KUNIT_CASE(dmapool_ext_test_mag_race_resize),
#endif
	{}
};

static struct kunit_suite dmapool_ext_mag_suite = {
	.name = "dmapool_ext_mag",
	.suite_init = dmapool_ext_suite_init,
	.suite_exit = dmapool_ext_suite_exit,
	.test_cases = dmapool_ext_mag_cases,
};

/* dmapool_ext_stress: threads and an interrupt-time user on one pool. */
static struct kunit_case dmapool_ext_stress_cases[] = {
	KUNIT_CASE_SLOW(dmapool_ext_test_stress),
	{}
};

static struct kunit_suite dmapool_ext_stress_suite = {
	.name = "dmapool_ext_stress",
	.suite_init = dmapool_ext_suite_init,
	.suite_exit = dmapool_ext_suite_exit,
	.test_cases = dmapool_ext_stress_cases,
};

kunit_test_suites(&dmapool_ext_create_suite,
		  &dmapool_ext_alloc_suite,
		  &dmapool_ext_bad_free_suite,
		  &dmapool_ext_debug_suite,
		  &dmapool_ext_lifetime_suite,
		  &dmapool_ext_mag_suite,
		  &dmapool_ext_stress_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for dmapool_ext");
#ifdef DPX_TEST_HOOKS
/* MODULE_IMPORT_NS() wants an identifier before 6.13 and a string after. */
MODULE_INFO(import_ns, "EXPORTED_FOR_KUNIT_TESTING");
#endif
