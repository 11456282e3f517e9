/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmapool_ext internals shared by the module's source files. Not for
 * drivers: they use <dmapool_ext/dmapool_ext.h>.
 *
 * Layout of a pool
 * ----------------
 * A "page" is one dma_alloc_coherent() allocation of pool->allocation
 * bytes (at least PAGE_SIZE), carved into blocks of pool->size bytes that
 * never cross a multiple of the boundary. dma_alloc_coherent() aligns the
 * memory it returns to the smallest power-of-two number of pages that
 * holds the request, so any address inside a page, shifted right by
 * pool->page_shift, gives the same key: the page's number. The key finds
 * the page's header (struct dpx_page) in a small hash table, which is how
 * a free finds its page in O(1) without trusting anything stored in DMA
 * memory. The table doubles as the pool grows, keeping at least two
 * buckets per page, so a lookup nearly always reads one bucket and one
 * header.
 *
 * Each page header holds the page's addresses and a bitmap with one bit
 * per granule of the page, where the granule is the largest power of two
 * dividing the block size (the size itself when it is a power of two):
 * every block starts on a granule. A block's bit is set while the block
 * is free; the bits of granules where no block starts (inside blocks, in
 * the gaps before boundaries, past the last block) are set for good. So
 * a free needs one shift to find its bit, and "bit already set" catches a
 * double free and an address inside a block alike, with no division and
 * no branch; only a refused free works out which it was. The bitmap takes
 * at most an eighth of the page (odd sizes, byte granules) and usually far
 * less: 32 bytes for 16-byte blocks in a 4 KiB page, when the whole
 * header still fits in one 64-byte cache line, the line a free reads
 * anyway to find the page.
 *
 * Free blocks form one singly linked list across all pages (pool->free).
 * The link lives in the free block itself, together with a pointer to the
 * block's page header, so an allocation reaches the header (DMA address,
 * bitmap) without a hash lookup.
 *
 * The fast paths are written to be short and nearly branch-free: checks
 * are combined into one test, geometry is precomputed at creation, and
 * the rare cases (refused frees, poisoning, new pages) live out of line.
 */
#ifndef _DMAPOOL_EXT_INTERNAL_H
#define _DMAPOOL_EXT_INTERNAL_H

#include <linux/bitops.h>
#include <linux/jump_label.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/rwonce.h>

#include <dmapool_ext/dmapool_ext.h>
#include <compat/pool_ext_compat.h>

#define DPX_NAME_LEN		32
/* Hash buckets of a new pool; the table doubles as pages are added. */
#define DPX_HASH_BITS_MIN	4
/* Largest 16-byte multiple dpx_zero() clears 16 bytes a round. */
#define DPX_ZERO_16_MAX		256

/* What a free block holds: the free-list link and its page header. */
struct dpx_block {
	struct dpx_block *next;
	struct dpx_page *page;
};

/* The smallest block: it must hold the free-list link. */
#define DPX_MIN_SIZE		sizeof(struct dpx_block)

/*
 * One dma_alloc_coherent() allocation. Once the page is published in the
 * hash table, its header changes only under the pool lock.
 */
struct dpx_page {
	struct dpx_page *hnext;		/* next in its bucket */
	unsigned long key;		/* dpx_key() of the page */
	void *vaddr;			/* CPU address of the first byte */
	dma_addr_t dma;			/* device address of the first byte */
	unsigned long free_map[];	/* bit n: granule n holds no busy block */
};

/*
 * Hash chains end in this shared, never-matching header instead of NULL,
 * so a lookup that hits the first entry takes a single comparison.
 */
extern struct dpx_page dpx_no_page;

/* Poisoning pools exist: lets the fast paths skip the check otherwise. */
DECLARE_STATIC_KEY_FALSE(dpx_poison_key);

/*
 * struct dmapool_ext - a pool of coherent DMA blocks of one size
 *
 * The first fields are the hot ones: every allocation and free reads or
 * writes them, so they share as few cache lines as possible. The rest is
 * written once at creation (identity) or only on slow paths.
 */
struct dmapool_ext {
	/*
	 * @lock protects the free list, the hash table, every page header
	 * of the pool (bitmaps included) and the counters below. It is taken
	 * with interrupts disabled because allocation and free may happen in
	 * any context (GFP_ATOMIC users in interrupt handlers). Nothing that
	 * can sleep or allocate runs under it: DMA memory, page headers and
	 * bigger hash tables are allocated with it dropped.
	 */
	spinlock_t lock;
	struct dpx_block *free;		/* head of the free list */
	struct dpx_page **hash;		/* page headers by key */
	unsigned long hash_mask;	/* buckets - 1 */
	unsigned int hash_bits;		/* log2(buckets) */
	size_t nr_active;		/* blocks handed out */
	size_t high_water;		/* max of nr_active */

