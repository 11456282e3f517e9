// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext page hash: the index that makes the check of every free O(1).
 *
 * The checks themselves run inline in dmapool_ext_free() (alloc.c), and a
 * refused free is reported by debug.c; what lives here is the index they
 * rely on, a hash table of page headers keyed by the
 * address of their first byte (see internal.h). It keeps at least two
 * buckets per page and doubles as the pool grows, so a lookup reads one
 * bucket and, almost always, the one header it is looking for, the same
 * header the free then updates. The table is changed only under the pool
 * lock; a bigger table is allocated with the lock dropped and swapped in
 * under it. The frees of magazine pools read it without the lock (see
 * dpx_page_find_lockless()), so a page is published with a release store
 * and a replaced table is freed after an RCU grace period.
 */

#include <linux/device.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/slab.h>

#include "internal.h"

#ifdef DPX_TEST_HOOKS
#include <kunit/visibility.h>
#endif

union dpx_no_page dpx_no_page __ro_after_init;

/* Set up the chain end (internal.h), before any pool exists. */
void __init dpx_no_page_init(void)
{
	memset(&dpx_no_page, 0xff, sizeof(dpx_no_page));
	dpx_no_page.page.hnext = DPX_CHAIN_END;
	dpx_no_page.page.vaddr = NULL;
	dpx_no_page.page.dma = 0;
}

/*
 * dpx_block_start - whether a block of @pool starts @off bytes into a page
 *
 * For the slow paths: the fast path folds this test into the page bitmap
 * (see internal.h).
 */
bool dpx_block_start(const struct dmapool_ext *pool, unsigned long off)
{
	return off < pool->allocation && !(off & pool->gran_mask) &&
	       test_bit(off >> pool->gran_shift, pool->start_map);
}

/*
 * Put @page at the head of its chain in @table. Its link is written
 * before the page is published to lockless lookups (release store), so
 * they see its header whole. Caller holds pool->lock.
 */
static void dpx_hash_link(struct dpx_hash *table,
			  const struct dmapool_ext *pool, struct dpx_page *page)
{
	struct dpx_page **bucket;

	bucket = &table->bucket[dpx_key(pool, (unsigned long)page->vaddr) &
				table->mask];
	WRITE_ONCE(page->hnext, *bucket);
	/* Header and link before the page; pairs with lockless READ_ONCE(). */
	smp_store_release(bucket, page);
}

struct dpx_page *dpx_page_find(const struct dmapool_ext *pool,
			       unsigned long addr)
{
	unsigned long key = dpx_key(pool, addr);
	struct dpx_page *page;
	int i;

	/* A page spans its own key and at most the next one. */
	for (i = 0; i < 2; i++, key--)
		for (page = *dpx_bucket(pool, key); page != DPX_CHAIN_END;
		     page = page->hnext)
			if (dpx_in_page(pool, page, addr))
				return page;
	return NULL;
}

/*
 * dpx_page_find_lockless - dpx_page_find() without the pool lock
 * @pool: the pool
 * @h: the table read from pool->hash (READ_ONCE()) by the caller
 * @addr: the address
 *
 * For the frees of magazine pools, which run with preemption off (or on
 * PREEMPT_RT under a spinlock_t, which holds rcu_read_lock()): an RCU
 * read-side section, so @h stays allocated even if a resize replaces it.
 * A page is visible once dpx_hash_add() has published it with a release
 * store, and its header's geometry (vaddr, dma) never changes after that.
 * A resize relinks the pages into a new table while this may walk the old
 * one, so a walk can cross into a chain of the new table and miss: a
 * miss is not an answer, and the caller retries under the lock. Each
 * resize moves a page once, to a chain of pages already moved, so every
 * walk ends.
 * Return: the page holding @addr, or NULL if none was found.
 */
struct dpx_page *dpx_page_find_lockless(const struct dmapool_ext *pool,
					const struct dpx_hash *h,
					unsigned long addr)
{
	unsigned long key = dpx_key(pool, addr);
	struct dpx_page *page;
	int i;

	for (i = 0; i < 2; i++, key--)
		for (page = READ_ONCE(h->bucket[key & h->mask]);
		     page != DPX_CHAIN_END; page = READ_ONCE(page->hnext))
			if (dpx_in_page(pool, page, addr))
				return page;
	return NULL;
}

/**
 * dpx_hash_alloc - allocate an empty page hash table
 * @bits: log2 of the number of buckets
 * @gfp: GFP flags of the allocation that needs it
 * @node: NUMA node for the table
 *
 * Context: as kmalloc() with @gfp; no pool lock held.
 * Return: an empty table of 2^@bits buckets, or %NULL.
 */
struct dpx_hash *dpx_hash_alloc(unsigned int bits, gfp_t gfp, int node)
{
	struct dpx_hash *table;
	unsigned long b;

	table = kmalloc_node(struct_size(table, bucket, 1UL << bits),
			     (gfp & ~(GFP_ZONEMASK | __GFP_ZERO)) |
			     __GFP_NOWARN, node);
	if (table) {
		table->mask = (1UL << bits) - 1;
		for (b = 0; b < (1UL << bits); b++)
			table->bucket[b] = DPX_CHAIN_END;
	}
	return table;
}

#ifdef DPX_TEST_HOOKS
/* A test forces a resize at a chosen point of a lockless lookup. */
EXPORT_SYMBOL_IF_KUNIT(dpx_hash_alloc);
#endif

/**
 * dpx_hash_resize - make a bigger table the pool's
 * @pool: the pool
 * @table: an empty table from dpx_hash_alloc()
 * @bits: log2 of @table's buckets
 *
 * Move every page into @table and make it the pool's table, unless the
 * pool already has one at least that big (another allocation grew it
 * first).
 *
 * Context: pool->lock held.
 * Return: the table no longer used, for the caller to free once it has
 * dropped the lock: with kfree_rcu() if it was the pool's (a lockless
 * lookup may still read it), with kfree() if it is @table.
 */
struct dpx_hash *dpx_hash_resize(struct dmapool_ext *pool,
				 struct dpx_hash *table, unsigned int bits)
{
	struct dpx_hash *old = pool->hash;
	unsigned int b, old_bits = pool->hash_bits;
	struct dpx_page *page, *next;

	lockdep_assert_held(&pool->lock);
	if (bits <= old_bits)
		return table;
	/*
	 * Fill the new table before publishing it: a lockless lookup that
	 * reads it finds every page. One still walking the old table may
	 * follow a page's new link and miss (dpx_page_find_lockless()).
	 */
	for (b = 0; b < (1U << old_bits); b++) {
		for (page = old->bucket[b]; page != DPX_CHAIN_END;
		     page = next) {
			next = page->hnext;
			dpx_hash_link(table, pool, page);
		}
	}
	/* Chains before the table; pairs with the lockless READ_ONCE(). */
	smp_store_release(&pool->hash, table);
	WRITE_ONCE(pool->hash_bits, bits);
	return old;
}

#ifdef DPX_TEST_HOOKS
EXPORT_SYMBOL_IF_KUNIT(dpx_hash_resize);
#endif

/* Index a page. Caller holds pool->lock. */
void dpx_hash_add(struct dmapool_ext *pool, struct dpx_page *page)
{
	lockdep_assert_held(&pool->lock);
	dpx_hash_link(pool->hash, pool, page);
}
