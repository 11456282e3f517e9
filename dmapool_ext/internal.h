/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmapool_ext internals shared by the module's source files. Not for
 * drivers: they use <dmapool_ext/dmapool_ext.h>.
 *
 * Layout of a pool
 * ----------------
 * A "page" is one dma_alloc_coherent() allocation of pool->allocation
 * bytes (at least PAGE_SIZE), carved into blocks of pool->size bytes that
 * never cross a multiple of the boundary.
 *
 * Finding the page of an address
 * -------------------------------
 * A free must find the page header (struct dpx_page) of the address it is
 * given, in O(1) and without trusting anything stored in DMA memory. The
 * headers are hashed by key, an address shifted right by pool->page_shift,
 * the log2 of the allocation rounded up to a power of two: a page's key is
 * the key of its first byte.
 *
 * No alignment of the memory is assumed. Without an IOMMU,
 * dma_alloc_coherent() aligns a buffer to its size rounded up to a power
 * of two, so every address of a page has the page's key; but behind an
 * IOMMU with a sleeping gfp the buffer is vmap()ed and aligned to a page
 * only, and so are buffers of remapped non-coherent devices and of the
 * atomic pools. What always holds is that a page spans at most two
 * consecutive keys, its own and the next, because it is no longer than
 * one key's worth of addresses. So a lookup tries the bucket of the
 * address's key, then that of the key before, and in each compares the
 * address with the range of every page in the chain: one subtraction and
 * one unsigned comparison per page, the test the free needs anyway. The
 * first page of the first bucket nearly always matches: aligned memory
 * has every address in its own key, and a block of a page-aligned page
 * larger than a page starts the page, so it has the page's key too.
 *
 * Other structures were weighed and left: a radix tree or xarray of every
 * page frame finds any address but walks levels with a dependent load
 * each; a back-pointer in struct page is not ours to keep (the DMA layer
 * owns those pages, and vmap()ed memory has no linear address to derive
 * it from); and a pointer kept in the block itself is device-writable.
 * The table doubles as the pool grows, keeping at least two buckets per
 * page, so a lookup nearly always reads one bucket and one header.
 *
 * Nothing in DMA memory
 * ---------------------
 * The pool keeps nothing it relies on in the blocks. A free block is DMA
 * memory that the device (a late completion, a stale descriptor) or a
 * driver's use-after-free can overwrite at any time, and a pool that
 * followed a link or a page pointer stored there would turn such a write
 * into an allocation at, or a bit cleared at, an address of the writer's
 * choosing. All the bookkeeping lives in the page headers, in kernel
 * memory:
 *
 * - A bitmap with one bit per granule of the page, where the granule is
 *   the largest power of two dividing the block size (the size itself when
 *   it is a power of two): every block starts on a granule. A block's bit
 *   is set while the block is free; the bits of granules where no block
 *   starts (inside blocks, in the gaps before boundaries, past the last
 *   block) are set for good. So a free needs one shift to find its bit,
 *   and "bit already set" catches a double free and an address inside a
 *   block alike, with no division and no branch; only a refused free works
 *   out which it was. The bitmap takes at most an eighth of the page (odd
 *   sizes, byte granules) and usually far less: 32 bytes for 16-byte
 *   blocks in a 4 KiB page.
 * - A summary with one bit per bitmap word that holds a free block, and
 *   the number of free blocks.
 *
 * The pages that have a free block form a list (pool->avail), linked
 * through their headers. An allocation takes the lowest free block of the
 * first page on it: the first set bit of the summary gives the word, the
 * first set bit of that word, masked with the pool's map of block starts
 * (the same for every page), gives the block. A page leaves the list when
 * its last free block is taken, which can only happen to the first page,
 * and goes back to the front when a free gives it a free block again.
 * Allocation and free are O(1), and neither reads DMA memory.
 *
 * So a fresh page hands out its blocks in ascending address order, freed
 * blocks are used again before a new page is taken, and poisoning and
 * init_on_free cover whole blocks.
 *
 * Per-CPU magazines
 * ------------------
 * Only for a contended pool. A pool starts with its magazines off
 * (pool->mags_on): allocations and frees take the pool lock and work on
 * the pages as described above, with no busy map kept, so a pool used
 * from one CPU at a time pays one flag test and a trylock for them. The
 * locked paths try the lock first; the first time that fails (another
 * CPU holds it, or on PREEMPT_RT a preempted task), the magazines turn on
 * for good, under the lock: every page's busy map is computed from its
 * free map (no block is cached yet, so a block is busy exactly when it
 * is not free), then the flag is published with a release store, and
 * from then on everything below holds. Bonwick's depot, too, grows its
 * magazines only as contention shows. The per-CPU magazines are
 * allocated with the pool all the same: alloc_percpu() may sleep, which
 * the turn-on under a spinlock may not.
 *
 * In front of the pool lock each CPU keeps, per pool, a pair of magazines
 * (Bonwick and Adams, USENIX ATC 2001): "loaded" and "previous", stacks of
 * at most DPX_MAG_SIZE free blocks each. An allocation pops the loaded
 * one; if it is empty and the previous one is not, the two swap. A free
 * pushes on the loaded one; if it is full and the previous one is not,
 * they swap. Only when both are empty does an allocation take the pool
 * lock, to fill both from the pages in one hold (2 * DPX_MAG_SIZE blocks,
 * stacked so that a fresh page's blocks still go out in ascending
 * order); only when both are full does a free take it, to put the
 * previous magazine's blocks back on their pages. So a CPU that holds up
 * to 2 * DPX_MAG_SIZE blocks at a time, allocating and freeing them in
 * bursts, never takes the pool lock in its steady state, and a CPU that
 * allocates or frees in long runs takes it once per DPX_MAG_SIZE blocks
 * or fewer. A CPU caches at most 2 * DPX_MAG_SIZE blocks per pool.
 *
 * There is no depot of whole magazines between the CPUs: blocks freed on
 * one CPU and allocated on another go through the pages, under one lock
 * hold per magazine, which costs O(DPX_MAG_SIZE) instead of the depot's
 * O(1) exchange, but needs no magazine allocation and no depot bound.
 *
 * The magazines are used by tasks with interrupts and softirqs enabled
 * only, under a local_lock that leaves interrupts on (preemption off; on
 * PREEMPT_RT a per-CPU spinlock_t with migration off). Interrupt
 * handlers and softirqs, which could interrupt a task inside that
 * section on its own CPU, and callers that run with interrupts or
 * softirqs disabled (see dpx_mag_ctx() in alloc.c), use the pages
 * directly under the pool lock, as every pool did before the magazines.
 * So no fast path saves and restores the interrupt flag, which costs
 * about as much as the rest of a magazine operation.
 * Poisoning pools never turn them on: their free blocks are poisoned and
 * checked under the lock.
 *
 * A free must still be validated in O(1) without the pool lock, the
 * double free of a block sitting in a magazine included. Each page has a
 * second bitmap, the busy map, after its free map: once the magazines are
 * on, the bit of each block handed out to a user is set, every other bit
 * is clear (while they are off it is not kept). A block is in
 * one of three states:
 *
 *   busy:    busy bit set,   free bit clear  (the user's)
 *   cached:  busy bit clear, free bit clear  (in a magazine, or on its
 *                                             way between one and a user)
 *   free:    busy bit clear, free bit set    (on its page's free list)
 *
 * Free bits change only under the pool lock, as before. Busy bits change
 * only with atomic bit operations: an allocation sets the bit of the block
 * it hands out once it owns the block, and a free clears it with
 * test_and_clear_bit() and goes on only if it was set. So of two frees of
 * one block at most one succeeds, wherever the block is, and the free of
 * a cached or free block, or of an address where no block starts, is
 * refused. A free finds the page without the pool lock: see
 * dpx_page_find_lockless() in pagehash.c.
 *
 * Statistics stay exact at rest: pool->nr_active counts the blocks off
 * the free lists (busy or cached); the blocks in use are that less the
 * magazines' blocks, which are counted as free and reported as cached.
 * Magazines are emptied into the pages on destroy and when a CPU goes
 * offline (a CPU hotplug "dead" callback). The pool never gives pages
 * back to the system before it is destroyed (nor does the kernel's
 * dma_pool), so emptying magazines under memory pressure would free no
 * memory: there is no shrinker; the per-CPU bound caps what they hold.
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
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
/* After spinlock.h: on PREEMPT_RT a local_lock_t is a spinlock_t. */
#include <linux/local_lock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/rwonce.h>

#include <dmapool_ext/dmapool_ext.h>

/*
 * Every warning of the module starts with the module's name; the prefix is
 * added here, in one place, so the messages cannot drift apart.
 */
#define dpx_warn(cond, fmt, ...) \
	WARN(cond, KBUILD_MODNAME ": " fmt, ##__VA_ARGS__)
#define dpx_warn_once(cond, fmt, ...) \
	WARN_ONCE(cond, KBUILD_MODNAME ": " fmt, ##__VA_ARGS__)

/*
 * Test hooks: KUnit static stubs in core.c, through which a KUnit test can
 * stand in for the DMA API. DPX_TEST_HOOKS is set by the Kbuild only with
 * make POOL_EXT_TEST_HOOKS=y (as make check builds the KUnit pass) on a
 * kernel with KUnit static stubs (6.4+); in every other build they are
 * compiled out, and the hooked functions are static.
 */

#define DPX_NAME_LEN		32
/* Hash buckets of a new pool; the table doubles as pages are added. */
#define DPX_HASH_BITS_MIN	4
/*
 * Blocks per magazine; a CPU has two per pool. 16 makes the pair hold 32
 * blocks: a driver (or the shared-pool bench row) that keeps up to 32
 * blocks per CPU in flight never reaches the pool lock.
 */
#define DPX_MAG_SIZE		16
/* Largest 16-byte multiple dpx_zero() clears 16 bytes a round. */
#define DPX_ZERO_16_MAX		256

/*
 * What the kernel's dma_pool keeps in each free block, so the size of its
 * smallest block. Nothing of ours is in a block, but sizes are rounded up
 * to this too, so that a pool has the kernel's geometry (block addresses,
 * blocks per page) on every architecture.
 */
struct dpx_kernel_block {
	void *next;
	dma_addr_t dma;
};

#define DPX_MIN_SIZE		sizeof(struct dpx_kernel_block)

/* The most words a page's bitmap can have: byte granules in PAGE_SIZE. */
#define DPX_MAP_LONGS_MAX	BITS_TO_LONGS(PAGE_SIZE)
/* Words in a page's summary: one bit per bitmap word. */
#define DPX_SUM_LONGS		BITS_TO_LONGS(DPX_MAP_LONGS_MAX)

/*
 * One dma_alloc_coherent() allocation. Once the page is published in the
 * hash table, its header changes only under the pool lock.
 */
struct dpx_page {
	struct dpx_page *hnext;		/* next in its bucket */
	struct dpx_page *anext;		/* next on pool->avail */
	void *vaddr;			/* CPU address of the first byte */
	dma_addr_t dma;			/* device address of the first byte */
	unsigned int nr_free;		/* free blocks (not cached, not busy) */
	/* bit w: free_map[w] holds a free block */
	unsigned long summary[DPX_SUM_LONGS];
	/*
	 * bit n: granule n holds no block off the free list. It is followed
	 * by the busy map (dpx_busy_map(): bit n set while the block at
	 * granule n is handed out; changed only by atomic bit operations, see
	 * "Per-CPU magazines" above) and, in a poisoning pool, the callers.
	 */
	unsigned long free_map[];
};

/*
 * The page hash table. Its mask lives with it, so that a lookup without
 * the pool lock, which may read a table that a resize has just replaced,
 * never indexes one table with another's mask. A replaced table is freed
 * after an RCU grace period, so such a lookup can finish reading it.
 */
struct dpx_hash {
	unsigned long mask;		/* buckets - 1 */
	struct rcu_head rcu;
	struct dpx_page *bucket[];
};

/* A magazine: a stack of free blocks, each with its page. */
struct dpx_mag_ent {
	void *vaddr;
	struct dpx_page *page;
};

struct dpx_mag {
	unsigned int nr;		/* blocks in @ent, bottom up */
	struct dpx_mag_ent ent[DPX_MAG_SIZE];
};

/*
 * Hash chains end in this shared header instead of NULL, so a lookup that
 * hits the first entry of its bucket takes a single comparison. It covers
 * addresses [0, pool->allocation), where no kernel memory is, and holds a
 * bitmap as long as any page's with every bit set: a bogus free of such an
 * address is refused like a double free. Read-only once the module is
 * initialised; see pagehash.c.
 */
union dpx_no_page {
	struct dpx_page page;
	u8 bytes[sizeof(struct dpx_page) +
		 DPX_MAP_LONGS_MAX * sizeof(unsigned long)];
};

extern union dpx_no_page dpx_no_page;
#define DPX_CHAIN_END		(&dpx_no_page.page)

/* Poisoning pools exist: lets the fast paths skip the check otherwise. */
DECLARE_STATIC_KEY_FALSE(dpx_poison_key);

/*
 * struct dmapool_ext - a pool of coherent DMA blocks of one size
 *
 * The first fields are the hot ones: every allocation and free reads or
 * writes them, so they share as few cache lines as possible. The rest is
 * written once at creation (identity) or only on slow paths.
 */
struct dpx_dev;

/*
 * A CPU's share of a pool: its running counts (summed by get_stats) and,
 * for a pool with magazines, its pair of them.
 *
 * @lock, a local_lock taken by tasks only, with interrupts and softirqs
 * enabled (see "Per-CPU magazines" above), protects @loaded, @prev and
 * the magazines' contents against the other tasks of the same CPU;
 * nothing else touches them but the drains on destroy and on CPU
 * hot-unplug, which run when no task of that CPU can. Each function that
 * takes it drops it too (none hands it to another), so that sparse can
 * check it where local_lock() is annotated (PREEMPT_RT; 7.x). Lock
 * order: @lock, then pool->lock. The magazines' ->nr are written with
 * WRITE_ONCE() and change only under the pool lock when blocks move to or
 * from the pages, so the statistics can sum them under the pool lock.
 * @allocs and @frees change only by this_cpu_inc(), also from interrupt
 * context (the pages' path), and are read without a lock.
 */
struct dpx_pcpu {
	local_lock_t lock;
	unsigned long allocs;		/* blocks handed out */
	unsigned long frees;		/* blocks taken back (validated) */
	struct dpx_mag *loaded;		/* popped and pushed first */
	struct dpx_mag *prev;		/* the other one */
	struct dpx_mag mags[2];
};

struct dmapool_ext {
	/*
	 * @lock protects the list of pages with a free block, the hash
	 * table, every page header of the pool (bitmaps included) and the
	 * counters below. It is taken with interrupts disabled because
	 * allocation and free may happen in any context (GFP_ATOMIC users in
	 * interrupt handlers). Nothing that can sleep or allocate runs under
	 * it: DMA memory, page headers and bigger hash tables are allocated
	 * with it dropped.
	 */
	spinlock_t lock;
	struct dpx_page *avail;		/* pages with a free block */
	/*
	 * Page headers by key. Replaced under @lock and read without it by
	 * the frees of magazine pools (see dpx_page_find_lockless()).
	 */
	struct dpx_hash *hash;
	unsigned int hash_bits;		/* log2(buckets) */
	bool mags;			/* the pool may use magazines */
	/*
	 * The magazines are on: false at creation, set once (never cleared)
	 * under @lock by dpx_mags_turn_on(), when a locked path found @lock
	 * contended. Read plainly under @lock, where it cannot change, and
	 * with smp_load_acquire() without it (dpx_mags_on()), pairing with
	 * the release store that publishes the busy maps computed first.
	 */
	bool mags_on;
	size_t nr_active;		/* blocks off the free lists */
	/* Running counts, per CPU so that they cost no shared line. */
	struct dpx_pcpu __percpu *pcpu;
	size_t blocks_in_use_max;	/* max of nr_active (cached included) */

	/* Geometry, constant after creation; read without the lock. */
	unsigned int page_shift;	/* log2 of a key's span (see top) */
	unsigned int gran_shift;	/* log2 of the bitmap granule */
	unsigned long gran_mask;	/* granule - 1 */
	unsigned int size;		/* block size, a multiple of align */
	unsigned int allocation;	/* bytes per dma_alloc_coherent() */
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
	unsigned int map_longs;		/* BITS_TO_LONGS(map_bits) */
	struct hlist_node cpuhp;	/* on the CPU hotplug state's list */
	unsigned int align;
	unsigned int boundary;		/* effective boundary */
	int node;			/* NUMA node for page headers */
	unsigned int id;		/* unique, names the debugfs dir */
	struct device *dev;
	struct dentry *debugfs;		/* this pool's debugfs directory */
	struct dpx_dev *dev_entry;	/* its device's, see debugfs.c */
	struct list_head dev_node;	/* in dev_entry->pools */
	char name[DPX_NAME_LEN];
	/* The summary of a page whose blocks are all free. */
	unsigned long full_summary[DPX_SUM_LONGS];
	/* bit n: a block starts at granule n, in every page; constant */
	unsigned long start_map[];
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
#define DPX_LOCK_INLINE
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

void dpx_lock_contended(struct dmapool_ext *pool) __acquires(&pool->lock);

/*
 * dpx_lock() for the locked alloc and free paths, which watch for
 * contention: if the lock is not free at once, dpx_lock_contended() takes
 * it and turns the magazines on (see "Per-CPU magazines" above).
 */
static __always_inline unsigned long dpx_lock_watch(struct dmapool_ext *pool)
	__acquires(&pool->lock)
{
	unsigned long flags;

	local_irq_save(flags);
	preempt_disable();
#ifdef CONFIG_QUEUED_SPINLOCKS
	/*
	 * queued_spin_lock()'s own fast path: the compare-and-swap from an
	 * unlocked, unqueued word fails exactly when another CPU holds the
	 * lock or waits for it. No extra load, unlike a trylock.
	 */
	{
		int val = 0;

		if (likely(atomic_try_cmpxchg_acquire(&pool->lock.rlock.raw_lock.val,
						      &val, _Q_LOCKED_VAL))) {
			mmiowb_spin_lock();
			__acquire(&pool->lock);
			return flags;
		}
	}
#else
	if (likely(do_raw_spin_trylock(&pool->lock.rlock))) {
		__acquire(&pool->lock);
		return flags;
	}
#endif
	dpx_lock_contended(pool);
	return flags;
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

unsigned long dpx_lock_contended(struct dmapool_ext *pool)
	__acquires(&pool->lock);

/* As above; on PREEMPT_RT a failed trylock includes a preempted holder. */
static __always_inline unsigned long dpx_lock_watch(struct dmapool_ext *pool)
	__acquires(&pool->lock)
{
	unsigned long flags;

	if (unlikely(!spin_trylock_irqsave(&pool->lock, flags)))
		flags = dpx_lock_contended(pool);
	return flags;
}
#endif

/*
 * The fast paths give the compiler nothing to instrument.
 * CONFIG_UBSAN_SHIFT and CONFIG_UBSAN_BOUNDS (on in Debian's 7.x kernels,
 * and applied to modules too) check every shift by a variable count and
 * every index into a fixed-size array, and each check that the compiler
 * cannot prove true brings a call to a report function. Such a call is
 * not in tail position, so every value live across it has to survive it:
 * the fast paths then saved six registers and opened a stack frame,
 * instead of four and none. So shift counts, all below BITS_PER_LONG by
 * construction (core.c), are masked with DPX_SHIFT(), which costs nothing
 * on x86 (a shift masks its count itself), and summary words are indexed
 * through dpx_sum_word(), whose modulo is a no-op for a valid index.
 */
#define DPX_SHIFT(shift)	((shift) & (BITS_PER_LONG - 1))

/* The summary word holding bit @w (a free_map word index, in range). */
static __always_inline unsigned long dpx_sum_word(unsigned long w)
{
	/* w < DPX_MAP_LONGS_MAX, so BIT_WORD(w) < DPX_SUM_LONGS already. */
	return BIT_WORD(w) % DPX_SUM_LONGS;
}

/*
 * The key of @addr: its number in units of 2^page_shift bytes. A page has
 * the key of its first byte; its other addresses have that key or the
 * next (see the top of this file).
 */
static __always_inline unsigned long dpx_key(const struct dmapool_ext *pool,
					     unsigned long addr)
{
	return addr >> DPX_SHIFT(pool->page_shift);
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
	return &pool->hash->bucket[key & pool->hash->mask];
}

/* Whether @addr lies in @page. */
static __always_inline bool dpx_in_page(const struct dmapool_ext *pool,
					const struct dpx_page *page,
					unsigned long addr)
{
	return addr - (unsigned long)page->vaddr < pool->allocation;
}

/* The busy map of @page (see "Per-CPU magazines" above). */
static __always_inline unsigned long *
dpx_busy_map(const struct dmapool_ext *pool, struct dpx_page *page)
{
	return page->free_map + pool->map_longs;
}

/*
 * A lookup is inline in dmapool_ext_free(): nearly always the first page
 * of its bucket holds the address. This is the whole lookup, for when it
 * does not. Caller holds pool->lock.
 * Return: the page of @pool holding @addr, or NULL.
 */
struct dpx_page *dpx_page_find(const struct dmapool_ext *pool,
			       unsigned long addr);
struct dpx_page *dpx_page_find_lockless(const struct dmapool_ext *pool,
					const struct dpx_hash *h,
					unsigned long addr);

/*
 * dpx_take - hand out the lowest free block of @page
 * @pool: the pool
 * @page: the first page of pool->avail
 * @dma: where the block's DMA address goes
 *
 * Caller holds pool->lock. Return: the block's CPU address.
 */
static __always_inline void *dpx_take(struct dmapool_ext *pool,
				      struct dpx_page *page, dma_addr_t *dma)
{
	unsigned long map, free, low, off, sum;
	unsigned int s = 0, w;

	/*
	 * Whole-word operations rather than __clear_bit() and friends: on
	 * x86 those are bit-string instructions on memory, which are slow.
	 * The summary is one word on 64-bit with 4 KiB pages, and then the
	 * loop compiles away.
	 */
	while (DPX_SUM_LONGS > 1 && !page->summary[s])
		s++;
	sum = page->summary[s];
	w = s * BITS_PER_LONG + __ffs(sum);
	map = page->free_map[w];
	free = map & pool->start_map[w];
	low = free & -free;		/* the word's lowest free block */
	page->free_map[w] = map ^ low;
	if (free == low)		/* and its last one: clear the */
		page->summary[s] = sum & (sum - 1);	/* lowest bit, w's */
	if (!--page->nr_free)
		pool->avail = page->anext;
	pool->nr_active++;
	pool->blocks_in_use_max = max(pool->blocks_in_use_max,
				      pool->nr_active);
	off = (unsigned long)w * BITS_PER_LONG + __ffs(low);
	/* Handed out: see "Per-CPU magazines" above; not kept while off. */
	if (pool->mags_on)
		set_bit(off, dpx_busy_map(pool, page));
	off <<= DPX_SHIFT(pool->gran_shift);
	*dma = page->dma + off;
	return page->vaddr + off;
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

void *dpx_zero_256(void *block, unsigned int size);

static __always_inline void *dpx_zero(const struct dmapool_ext *pool,
				      void *block)
{
	u64 *end = block + pool->size;

	if (pool->zero_mode == DPX_ZERO_256)
		/* A tail call, out of line: see zero.c. */
		return dpx_zero_256(block, pool->size);
	else if (pool->zero_mode == DPX_ZERO_64)
		dpx_zero_rounds(block, end, 8);
	else if (pool->zero_mode == DPX_ZERO_16)
		dpx_zero_rounds(block, end, 2);
	else
		/* A tail call: memset() returns the block. */
		return memset(block, 0, pool->size);
	return block;
}

/*
 * Callers, with the runtime checks on (the module parameter "poison"):
 * the page header of such a pool is followed, after its free_map, by one
 * word per granule, the return address into the code that allocated the
 * block starting there. Written under pool->lock when the block is handed
 * out, and read only for busy blocks (leak reports, debugfs "leaks").
 */
static inline unsigned long *dpx_callers(const struct dmapool_ext *pool,
					 struct dpx_page *page)
{
	return &page->free_map[2 * pool->map_longs];
}

/* Caller holds pool->lock; @pool poisons (checks). */
static inline void dpx_note_caller(const struct dmapool_ext *pool,
				   struct dpx_page *page, void *block,
				   unsigned long caller)
{
	dpx_callers(pool, page)[(block - page->vaddr) >>
				DPX_SHIFT(pool->gran_shift)] = caller;
}

/* Why a free was refused (dpx_refuse_free(), the bad_free event). */
enum dpx_bad {
	DPX_BAD_FOREIGN,	/* in no page of the pool */
	DPX_BAD_INSIDE,		/* not at a block start */
	DPX_BAD_DMA,		/* the DMA handle does not match */
	DPX_BAD_DOUBLE,		/* the block is free */
};

/*
 * Test points: with the test hooks, a KUnit test can run code at these
 * points of the lockless paths (a static stub of dpx_test_point()), to
 * force an interleaving deterministically. Compiled out otherwise.
 */
enum dpx_point {
	DPX_POINT_POPPED,	/* a block popped, not yet marked busy */
	DPX_POINT_LOOKUP,	/* a free has read the hash table pointer */
};

#ifdef DPX_TEST_HOOKS
void dpx_test_point(struct dmapool_ext *pool, enum dpx_point point,
		    void *arg);
#else
static inline void dpx_test_point(struct dmapool_ext *pool,
				  enum dpx_point point, void *arg)
{
}
#endif

/* core.c: pool and page lifetime */
#ifdef DPX_TEST_HOOKS
void *dpx_dma_alloc(struct dmapool_ext *pool, dma_addr_t *dma, gfp_t gfp);
void dpx_dma_free(struct dmapool_ext *pool, void *vaddr, dma_addr_t dma);
#endif
struct dpx_page *dpx_page_new(struct dmapool_ext *pool, gfp_t gfp);
void dpx_page_publish(struct dmapool_ext *pool, struct dpx_page *page);

/* alloc.c: the slow path of an allocation, which adds a page */
void *dpx_alloc_slow(struct dmapool_ext *pool, gfp_t gfp, dma_addr_t *handle,
		     unsigned long caller);

/* mag.c: the per-CPU magazines */
bool dpx_mag_refill(struct dmapool_ext *pool, struct dpx_pcpu *pc);
void dpx_mag_flush(struct dmapool_ext *pool, struct dpx_mag *mag);
size_t dpx_mag_count(struct dmapool_ext *pool);
int dpx_mag_init(void);
void dpx_mag_exit(void);
int dpx_mag_create(struct dmapool_ext *pool);
void dpx_mag_destroy(struct dmapool_ext *pool);
void dpx_mags_turn_on(struct dmapool_ext *pool);
#ifdef DPX_TEST_HOOKS
void dpx_test_mags_on(struct dmapool_ext *pool);
#endif

/* pagehash.c: the page hash behind the O(1) check of every free */
void dpx_no_page_init(void);
bool dpx_block_start(const struct dmapool_ext *pool, unsigned long off);
struct dpx_hash *dpx_hash_alloc(unsigned int bits, gfp_t gfp, int node);
struct dpx_hash *dpx_hash_resize(struct dmapool_ext *pool,
				 struct dpx_hash *table, unsigned int bits);
void dpx_hash_add(struct dmapool_ext *pool, struct dpx_page *page);

/* debug.c: runtime checks (poisoning) and the report of a refused free */
bool dpx_poison_enabled(void);
void dpx_refuse_free(struct dmapool_ext *pool, unsigned long flags,
		     const void *vaddr, dma_addr_t dma, struct dpx_page *page)
	__releases(&pool->lock);
void dpx_poison_page(struct dmapool_ext *pool, void *vaddr);
void dpx_free_poisoned(struct dmapool_ext *pool, void *block,
		       unsigned long flags)
	__releases(&pool->lock);
void *dpx_poison_alloc(struct dmapool_ext *pool, void *block, dma_addr_t dma,
		       gfp_t gfp);
struct pool_ext_leaks;
void dpx_debug_leaks(struct dmapool_ext *pool, struct pool_ext_leaks *l);

/* debugfs.c */
void dpx_debugfs_init(void);
void dpx_debugfs_exit(void);
void dpx_debugfs_add(struct dmapool_ext *pool);
void dpx_debugfs_remove(struct dmapool_ext *pool);

#endif /* _DMAPOOL_EXT_INTERNAL_H */
