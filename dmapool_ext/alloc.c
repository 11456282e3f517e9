// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext allocation and free.
 *
 * Both are O(1) (see dmapool_ext.h for the concurrency contract), and
 * neither trusts anything stored in DMA memory (see internal.h). In task
 * context, on a pool whose magazines are on (a pool that does not
 * poison, once its lock was found contended: see internal.h), an
 * allocation pops its CPU's magazines and a free pushes on them, under a
 * local_lock only; the pool lock is taken only to move a magazine's worth
 * of blocks to or from the pages (mag.c). Otherwise, and in interrupt
 * context, both work on the pages under the pool lock: an allocation
 * takes the lowest free block of the first page that has one; only when
 * no page has one does it go to the slow path at the end of this file,
 * which adds a page. A free is validated before it changes anything: the
 * address must lie in a page of this pool (hash lookup), start a block
 * that is not free (the free map) and, once the magazines are on, busy
 * (the page's busy map, whose bit it clears atomically), and match its
 * DMA handle. A free that fails any check is refused, counted and
 * reported, and the pool stays as it was.
 */

#include <linux/export.h>
#include <linux/instruction_pointer.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/sched/mm.h>
#include <linux/string.h>

#include "internal.h"
#include "trace.h"

/*
 * The end of an allocation while its tracepoint is on: out of line and
 * reached by a tail call, so that the fast path holds no value across the
 * tracepoint's call.
 */
static noinline void *dpx_alloc_traced(struct dmapool_ext *pool, void *block,
				       dma_addr_t dma, gfp_t gfp,
				       unsigned long caller)
{
	trace_dmapool_ext_alloc(pool, block, dma, caller);
	if (static_branch_unlikely(&dpx_poison_key) && pool->poison)
		return dpx_poison_alloc(pool, block, dma, gfp);
	if (want_init_on_alloc(gfp))
		return dpx_zero(pool, block);
	return block;
}

/*
 * Whether @pool's magazines are on: one flag test at the top of both
 * exported functions, so that a pool whose lock was never contended
 * takes main's locked path inline. Acquire: pairs with the release in
 * dpx_mags_turn_on(), so that the busy maps it computed are seen.
 */
static __always_inline bool dpx_mags_on(const struct dmapool_ext *pool)
{
	/* Pairs with smp_store_release() in dpx_mags_turn_on(). */
	return smp_load_acquire(&pool->mags_on);
}

/*
 * Whether this call may use the magazines, once they are on: a task with
 * interrupts and softirqs enabled. Not in an interrupt or softirq, which
 * could interrupt a task holding the magazines of its CPU (their
 * local_lock does not disable interrupts); and not with interrupts or
 * softirqs disabled either, where a caller may hold a lock that its
 * interrupt handlers take: taking the local_lock there would be no
 * deadlock (nothing in interrupt context takes it) but would teach
 * lockdep an interrupt-safe to interrupt-unsafe order. Those calls use
 * the pages under the pool lock.
 */
static __always_inline bool dpx_mag_ctx(void)
{
	return likely(!in_interrupt()) && likely(!irqs_disabled());
}

/*
 * Hand out @block of @page, just popped: mark it busy and finish the
 * allocation (zeroing, tracepoint). The block is ours alone: only now may
 * a free of it succeed. Until the bit is set, a stray free of it is
 * refused as a double free, which it is.
 */
static __always_inline void *dpx_mag_hand_out(struct dmapool_ext *pool,
					      void *block,
					      struct dpx_page *page,
					      gfp_t gfp, dma_addr_t *handle,
					      unsigned long caller)
{
	unsigned long off;

	dpx_test_point(pool, DPX_POINT_POPPED, block);
	off = block - page->vaddr;
	set_bit(off >> DPX_SHIFT(pool->gran_shift), dpx_busy_map(pool, page));
	*handle = page->dma + off;
	if (trace_dmapool_ext_alloc_enabled())
		return dpx_alloc_traced(pool, block, *handle, gfp, caller);
	if (want_init_on_alloc(gfp))
		return dpx_zero(pool, block);
	return block;
}

/*
 * Pop the top block of @mag, which has one, and count the allocation.
 * Caller holds the local_lock of @mag's CPU.
 */
static __always_inline void *dpx_mag_pop(struct dmapool_ext *pool,
					 struct dpx_mag *mag,
					 struct dpx_page **page)
{
	unsigned int n = mag->nr - 1;

	*page = mag->ent[n].page;
	WRITE_ONCE(mag->nr, n);
	this_cpu_inc(pool->pcpu->allocs);
	return mag->ent[n].vaddr;
}

/*
 * The fast path found both of its CPU's magazines empty and dropped the
 * local_lock: take it again, refill them from the pages (or add a page)
 * and pop. Out of line and reached by a tail call, so that the fast path
 * keeps no value across a call; it takes the local_lock itself, rather
 * than inherit it, so that each function takes and drops its locks and
 * sparse can check every one of them. The task may have moved, and this
 * CPU's magazines changed, in between: they are looked at afresh.
 */
static noinline void *dpx_alloc_mag_refill(struct dmapool_ext *pool,
					   gfp_t gfp, dma_addr_t *handle,
					   unsigned long caller)
{
	struct dpx_page *page;
	struct dpx_pcpu *pc;
	struct dpx_mag *mag;
	void *block;

	local_lock(&pool->pcpu->lock);
	pc = this_cpu_ptr(pool->pcpu);
	mag = pc->loaded;
	if (!mag->nr) {
		mag = pc->prev;
		if (mag->nr) {
			pc->prev = pc->loaded;
			pc->loaded = mag;
		} else if (dpx_mag_refill(pool, pc)) {
			mag = pc->loaded;
		} else {
			/* No page has a free block: add one. */
			local_unlock(&pool->pcpu->lock);
			return dpx_alloc_slow(pool, gfp, handle, caller);
		}
	}
	block = dpx_mag_pop(pool, mag, &page);
	local_unlock(&pool->pcpu->lock);
	return dpx_mag_hand_out(pool, block, page, gfp, handle, caller);
}

/*
 * The allocation from this CPU's magazines (a task, a pool with
 * magazines: see dpx_mag_ctx()). The local_lock keeps the other tasks of
 * this CPU out; interrupt handlers never touch the magazines.
 */
static __always_inline void *dpx_alloc_mag(struct dmapool_ext *pool,
					   gfp_t gfp, dma_addr_t *handle,
					   unsigned long caller)
{
	struct dpx_page *page;
	struct dpx_pcpu *pc;
	struct dpx_mag *mag;
	void *block;

	local_lock(&pool->pcpu->lock);
	pc = this_cpu_ptr(pool->pcpu);
	mag = pc->loaded;
	if (unlikely(!mag->nr)) {
		mag = pc->prev;
		if (unlikely(!mag->nr)) {
			local_unlock(&pool->pcpu->lock);
			return dpx_alloc_mag_refill(pool, gfp, handle, caller);
		}
		/* The previous one has blocks: swap, no lock. */
		pc->prev = pc->loaded;
		pc->loaded = mag;
	}
	block = dpx_mag_pop(pool, mag, &page);
	local_unlock(&pool->pcpu->lock);
	return dpx_mag_hand_out(pool, block, page, gfp, handle, caller);
}

/*
 * The allocation from the pages under the pool lock: pools whose
 * magazines are off (dpx_alloc_off()), and callers that may not use them
 * (dpx_alloc_locked()). @caller is the return address into the driver,
 * which the tracepoint and, with the checks on, the leak report name:
 * passed down from the exported function rather than read here as
 * _RET_IP_, which would be the driver's only if the calls in between
 * were compiled as tail calls, and kernels built with frame pointers
 * (arm64) or KCSAN compile none (-fno-optimize-sibling-calls).
 */
static __always_inline void *dpx_alloc_pages(struct dmapool_ext *pool,
					     gfp_t gfp, dma_addr_t *handle,
					     unsigned long caller)
{
	struct dpx_page *page;
	unsigned long flags;
	dma_addr_t dma;
	void *block;

	flags = dpx_lock_watch(pool);
	page = pool->avail;
	if (unlikely(!page)) {
		dpx_unlock(pool, flags);
		return dpx_alloc_slow(pool, gfp, handle, caller);
	}
	block = dpx_take(pool, page, &dma);
	if (static_branch_unlikely(&dpx_poison_key) && pool->poison)
		dpx_note_caller(pool, page, block, caller);
	dpx_unlock(pool, flags);
	this_cpu_inc(pool->pcpu->allocs);

	*handle = dma;
	/* Tail calls, so the fast path saves no registers around calls. */
	if (trace_dmapool_ext_alloc_enabled())
		return dpx_alloc_traced(pool, block, dma, gfp, caller);
	if (static_branch_unlikely(&dpx_poison_key) && pool->poison)
		return dpx_poison_alloc(pool, block, dma, gfp);
	if (want_init_on_alloc(gfp))
		return dpx_zero(pool, block);
	return block;
}

/*
 * The pages' path out of line, for callers of a pool whose magazines are
 * on that may not use them.
 */
static noinline void *dpx_alloc_locked(struct dmapool_ext *pool, gfp_t gfp,
				       dma_addr_t *handle,
				       unsigned long caller)
{
	return dpx_alloc_pages(pool, gfp, handle, caller);
}

/* The pages' path of a pool whose magazines are off; no ftrace entry. */
static noinline notrace void *dpx_alloc_off(struct dmapool_ext *pool,
					    gfp_t gfp, dma_addr_t *handle,
					    unsigned long caller)
{
	return dpx_alloc_pages(pool, gfp, handle, caller);
}

/*
 * The allocation of a pool whose magazines are on: from this CPU's
 * magazines if the caller may use them, else from the pages. Out of
 * line, reached by a tail call, so that the pages' inline path of a pool
 * with the magazines off keeps its registers to itself.
 */
static noinline void *dpx_alloc_on(struct dmapool_ext *pool, gfp_t gfp,
				   dma_addr_t *handle, unsigned long caller)
{
	if (dpx_mag_ctx())
		return dpx_alloc_mag(pool, gfp, handle, caller);
	/* A tail call: the magazines' path saves no registers for it. */
	return dpx_alloc_locked(pool, gfp, handle, caller);
}

/*
 * The allocation, inline in both exported functions. _RET_IP_ in here is
 * the exported function's return address into the driver (always
 * inlined), handed to both paths.
 */
static __always_inline void *dpx_alloc(struct dmapool_ext *pool, gfp_t gfp,
				       dma_addr_t *handle)
{
	if (WARN_ON_ONCE(!pool))
		return NULL;
	/*
	 * Only the slow path can sleep; the annotation stays here in debug
	 * kernels so a sleeping GFP in atomic context is caught even when
	 * a page has a free block.
	 */
	if (IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP) || IS_ENABLED(CONFIG_LOCKDEP))
		might_alloc(gfp);

	/*
	 * Tail calls both: inline, the pages' path made the compiler save
	 * its registers before the flag test, on the magazines' path too.
	 */
	if (unlikely(dpx_mags_on(pool)))
		return dpx_alloc_on(pool, gfp, handle, _RET_IP_);
	return dpx_alloc_off(pool, gfp, handle, _RET_IP_);
}