	/* Geometry, constant after creation; read without the lock. */
	unsigned int page_shift;	/* log2 of the page alignment */
	unsigned int gran_shift;	/* log2 of the bitmap granule */
	unsigned long gran_mask;	/* granule - 1 */
	unsigned int size;		/* block size, a multiple of align */
	u8 zero_mode;			/* enum dpx_zero_mode */
	bool poison;			/* poison free blocks (module param) */

	/* Slow-path state, under @lock. */
	bool warned;			/* a bad free was WARNed already */
	bool warned_corrupt;		/* a corruption was WARNed already */
	size_t nr_blocks;		/* blocks in all pages */
	size_t nr_pages;
	unsigned long nr_failures;	/* allocations that found no memory */
	unsigned long nr_bad_frees;	/* frees refused by validation */
	unsigned long nr_corruptions;	/* poison found modified */

	/* Identity and geometry for the slow paths, constant. */
	unsigned int blocks_per_page;
	unsigned int map_bits;		/* bits in a page's bitmap */
	unsigned int allocation;	/* bytes per dma_alloc_coherent() */
	unsigned int align;
	unsigned int boundary;		/* effective boundary */
	int node;			/* NUMA node for page headers */
	bool dev_ref;			/* holds a reference on @dev */
	unsigned int id;		/* unique, names the debugfs dir */
	struct device *dev;
	struct dentry *debugfs;		/* this pool's debugfs directory */
	char name[DPX_NAME_LEN];
};

/*
 * The pool lock on the fast paths. spin_lock_irqsave() is an out-of-line
 * call on most configurations (CONFIG_INLINE_SPIN_LOCK_IRQSAVE is off on
 * x86), and on a path this short the call and return cost about as much
 * as the work under the lock. Where the plain lock is a bare queued
 * spinlock (SMP, no spinlock debugging, no lockdep, not PREEMPT_RT), take
 * it inline, exactly as CONFIG_INLINE_SPIN_LOCK_IRQSAVE would; otherwise,
 * and always on the slow paths, use the ordinary calls, so lockdep and
 * the spinlock debugging see every acquisition they can check.
 */
#if defined(CONFIG_SMP) && !defined(CONFIG_DEBUG_SPINLOCK) && \
	!defined(CONFIG_PREEMPT_RT)
static __always_inline unsigned long dpx_lock(struct dmapool_ext *pool)
	__acquires(&pool->lock)
{
	unsigned long flags;

	/* The steps of __raw_spin_lock_irqsave(), minus the no-op lockdep. */
	local_irq_save(flags);
	preempt_disable();
	do_raw_spin_lock(&pool->lock.rlock);
	return flags;
}

static __always_inline void dpx_unlock(struct dmapool_ext *pool,
				       unsigned long flags)
	__releases(&pool->lock)
{
	do_raw_spin_unlock(&pool->lock.rlock);
	local_irq_restore(flags);
	preempt_enable();
}
#else
static __always_inline unsigned long dpx_lock(struct dmapool_ext *pool)
	__acquires(&pool->lock)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	return flags;
}

static __always_inline void dpx_unlock(struct dmapool_ext *pool,
				       unsigned long flags)
	__releases(&pool->lock)
{
	spin_unlock_irqrestore(&pool->lock, flags);
}
#endif

/* The base address of the page holding @addr. */
static __always_inline unsigned long dpx_base(const struct dmapool_ext *pool,
					      unsigned long addr)
{
	return addr & -(1UL << pool->page_shift);
}

/*
 * The key of the page holding @addr: its number in units of the page
 * alignment, the same for every address inside the page.
 */
static __always_inline unsigned long dpx_key(const struct dmapool_ext *pool,
					     unsigned long addr)
{
	return addr >> pool->page_shift;
}

/*
 * The bucket of page key @key. The low bits of the key index the table
 * directly: a pool's pages are mostly runs of neighbouring page frames,
 * which this spreads over distinct buckets with no collision at all (a
 * multiplicative hash would scatter them and let some collide), and it
 * costs a single AND. Caller holds pool->lock.
 */
static __always_inline struct dpx_page **
dpx_bucket(const struct dmapool_ext *pool, unsigned long key)
{
	return &pool->hash[key & pool->hash_mask];
}

