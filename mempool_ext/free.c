// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext free paths: free and free_bulk, which refill the reserve and
 * wake waiting allocations. The allocation paths are in alloc.c.
 *
 * Frees refill the reserve up to max(1, min_nr) before anything goes back
 * to the allocator. The one-element floor makes zero-minimum pools work:
 * there is always a slot for the element a waiter is waiting for.
 *
 * Fast path: a free that the reserve does not want (it is full and nobody
 * waits) is what a pool does nearly all the time. It takes no lock, uses
 * no atomic instruction and writes nothing in the pool: one load of
 * pool->flags tells it that the pool is initialised and has no debug
 * checks on, and its counter is a per-CPU increment. Refilling, waking,
 * the debug checks and misuse are in out-of-line slow paths.
 *
 * Locking: pool->lock (see core.c) covers the reserve. It is dropped before
 * every call of pool->free.
 */
#include <linux/instruction_pointer.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/wait.h>

#include "internal.h"
#include "trace.h"

/*
 * May a free skip the reserve and give its element straight back to the
 * allocator? Lockless. Fault injection does not matter to frees; debug
 * checks and an uninitialised pool send them to the slow paths.
 *
 * Waiters get their wake-up as in mainline: an allocation waits only while
 * the reserve is short, so elements taken from it are out; each of them,
 * when freed, sees the reserve short (thanks to the barrier below, unless
 * other frees refilled it and so woke the waiter) and goes into it on a
 * slow path, which wakes waiters.
 */
static __always_inline bool mempool_ext_may_bypass(struct mempool_ext *pool)
{
	/*
	 * Paired with the smp_wmb() in mempool_ext_from_reserve() and
	 * mempool_ext_take_one() (alloc.c). An element may have reached us
	 * without any barrier (say, through a pointer polled by this CPU);
	 * without this, the curr_nr read below could predate the allocation
	 * that took the element from the reserve, and we would hand the
	 * element to the allocator while the reserve is short.
	 */
	smp_rmb();
	if ((READ_ONCE(pool->flags) & ~BIT(MEMPOOL_EXT_F_FAULT)) !=
	    BIT(MEMPOOL_EXT_F_READY) ||
	    READ_ONCE(pool->curr_nr) < mempool_ext_target(pool))
		return false;
	/*
	 * Only for promptness: an element that came straight from the
	 * allocator has no barrier pairing, so its free may read a curr_nr
	 * older than a waiter's drain; if the waiter's queue entry is
	 * visible, the element feeds it now rather than the next reserve
	 * element freed. A plain read is enough: wq_has_sleeper()'s smp_mb()
	 * would order an earlier store of ours against it, and there is none.
	 */
	return !waitqueue_active(&pool->wait);
}

/*
 * Move elements from @elems[@first..@count) into the reserve while it is
 * below target, under pool->lock, and wake waiters if it got any. With the
 * debug checks on, also check every element (mempool_ext_debug_check_free())
 * and drop, report and set to NULL the slots of those refused: already in
 * the reserve, or never handed out. *@refused gets their number. Returns
 * the number of leading slots of @elems consumed, @first included.
 */
static unsigned int mempool_ext_refill(struct mempool_ext *pool, void **elems,
				       unsigned int count, unsigned int first,
				       unsigned int *refused)
{
	void *first_double = NULL, *first_foreign = NULL;
	unsigned int i, consumed = first, doubles = 0;
	enum mempool_ext_free_check check;
	bool debug, wake = false;
	unsigned long flags;

	*refused = 0;
	spin_lock_irqsave(&pool->lock, flags);
	debug = mempool_ext_debug_on(pool);
	for (i = first; i < count; i++) {
		void *element = elems[i];

		if (!element) {
			consumed += consumed == i;
			continue;
		}
		check = debug ? mempool_ext_debug_check_free(pool, element) :
				MEMPOOL_EXT_FREE_OK;
		if (check != MEMPOOL_EXT_FREE_OK) {
			if (check == MEMPOOL_EXT_FREE_DOUBLE) {
				first_double = first_double ?: element;
				doubles++;
			} else {
				first_foreign = first_foreign ?: element;
			}
			(*refused)++;
			elems[i] = NULL;
			consumed += consumed == i;
			continue;
		}
		if (consumed != i || pool->curr_nr >= mempool_ext_target(pool)) {
			/* Past the refill point: only check the others. */
			if (!debug)
				break;
			continue;
		}
		mempool_ext_reserve_put(pool, element);
		elems[i] = NULL;
		wake = true;
		consumed++;
	}
	/*
	 * Waiters queue themselves under pool->lock (in
	 * mempool_ext_wait_unlock(), alloc.c), so looking under the lock is
	 * exact and needs no barrier: a waiter either queued before we took
	 * the lock, and we see it, or looks at the reserve after we release
	 * it, and sees what we put there.
	 */
	wake = wake && waitqueue_active(&pool->wait);
	spin_unlock_irqrestore(&pool->lock, flags);

	if (doubles)
		mempool_ext_debug_report_double_free(pool, first_double,
						     doubles);
	if (*refused > doubles)
		mempool_ext_debug_report_foreign(pool, first_foreign,
						 *refused - doubles);
	if (wake)
		wake_up(&pool->wait);
	return consumed;
}

