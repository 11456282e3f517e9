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
 * header the free then updates. The table is only ever read or changed
 * under the pool lock; a bigger table is allocated with the lock dropped
 * and swapped in under it.
 */

#include <linux/device.h>
#include <linux/init.h>
#include <linux/slab.h>

#include "internal.h"

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

/* Return: an empty table of 2^@bits buckets, or NULL. */
struct dpx_page **dpx_hash_alloc(unsigned int bits, gfp_t gfp, int node)
{
	struct dpx_page **table;
	unsigned long b;

	table = kmalloc_array_node(1UL << bits, sizeof(*table),
				   (gfp & ~(GFP_ZONEMASK | __GFP_ZERO)) |
				   __GFP_NOWARN, node);
	if (table)
		for (b = 0; b < (1UL << bits); b++)
			table[b] = DPX_CHAIN_END;
	return table;
}

/*
 * Move every page into @table, of 2^@bits buckets, and make it the pool's
 * table, unless the pool already has one at least that big (another
 * allocation grew it first). Caller holds pool->lock.
 * Return: the table that is no longer used, for the caller to kfree()
 * once it has dropped the lock.
 */
struct dpx_page **dpx_hash_resize(struct dmapool_ext *pool,
				  struct dpx_page **table, unsigned int bits)
{
	struct dpx_page **old = pool->hash, *page, *next;
	unsigned int b, old_bits = pool->hash_bits;

	lockdep_assert_held(&pool->lock);
	if (bits <= old_bits)
		return table;
	pool->hash = table;
	WRITE_ONCE(pool->hash_bits, bits);
	pool->hash_mask = (1UL << bits) - 1;
	for (b = 0; b < (1U << old_bits); b++) {
		for (page = old[b]; page != DPX_CHAIN_END; page = next) {
			next = page->hnext;
			dpx_hash_add(pool, page);
		}
	}
	return old;
}

/* Index a page. Caller holds pool->lock. */
void dpx_hash_add(struct dmapool_ext *pool, struct dpx_page *page)
{
	struct dpx_page **bucket;

	lockdep_assert_held(&pool->lock);
	bucket = dpx_bucket(pool, dpx_key(pool, (unsigned long)page->vaddr));
	page->hnext = *bucket;
	*bucket = page;
}
