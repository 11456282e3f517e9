// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext per-CPU magazines: moving blocks between a CPU's pair of
 * magazines and the pages, and emptying them on destroy and CPU
 * hot-unplug. The design, and why there is no depot and no shrinker, is
 * under "Per-CPU magazines" in internal.h; the fast paths that pop and
 * push are in alloc.c.
 */

#include <linux/cpuhotplug.h>
#include <linux/export.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>

#include "internal.h"

#ifdef DPX_TEST_HOOKS
#include <kunit/visibility.h>
#endif

/* The CPU hotplug state whose "dead" callback empties magazines. */
static enum cpuhp_state dpx_cpuhp_state;

/*
 * Take up to @want free blocks off @page's free list, lowest first, into
 * @top, @top - 1, ... (a magazine filled from the top down, so that the
 * lowest block is popped first; they are not marked busy: they are
 * cached). Caller holds pool->lock and
 * @page is the first page of pool->avail. Whole words at a time: a page of
 * 64-byte blocks gives 16 blocks from one bitmap word and one write.
 * Return: the blocks taken.
 */
static unsigned int dpx_take_many(struct dmapool_ext *pool,
				  struct dpx_page *page,
				  struct dpx_mag_ent *top, unsigned int want)
{
	unsigned long map, orig, free, low, idx;
	unsigned int n = 0, s, sb, w;

	while (n < want && page->nr_free) {
		s = 0;
		while (DPX_SUM_LONGS > 1 && !page->summary[s])
			s++;
		sb = __ffs(page->summary[s]);
		w = s * BITS_PER_LONG + sb;
		map = page->free_map[w];
		orig = map & pool->start_map[w];
		free = orig;
		do {
			low = free & -free;
			free ^= low;
			idx = (unsigned long)w * BITS_PER_LONG + __ffs(low);
			(top - n)->vaddr = page->vaddr +
					   (idx << DPX_SHIFT(pool->gran_shift));
			(top - n)->page = page;
			n++;
			page->nr_free--;
		} while (free && n < want);
		/* Clear the bits taken: those of orig no longer in free. */
		page->free_map[w] = map ^ (orig ^ free);
		if (!free)
			page->summary[s] ^= BIT(sb);
	}
	return n;
}

/**
 * dpx_mag_refill - fill both of a CPU's empty magazines from the pages
 * @pool: the pool
 * @pc: this CPU's share of @pool, whose local_lock the caller holds
 *
 * Up to 2 * DPX_MAG_SIZE blocks under one hold of the pool lock, without
 * adding a page. They are stacked so that they pop in the order the pages
 * would hand them out: a fresh page's blocks still go out in ascending
 * address order, the loaded magazine's first.
 *
 * Context: task context, @pc's local_lock held.
 * Return: true if the loaded magazine got at least one block.
 */
bool dpx_mag_refill(struct dmapool_ext *pool, struct dpx_pcpu *pc)
{
	struct dpx_mag *first = pc->loaded, *second = pc->prev;
	struct dpx_page *page;
	unsigned long flags;
	unsigned int n, a, b;

	flags = dpx_lock(pool);
	/* The free blocks on the pages: all but those off the free lists. */
	n = min_t(size_t, 2 * DPX_MAG_SIZE, pool->nr_blocks - pool->nr_active);
	a = min_t(unsigned int, n, DPX_MAG_SIZE);
	b = n - a;
	/* Straight into the magazines, the lowest block on top of @first. */
	first->nr = 0;
	second->nr = 0;
	while ((first->nr < a || second->nr < b) && (page = pool->avail)) {
		if (first->nr < a)
			first->nr += dpx_take_many(pool, page,
						   &first->ent[a - 1 - first->nr],
						   a - first->nr);
		else
			second->nr += dpx_take_many(pool, page,
						    &second->ent[b - 1 - second->nr],
						    b - second->nr);
		if (!page->nr_free)
			pool->avail = page->anext;
	}
	pool->nr_active += n;
	pool->blocks_in_use_max = max(pool->blocks_in_use_max,
				      pool->nr_active);
	/* Under the pool lock, which the statistics take to read them. */
	WRITE_ONCE(first->nr, a);
	WRITE_ONCE(second->nr, b);
	dpx_unlock(pool, flags);
	return n;
}