/**
 * dmapool_ext_alloc - allocate a block
 * @pool: the pool
 * @gfp: GFP flags, used when the pool must grow; __GFP_ZERO zeroes the block
 * @handle: where the block's DMA address goes
 *
 * Within a freshly added page, blocks are handed out in ascending address
 * order, and freed blocks are handed out again before a new page is added.
 * With the module parameter "debug" set when the pool was created, the
 * block is checked for writes made while it was free.
 *
 * Context: if @gfp does not allow sleeping (GFP_ATOMIC), any context that
 * may take a spinlock_t: not NMI, and on PREEMPT_RT not hard interrupt
 * context; process context otherwise.
 * Return: the block's CPU address, or %NULL if no memory could be had
 * (then @handle is not written).
 */
void *dmapool_ext_alloc(struct dmapool_ext *pool, gfp_t gfp,
			dma_addr_t *handle)
{
	return dpx_alloc(pool, gfp, handle);
}
EXPORT_SYMBOL_GPL(dmapool_ext_alloc);

/**
 * dmapool_ext_zalloc - allocate a zeroed block
 * @pool: the pool
 * @gfp: GFP flags, used when the pool must grow
 * @handle: where the block's DMA address goes
 *
 * dmapool_ext_alloc() with __GFP_ZERO.
 *
 * Context: if @gfp does not allow sleeping (GFP_ATOMIC), any context that
 * may take a spinlock_t: not NMI, and on PREEMPT_RT not hard interrupt
 * context; process context otherwise.
 * Return: the block's CPU address, or %NULL if no memory could be had.
 */