/**
 * mempool_ext_free_bulk - return elements to the reserve
 * @pool: the pool
 * @elems: the elements; %NULL slots are skipped
 * @count: number of slots in @elems
 *
 * Moves elements from the start of @elems into the reserve while it is
 * below max(1, min_nr), setting their slots to %NULL, and wakes waiters.
 * The elements from the returned offset on are not touched: the caller
 * gives them back to the backing allocator itself (as with mainline, this
 * function never calls free_fn). With debug checks on, an element the pool
 * did not hand out (already in the reserve: a double free; or a pointer
 * from elsewhere, or an element already freed) is refused: reported (once
 * per pool and kind) and its slot set to %NULL wherever it is in @elems,
 * so the caller must skip %NULL slots.
 *
 * Context: Any context.
 * Return: the number of leading slots of @elems consumed (elements moved
 * to the reserve, or %NULL slots); an offset into @elems.
 */
unsigned int mempool_ext_free_bulk(struct mempool_ext *pool, void **elems,
				   unsigned int count)
{
	unsigned int i, consumed, lead = 0, refused = 0;
	unsigned long returned = 0;

	if (!count || !mempool_ext_check_usable(pool))
		return 0;
	for (i = 0; i < count; i++) {
		returned += !!elems[i];
		lead += !returned;
	}

	if (mempool_ext_may_bypass(pool))
		consumed = lead;
	else
		consumed = mempool_ext_refill(pool, elems, count, lead,
					      &refused);
	this_cpu_add(pool->pcpu->frees, returned - refused);
	return consumed;
}
EXPORT_SYMBOL_GPL(mempool_ext_free_bulk);

/* A free into a pool with debug checks on, or into an uninitialised one. */
static noinline void mempool_ext_free_checked(void *element,
					      struct mempool_ext *pool,
					      unsigned long caller)
{
	void *given = element;
	unsigned int refused;

	if (unlikely(!mempool_ext_initialized(pool))) {
		mempool_ext_warn_once(pool, MEMPOOL_EXT_WARN_UNINIT,
				      "free into an uninitialised pool\n");
		/* Gone through exit: the allocator can still take it back. */
		if (pool->free)
			pool->free(element, pool->pool_data);
		return;
	}
	if (mempool_ext_refill(pool, &element, 1, 0, &refused))
		element = NULL;
	if (!refused) {
		this_cpu_inc(pool->pcpu->frees);
		trace_mempool_ext_free(pool, given, !element, caller);
	}
	if (element)
		mempool_ext_call_free(pool, element);
}

/*
 * A free that may have to refill the reserve or feed a waiter: the
 * single-element mempool_ext_refill() without debug checks, which send it
 * to mempool_ext_free_checked().
 */
static noinline void mempool_ext_free_slow(void *element,
					   struct mempool_ext *pool,
					   unsigned long caller)
{
	unsigned long flags;
	bool wake = false, reserve = false;

	if (unlikely(!mempool_ext_initialized(pool))) {
		mempool_ext_free_checked(element, pool, caller);
		return;
	}

	spin_lock_irqsave(&pool->lock, flags);
	if (unlikely(mempool_ext_debug_on(pool))) {
		spin_unlock_irqrestore(&pool->lock, flags);
		mempool_ext_free_checked(element, pool, caller);
		return;
	}
	if (pool->curr_nr < mempool_ext_target(pool)) {
		__mempool_ext_reserve_push(pool, element);
		reserve = true;
		/* Exact under the lock, see mempool_ext_refill(). */
		wake = waitqueue_active(&pool->wait);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	/* The element may be handed out again already: only its address. */
	trace_mempool_ext_free(pool, element, reserve, caller);
	if (reserve)
		element = NULL;

	if (wake)
		wake_up(&pool->wait);
	this_cpu_inc(pool->pcpu->frees);
	if (element)
		mempool_ext_call_free(pool, element);
}

/**
 * mempool_ext_free - return an element
 * @element: the element, or %NULL (then nothing happens)
 * @pool: the pool it came from
 *
 * Refills the reserve first; once it is full the element goes back to the
 * backing allocator. A waiting allocation is woken as soon as the reserve
 * gets the element. With debug checks on, freeing an element the pool did
 * not hand out (a double free, or a pointer from elsewhere) is reported
 * and ignored; with them off it cannot be told apart, see "Bad frees" in
 * <mempool_ext/mempool_ext.h>.
 *
 * Context: Any context, if the pool's free_fn can be called there.
 * Return: nothing.
 */
void mempool_ext_free(void *element, struct mempool_ext *pool)
{
	if (unlikely(!element))
		return;
	if (likely(mempool_ext_may_bypass(pool))) {
		this_cpu_inc(pool->pcpu->frees);
		trace_mempool_ext_free(pool, element, false, _RET_IP_);
		mempool_ext_call_free(pool, element);
		return;
	}
	mempool_ext_free_slow(element, pool, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mempool_ext_free);