/**
 * dpx_mag_flush - put every block of a magazine back on its page
 * @pool: the pool
 * @mag: the magazine
 *
 * Context: the local_lock of @mag's CPU held, or no task of that CPU can
 * touch it (destroy; the CPU is dead). Takes pool->lock.
 */
void dpx_mag_flush(struct dmapool_ext *pool, struct dpx_mag *mag)
{
	unsigned long flags, idx, w;
	struct dpx_page *page;
	unsigned int i;

	if (!mag->nr)
		return;
	flags = dpx_lock(pool);
	for (i = 0; i < mag->nr; i++) {
		page = mag->ent[i].page;
		idx = (mag->ent[i].vaddr - page->vaddr) >> DPX_SHIFT(pool->gran_shift);
		w = BIT_WORD(idx);
		page->free_map[w] |= BIT_MASK(idx);
		page->summary[dpx_sum_word(w)] |= BIT_MASK(w);
		/* The page had no free block: to the front of the list. */
		if (!page->nr_free++) {
			page->anext = pool->avail;
			pool->avail = page;
		}
	}
	pool->nr_active -= mag->nr;
	WRITE_ONCE(mag->nr, 0);
	dpx_unlock(pool, flags);
}

/*
 * Blocks in all magazines of @pool. Caller holds pool->lock, so none
 * moves between a magazine and the pages meanwhile; pops and pushes may.
 */
size_t dpx_mag_count(struct dmapool_ext *pool)
{
	struct dpx_pcpu *pc;
	size_t n = 0;
	int cpu;

	lockdep_assert_held(&pool->lock);
	if (!pool->mags)
		return 0;
	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(pool->pcpu, cpu);
		n += READ_ONCE(pc->mags[0].nr) + READ_ONCE(pc->mags[1].nr);
	}
	return n;
}

/**
 * dmapool_ext_blocks_cached - free blocks a pool holds in per-CPU caches
 * @pool: the pool
 *
 * Blocks cached in the per-CPU magazines are free (they count as free in
 * dmapool_ext_get_stats(), not in @blocks_in_use) but are handed out only
 * by their CPU until a drain puts them back on their pages. At most
 * 2 * 16 per possible CPU. While other CPUs allocate and free, the figure
 * is a snapshot that may be stale by the time it is returned.
 *
 * Context: any context that may take a spinlock_t: not NMI, and on
 * PREEMPT_RT not hard interrupt context.
 * Return: the number of blocks cached, or 0 if @pool is %NULL.
 */