void *dmapool_ext_zalloc(struct dmapool_ext *pool, gfp_t gfp,
			 dma_addr_t *handle)
{
	return dpx_alloc(pool, gfp | __GFP_ZERO, handle);
}
EXPORT_SYMBOL_GPL(dmapool_ext_zalloc);

/* Finish freeing @block of a pool with init_on_free set, and unlock. */
static void dpx_free_zeroed(struct dmapool_ext *pool, void *block,
			    unsigned long flags)
	__releases(&pool->lock)
{
	memset(block, 0, pool->size);
	dpx_unlock(pool, flags);
}

/*
 * The end of a free while its tracepoint is on: out of line and reached
 * by a tail call, like dpx_alloc_traced(), so that the fast path holds no
 * value across the tracepoint's call. Still under the lock: the block may
 * be handed out again right after it is dropped.
 */
static noinline void dpx_free_traced(struct dmapool_ext *pool,
				     unsigned long flags, void *vaddr,
				     dma_addr_t dma, unsigned long caller)
	__releases(&pool->lock)
{
	trace_dmapool_ext_free(pool, vaddr, dma, caller);
	if (static_branch_unlikely(&dpx_poison_key) && pool->poison)
		dpx_free_poisoned(pool, vaddr, flags);
	else if (want_init_on_free())
		dpx_free_zeroed(pool, vaddr, flags);
	else
		dpx_unlock(pool, flags);
}