/*
 * A lookup is inline in dmapool_ext_free(): nearly always the first page
 * of its bucket matches. This walks the rest of the chain when it does
 * not. Return: the page of @page's chain with key @key, or NULL.
 */
struct dpx_page *dpx_page_find_slow(struct dpx_page *page,
				    unsigned long key);

/*
 * dpx_take - hand out @block, the head of the free list
 *
 * Caller holds pool->lock. Return: the block's DMA address.
 */
static __always_inline dma_addr_t dpx_take(struct dmapool_ext *pool,
					   struct dpx_block *block)
{
	struct dpx_page *page = block->page;
	unsigned long off = (unsigned long)block - (unsigned long)page->vaddr;
	unsigned int idx;

	pool->free = block->next;
	idx = off >> pool->gran_shift;
	__clear_bit(idx, page->free_map);
	pool->nr_active++;
	pool->high_water = max(pool->high_water, pool->nr_active);
	return page->dma + off;
}

/*
 * Zero a block for its new owner. Blocks whose size is a multiple of 16
 * bytes (and so 8-byte aligned), up to a page, take a run of plain stores
 * instead of a call to memset(): the stores are what memset() does on
 * most x86 CPUs anyway (only those with fast short "rep stosb" use that
 * instead), and inline they save the call and its set-up, which weigh at
 * small sizes. Each round clears the largest power-of-two chunk, up to 256
 * bytes, that divides the size, so no round is partial.
 */
enum dpx_zero_mode {
	DPX_ZERO_MEMSET,
	DPX_ZERO_16,		/* size % 16 == 0, size <= DPX_ZERO_16_MAX */
	DPX_ZERO_64,		/* size % 64 == 0, size <= PAGE_SIZE */
	DPX_ZERO_256,		/* size % 256 == 0, size <= PAGE_SIZE */
};

/*
 * Clear [@w, @end) in rounds of @words 64-bit stores; @words is a
 * constant, so each round is straight-line code. WRITE_ONCE() keeps the
 * compiler from turning the rounds back into a memset() call.
 */
static __always_inline void dpx_zero_rounds(u64 *w, u64 *end,
					    const unsigned int words)
{
	unsigned int i;

	do {
#pragma GCC unroll 32
		for (i = 0; i < words; i++)
			WRITE_ONCE(w[i], 0);
		w += words;
	} while (w < end);
}

static __always_inline void *dpx_zero(const struct dmapool_ext *pool,
				      void *block)
{
	u64 *end = block + pool->size;

	if (pool->zero_mode == DPX_ZERO_256)
		dpx_zero_rounds(block, end, 32);
	else if (pool->zero_mode == DPX_ZERO_64)
		dpx_zero_rounds(block, end, 8);
	else if (pool->zero_mode == DPX_ZERO_16)
		dpx_zero_rounds(block, end, 2);
	else
		/* A tail call: memset() returns the block. */
		return memset(block, 0, pool->size);
	return block;
}

/* core.c */
struct dmapool_ext *dpx_create_managed(const char *name, struct device *dev,
				       size_t size, size_t align,
				       size_t boundary);
void *dpx_alloc_slow(struct dmapool_ext *pool, gfp_t gfp, dma_addr_t *handle);

/* validate.c */
bool dpx_block_start(const struct dmapool_ext *pool, unsigned long off);
void dpx_refuse_free(struct dmapool_ext *pool, unsigned long flags,
		     const void *vaddr, dma_addr_t dma, struct dpx_page *page)
	__releases(&pool->lock);
struct dpx_page **dpx_hash_alloc(unsigned int bits, gfp_t gfp, int node);
struct dpx_page **dpx_hash_resize(struct dmapool_ext *pool,
				  struct dpx_page **table, unsigned int bits);
void dpx_hash_add(struct dmapool_ext *pool, struct dpx_page *page);

/* poison.c */
bool dpx_poison_enabled(void);
void dpx_poison_page(struct dmapool_ext *pool, void *vaddr);
void dpx_free_poisoned(struct dmapool_ext *pool, struct dpx_block *block,
		       unsigned long flags)
	__releases(&pool->lock);
void *dpx_poison_alloc(struct dmapool_ext *pool, struct dpx_block *block,
		       dma_addr_t dma, gfp_t gfp);

/* debugfs.c */
void dpx_debugfs_init(void);
void dpx_debugfs_exit(void);
void dpx_debugfs_add(struct dmapool_ext *pool);
void dpx_debugfs_remove(struct dmapool_ext *pool);

#endif /* _DMAPOOL_EXT_INTERNAL_H */