size_t dmapool_ext_blocks_cached(struct dmapool_ext *pool)
{
	unsigned long flags;
	size_t n;

	if (!pool)
		return 0;
	spin_lock_irqsave(&pool->lock, flags);
	n = dpx_mag_count(pool);
	spin_unlock_irqrestore(&pool->lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(dmapool_ext_blocks_cached);

/* Empty both magazines of @cpu. See dpx_mag_flush() for the context. */
static void dpx_mag_drain_cpu(struct dmapool_ext *pool, int cpu)
{
	struct dpx_pcpu *pc = per_cpu_ptr(pool->pcpu, cpu);

	dpx_mag_flush(pool, &pc->mags[0]);
	dpx_mag_flush(pool, &pc->mags[1]);
}

/*
 * CPU hotplug: @cpu is dead, so no task can use its magazines any more;
 * give their blocks back to the pages. Runs on a CPU that is still up.
 */
static int dpx_cpu_dead(unsigned int cpu, struct hlist_node *node)
{
	struct dmapool_ext *pool = hlist_entry(node, struct dmapool_ext,
					       cpuhp);

	dpx_mag_drain_cpu(pool, cpu);
	return 0;
}

/**
 * dpx_mags_turn_on - turn a pool's magazines on, for good
 * @pool: the pool
 *
 * Until now every block moved under the pool lock and no busy bit was
 * kept, so no block is cached and a block is busy exactly when its start
 * is not free: compute every published page's busy map from its free
 * map, then publish the flag with a release store, so that a lockless
 * free that sees the flag sees the busy maps too. Pages published later
 * start with every block free and an empty busy map. Nothing reads or
 * writes a busy bit meanwhile: lockless paths wait for the flag, and
 * locked ones for the lock. A poisoning pool never turns them on.
 *
 * Context: pool->lock held.
 */
void dpx_mags_turn_on(struct dmapool_ext *pool)
{
	struct dpx_page *page;
	unsigned long *busy;
	unsigned int b, w;

	lockdep_assert_held(&pool->lock);
	if (!pool->mags || pool->mags_on)
		return;
	for (b = 0; b < (1U << pool->hash_bits); b++) {
		for (page = pool->hash->bucket[b]; page != DPX_CHAIN_END;
		     page = page->hnext) {
			busy = dpx_busy_map(pool, page);
			for (w = 0; w < pool->map_longs; w++)
				busy[w] = pool->start_map[w] &
					  ~page->free_map[w];
		}
	}
	/* Release: the busy maps before the flag (see dpx_mags_on()). */
	smp_store_release(&pool->mags_on, true);
}

/*
 * The locked alloc or free path found the pool lock taken (on PREEMPT_RT,
 * possibly by a preempted holder): take it, and since more than one
 * context uses the pool at once, turn its magazines on. Out of line: an
 * uncontended lock costs the fast path one trylock and one branch.
 */
#ifdef DPX_LOCK_INLINE
void dpx_lock_contended(struct dmapool_ext *pool)
	__acquires(&pool->lock)
{
	/* Interrupts and preemption are off already (dpx_lock_watch()). */
	do_raw_spin_lock(&pool->lock.rlock);
	if (unlikely(!pool->mags_on))
		dpx_mags_turn_on(pool);
}
#else
unsigned long dpx_lock_contended(struct dmapool_ext *pool)
	__acquires(&pool->lock)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	if (unlikely(!pool->mags_on))
		dpx_mags_turn_on(pool);
	return flags;
}
#endif

#ifdef DPX_TEST_HOOKS
/**
 * dpx_test_mags_on - turn a pool's magazines on, as contention would
 * @pool: the pool
 *
 * For the KUnit tests of the magazines, which cannot count on contention.
 *
 * Context: any context that may take a spinlock_t.
 */
void dpx_test_mags_on(struct dmapool_ext *pool)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	dpx_mags_turn_on(pool);
	spin_unlock_irqrestore(&pool->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(dpx_test_mags_on);
#endif

/* Set up @pool's magazines (empty). Return: 0 or a negative errno. */
int dpx_mag_create(struct dmapool_ext *pool)
{
	struct dpx_pcpu *pc;
	int cpu;

	for_each_possible_cpu(cpu) {
		pc = per_cpu_ptr(pool->pcpu, cpu);
		local_lock_init(&pc->lock);
		pc->loaded = &pc->mags[0];
		pc->prev = &pc->mags[1];
	}
	if (pool->poison)
		return 0;
	pool->mags = true;
	return cpuhp_state_add_instance_nocalls(dpx_cpuhp_state, &pool->cpuhp);
}

/*
 * Empty every CPU's magazines into the pages, for destroy: nothing uses
 * the pool any more (the caller's guarantee).
 */
void dpx_mag_destroy(struct dmapool_ext *pool)
{
	int cpu;

	if (!pool->mags)
		return;
	/* First: then no CPU going down drains the pool concurrently. */
	cpuhp_state_remove_instance_nocalls(dpx_cpuhp_state, &pool->cpuhp);
	for_each_possible_cpu(cpu)
		dpx_mag_drain_cpu(pool, cpu);
}

int __init dpx_mag_init(void)
{
	int ret;

	/* A PREPARE state's teardown runs once the CPU is dead. */
	ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "dmapool_ext:dead",
				      NULL, dpx_cpu_dead);
	if (ret < 0)
		return ret;
	dpx_cpuhp_state = ret;
	return 0;
}

void dpx_mag_exit(void)
{
	cpuhp_remove_multi_state(dpx_cpuhp_state);
}