/*
 * Validate and carry out the free of @vaddr, in @page, with pool->lock
 * held (@flags), for @caller (the return address into the driver: see
 * dpx_alloc_pages()); drops it. Every way out is a tail call or the
 * unlock, so that no value has to survive a call and the fast path saves
 * no registers.
 */
static __always_inline void dpx_free_in_page(struct dmapool_ext *pool,
					     unsigned long flags, void *vaddr,
					     dma_addr_t dma,
					     struct dpx_page *page,
					     unsigned long caller)
	__releases(&pool->lock)
{
	unsigned long off = (unsigned long)vaddr - (unsigned long)page->vaddr;
	unsigned long idx = off >> DPX_SHIFT(pool->gran_shift);
	unsigned long w = BIT_WORD(idx);
	unsigned long *word = &page->free_map[w];

	/*
	 * One test for the checks of the free map: off a granule, on a
	 * granule where no block starts (its bit is always set), on a free
	 * block (bit set too), or with the wrong DMA address. That is all
	 * while the magazines are off. Once they are on, the busy bit too,
	 * cleared atomically (lockless frees clear others in the same
	 * word): it is clear on a cached block, and of two frees of one
	 * block only one finds it set.
	 */
	if (unlikely((off & pool->gran_mask) | (dma ^ (page->dma + off)) |
		     (*word & BIT_MASK(idx))) ||
	    unlikely(pool->mags_on &&
		     !test_and_clear_bit(idx, dpx_busy_map(pool, page)))) {
		dpx_refuse_free(pool, flags, vaddr, dma, page);
		return;
	}
	/* Whole words, not bit-string instructions: see dpx_take(). */
	*word |= BIT_MASK(idx);
	page->summary[dpx_sum_word(w)] |= BIT_MASK(w);
	/* The page had no free block: it goes to the front of the list. */
	if (!page->nr_free++) {
		page->anext = pool->avail;
		pool->avail = page;
	}
	pool->nr_active--;
	this_cpu_inc(pool->pcpu->frees);
	/*
	 * The tracepoint, poisoning and zeroing all run under the lock: once
	 * it is dropped the block can be handed out again.
	 */
	if (trace_dmapool_ext_free_enabled())
		dpx_free_traced(pool, flags, vaddr, dma, caller);
	else if (static_branch_unlikely(&dpx_poison_key) && pool->poison)
		dpx_free_poisoned(pool, vaddr, flags);
	else if (want_init_on_free())
		dpx_free_zeroed(pool, vaddr, flags);
	else
		dpx_unlock(pool, flags);
}

/* The free of an address whose bucket did not start with its page. */
static noinline void dpx_free_chained(struct dmapool_ext *pool,
				      unsigned long flags, void *vaddr,
				      dma_addr_t dma, unsigned long caller)
	__releases(&pool->lock)
{
	struct dpx_page *page = dpx_page_find(pool, (unsigned long)vaddr);

	if (!page)
		dpx_refuse_free(pool, flags, vaddr, dma, NULL);
	else
		dpx_free_in_page(pool, flags, vaddr, dma, page, caller);
}

/* Push a validated block on @mag, which has room; caller holds its lock. */
static __always_inline void dpx_mag_push(struct dmapool_ext *pool,
					 struct dpx_mag *mag, void *vaddr,
					 struct dpx_page *page)
{
	mag->ent[mag->nr].vaddr = vaddr;
	mag->ent[mag->nr].page = page;
	WRITE_ONCE(mag->nr, mag->nr + 1);
	/*
	 * A per-CPU increment, not a read and a write: the pages' path of an
	 * interrupt on this CPU counts in the same word (KCSAN saw the lost
	 * update).
	 */
	this_cpu_inc(pool->pcpu->frees);
}

/*
 * The fast path found both of its CPU's magazines full and dropped the
 * local_lock, with @vaddr validated and its busy bit cleared (so the
 * block is this call's alone): take the local_lock again, put the
 * previous magazine's blocks back on their pages if both are still full,
 * swap, and push @vaddr. Out of line and reached by a tail call, so that
 * the fast path keeps no value across a call; it takes the local_lock
 * itself, as dpx_alloc_mag_refill() does and for the same reasons, and
 * looks at this CPU's magazines afresh.
 */
static noinline void dpx_free_mag_full(struct dmapool_ext *pool,
				       void *vaddr, dma_addr_t dma,
				       struct dpx_page *page,
				       unsigned long caller)
{
	struct dpx_pcpu *pc;
	struct dpx_mag *mag;

	local_lock(&pool->pcpu->lock);
	pc = this_cpu_ptr(pool->pcpu);
	mag = pc->loaded;
	if (mag->nr == DPX_MAG_SIZE) {
		mag = pc->prev;
		if (mag->nr == DPX_MAG_SIZE)
			dpx_mag_flush(pool, mag);
		pc->prev = pc->loaded;
		pc->loaded = mag;
	}
	dpx_mag_push(pool, mag, vaddr, page);
	local_unlock(&pool->pcpu->lock);
	trace_dmapool_ext_free(pool, vaddr, dma, caller);
}

/*
 * The free under the pool lock: pools whose magazines are off (inline in
 * dmapool_ext_free(), as on main), callers that may not use them, and the
 * frees the magazines' path hands over (dpx_free_locked()).
 */
static __always_inline void dpx_free_pages(struct dmapool_ext *pool,
					   void *vaddr, dma_addr_t dma,
					   unsigned long caller)
{
	struct dpx_page *page;
	unsigned long flags;

	/*
	 * Everything is worked out under the lock, even what depends only
	 * on constant geometry: fewer values live across taking the lock
	 * means fewer registers to save and restore, which costs more than
	 * the few instructions it would take out of the critical section.
	 */
	flags = dpx_lock_watch(pool);
	page = *dpx_bucket(pool, dpx_key(pool, (unsigned long)vaddr));
	if (unlikely(!dpx_in_page(pool, page, (unsigned long)vaddr)))
		dpx_free_chained(pool, flags, vaddr, dma, caller);
	else
		dpx_free_in_page(pool, flags, vaddr, dma, page, caller);
}

/* The pages' path out of line, for the frees of dpx_free_on(). */
static noinline void dpx_free_locked(struct dmapool_ext *pool, void *vaddr,
				     dma_addr_t dma, unsigned long caller)
{
	dpx_free_pages(pool, vaddr, dma, caller);
}

/*
 * The free of a task on a pool with magazines: validate without the pool
 * lock and push the block on this CPU's magazines, emptying the previous
 * one into the pages first if both are full. The local_lock (preemption
 * off, or on PREEMPT_RT a spinlock_t, which holds rcu_read_lock()) is
 * also the RCU read-side section that keeps the hash table alive.
 * Return: true if done; false if the free is for the locked path: the
 * page was not found without the lock (a resize moved it, or it is not
 * the pool's), or a check failed, which the locked path repeats and
 * reports. A failed check changed nothing.
 */
static __always_inline bool dpx_free_mag(struct dmapool_ext *pool,
					 void *vaddr, dma_addr_t dma,
					 unsigned long caller)
{
	unsigned long addr = (unsigned long)vaddr, off;
	const struct dpx_hash *h;
	struct dpx_page *page;
	struct dpx_pcpu *pc;
	struct dpx_mag *mag;

	local_lock(&pool->pcpu->lock);
	h = READ_ONCE(pool->hash);
	dpx_test_point(pool, DPX_POINT_LOOKUP, vaddr);
	page = READ_ONCE(h->bucket[dpx_key(pool, addr) & h->mask]);
	if (unlikely(!dpx_in_page(pool, page, addr))) {
		page = dpx_page_find_lockless(pool, h, addr);
		if (!page)
			goto locked;
	}
	off = addr - (unsigned long)page->vaddr;
	if (unlikely((off & pool->gran_mask) | (dma ^ (page->dma + off))) ||
	    unlikely(!test_and_clear_bit(off >> DPX_SHIFT(pool->gran_shift),
					 dpx_busy_map(pool, page))))
		goto locked;
	/* Before the push: then the block can be handed out again. */
	if (want_init_on_free())
		memset(vaddr, 0, pool->size);
	pc = this_cpu_ptr(pool->pcpu);
	mag = pc->loaded;
	if (unlikely(mag->nr == DPX_MAG_SIZE)) {
		mag = pc->prev;
		if (unlikely(mag->nr == DPX_MAG_SIZE)) {
			local_unlock(&pool->pcpu->lock);
			dpx_free_mag_full(pool, vaddr, dma, page, caller);
			return true;
		}
		pc->prev = pc->loaded;
		pc->loaded = mag;
	}
	dpx_mag_push(pool, mag, vaddr, page);
	local_unlock(&pool->pcpu->lock);
	trace_dmapool_ext_free(pool, vaddr, dma, caller);
	return true;

locked:
	local_unlock(&pool->pcpu->lock);
	return false;
}

/* The pages' path of a pool whose magazines are off; no ftrace entry. */
static noinline notrace void dpx_free_off(struct dmapool_ext *pool,
					  void *vaddr, dma_addr_t dma,
					  unsigned long caller)
{
	dpx_free_pages(pool, vaddr, dma, caller);
}

/*
 * The free of a pool whose magazines are on: on this CPU's magazines if
 * the caller may use them and the lockless checks pass, else under the
 * pool lock. Out of line, reached by a tail call.
 */
static noinline void dpx_free_on(struct dmapool_ext *pool, void *vaddr,
				 dma_addr_t dma, unsigned long caller)
{
	if (dpx_mag_ctx() && dpx_free_mag(pool, vaddr, dma, caller))
		return;
	/* A tail call: it saves no registers on the magazines' path. */
	dpx_free_locked(pool, vaddr, dma, caller);
}

/**
 * dmapool_ext_free - give a block back to its pool
 * @pool: the pool the block came from
 * @vaddr: the block's CPU address, as returned by the allocation, or %NULL
 *	(then nothing happens)
 * @dma: the block's DMA address, as returned by the allocation
 *
 * The free is validated first, in every build: a foreign address, an
 * address inside a block, a DMA address that does not match, or a block
 * that is already free is refused with a warning (a full WARN once per
 * pool, an error line after that), counted in the pool's statistics, and
 * leaves the pool unchanged and usable. The caller promises that neither
 * the device nor the driver touches the block after a successful free.
 *
 * Context: any context that may take a spinlock_t: not NMI, and on
 * PREEMPT_RT not hard interrupt context.
 */
void dmapool_ext_free(struct dmapool_ext *pool, void *vaddr, dma_addr_t dma)
{
	if (unlikely(!vaddr || !pool)) {
		/* Freeing NULL is allowed; a NULL pool is not. */
		WARN_ON_ONCE(vaddr);
		return;
	}
	/* Tail calls both, as in dpx_alloc(). */
	if (unlikely(dpx_mags_on(pool))) {
		dpx_free_on(pool, vaddr, dma, _RET_IP_);
		return;
	}
	dpx_free_off(pool, vaddr, dma, _RET_IP_);
}
EXPORT_SYMBOL_GPL(dmapool_ext_free);

/*
 * No page had a free block: add a page and take its first block, for
 * @caller (the return address into the driver). Called with no lock held.
 */
void *dpx_alloc_slow(struct dmapool_ext *pool, gfp_t gfp, dma_addr_t *handle,
		     unsigned long caller)
{
	struct dpx_hash *table = NULL, *unused = NULL;
	struct dpx_page *page;
	unsigned long flags;
	unsigned int bits;
	dma_addr_t dma;
	void *block;

	might_alloc(gfp);
	page = dpx_page_new(pool, gfp);
	if (!page) {
		spin_lock_irqsave(&pool->lock, flags);
		pool->nr_failures++;
		spin_unlock_irqrestore(&pool->lock, flags);
		return NULL;
	}
	/*
	 * Keep at most one page per two buckets, so nearly every lookup hits
	 * the first entry of its bucket. The bigger table is allocated here,
	 * unlocked; if that fails the old one still works, with longer
	 * chains, until a later page gets it grown.
	 */
	bits = READ_ONCE(pool->hash_bits);
	if (READ_ONCE(pool->nr_pages) >= (1UL << (bits - 1)))
		table = dpx_hash_alloc(bits + 1, gfp, pool->node);

	spin_lock_irqsave(&pool->lock, flags);
	if (table)
		unused = dpx_hash_resize(pool, table, bits + 1);
	dpx_page_publish(pool, page);
	block = dpx_take(pool, page, &dma);
	if (pool->poison)
		dpx_note_caller(pool, page, block, caller);
	spin_unlock_irqrestore(&pool->lock, flags);
	this_cpu_inc(pool->pcpu->allocs);

	/* A table that was the pool's may still be read without the lock. */
	if (unused == table)
		kfree(unused);
	else
		kfree_rcu(unused, rcu);
	*handle = dma;
	trace_dmapool_ext_page(pool, page->vaddr, page->dma, true);
	trace_dmapool_ext_alloc(pool, block, dma, caller);
	if (static_branch_unlikely(&dpx_poison_key) && pool->poison)
		return dpx_poison_alloc(pool, block, dma, gfp);
	if (want_init_on_alloc(gfp))
		return dpx_zero(pool, block);
	return block;
}
