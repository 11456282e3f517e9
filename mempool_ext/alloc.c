// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext allocation and free paths: the reserve stack, single and
 * bulk allocation, the wait queue, and free/free_bulk.
 *
 * Allocation order (as mainline): the backing allocator without direct
 * reclaim or IO, then the reserve, then (if the caller may sleep) the
 * allocator with the caller's full mask, then sleep on pool->wait until a
 * free puts an element in the reserve. The sleep has a timeout only as a
 * safety net; frees wake waiters themselves.
 *
 * Frees refill the reserve up to max(1, min_nr) before anything goes back
 * to the allocator. The one-element floor makes zero-minimum pools work:
 * there is always a slot for the element a waiter is waiting for.
 *
 * Locking: pool->lock (see core.c) covers the reserve. It is dropped before
 * every call of pool->alloc or pool->free and before sleeping.
 */
#include <linux/kmemleak.h>
#include <linux/ktime.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/wait.h>

#include "internal.h"

void mempool_ext_reserve_put(struct mempool_ext *pool, void *element)
{
	lockdep_assert_held(&pool->lock);
	mempool_ext_debug_poison(pool, element);
	pool->elements[pool->curr_nr] = element;
	/* Lockless readers: mempool_ext_free_bulk(), is_saturated(). */
	WRITE_ONCE(pool->curr_nr, pool->curr_nr + 1);
}

void *mempool_ext_reserve_take(struct mempool_ext *pool,
			       struct mempool_ext_bad *bad)
{
	void *element;

	lockdep_assert_held(&pool->lock);
	element = pool->elements[pool->curr_nr - 1];
	WRITE_ONCE(pool->curr_nr, pool->curr_nr - 1);
	mempool_ext_debug_verify(pool, element, bad);
	return element;
}

/* Count @nr elements as handed out and keep the high-water mark. */
static void mempool_ext_account_out(struct mempool_ext *pool, long nr)
{
	long out = atomic_long_add_return(nr, &pool->stats.outstanding);
	long high = atomic_long_read(&pool->stats.high_water);

	while (out > high &&
	       !atomic_long_try_cmpxchg(&pool->stats.high_water, &high, out))
		;
}

static void mempool_ext_account_wait(struct mempool_ext *pool, u64 ns)
{
	s64 max = atomic64_read(&pool->stats.wait_max_ns);

	atomic_long_inc(&pool->stats.waits);
	atomic64_add(ns, &pool->stats.wait_ns);
	while ((s64)ns > max &&
	       !atomic64_try_cmpxchg(&pool->stats.wait_max_ns, &max, ns))
		;
}

/* One call of the backing allocator, unless a fault is injected. */
static void *mempool_ext_backing_alloc(struct mempool_ext *pool, gfp_t gfp)
{
	void *element = NULL;

	atomic_long_inc(&pool->stats.alloc_calls);
	if (!mempool_ext_should_fail(pool))
		element = pool->alloc(gfp, pool->pool_data);
	if (unlikely(!element))
		atomic_long_inc(&pool->stats.alloc_failures);
	return element;
}

/*
 * Fill the @need NULL slots of @elems[0..@count) from the reserve, all or
 * nothing: a caller never holds part of the reserve while it waits for
 * more, which is what makes bulk allocation deadlock-free. Returns true if
 * the slots were filled. Otherwise, if @may_sleep, sleeps until a free
 * refills the reserve (or the safety-net timeout) and returns false so
 * that the caller tries the allocator again.
 */
static bool mempool_ext_from_reserve(struct mempool_ext *pool, void **elems,
				     unsigned int count, unsigned int need,
				     bool may_sleep)
{
	struct mempool_ext_bad bad = {};
	unsigned long flags;
	unsigned int i;
	DEFINE_WAIT(wait);
	u64 start;

	spin_lock_irqsave(&pool->lock, flags);
	if (likely(pool->curr_nr >= need)) {
		for (i = 0; i < count; i++) {
			if (!elems[i])
				elems[i] = mempool_ext_reserve_take(pool, &bad);
		}
		spin_unlock_irqrestore(&pool->lock, flags);
		/*
		 * Paired with smp_rmb() in mempool_ext_free_bulk(). Whoever
		 * gets these elements from us through a plain store and frees
		 * them must read a curr_nr no older than the one we just
		 * wrote, so it sees the reserve below target and refills it
		 * instead of giving the element to the allocator while
		 * somebody waits for it.
		 */
		smp_wmb();
		atomic_long_add(need, &pool->stats.reserve_hits);
		mempool_ext_debug_report(pool, &bad, "alloc");
		/* The leak report should point at our caller, not at init. */
		for (i = 0; i < count; i++)
			kmemleak_update_trace(elems[i]);
		return true;
	}
	if (!may_sleep) {
		spin_unlock_irqrestore(&pool->lock, flags);
		return false;
	}

	/*
	 * Queue up before dropping the lock. A free that refills the reserve
	 * does so under the lock, so it either happened before we looked (and
	 * we did not get here) or happens after we are on pool->wait, where
	 * its wq_has_sleeper() will find us: no lost wake-up.
	 */
	prepare_to_wait(&pool->wait, &wait, TASK_UNINTERRUPTIBLE);
	spin_unlock_irqrestore(&pool->lock, flags);

	start = ktime_get_ns();
	io_schedule_timeout(MEMPOOL_EXT_RETRY_TIMEOUT);
	finish_wait(&pool->wait, &wait);
	mempool_ext_account_wait(pool, ktime_get_ns() - start);
	return false;
}

/* Never dip into the emergency reserves or loop in the page allocator. */
static inline gfp_t mempool_ext_adjust_gfp(gfp_t gfp_mask)
{
	return gfp_mask | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
}

static bool mempool_ext_check_usable(struct mempool_ext *pool)
{
	if (likely(mempool_ext_initialized(pool)))
		return true;
	mempool_ext_warn_once(pool, MEMPOOL_EXT_WARN_UNINIT,
			      "use of an uninitialised pool\n");
	return false;
}

/**
 * mempool_ext_alloc - allocate an element
 * @pool: the pool
 * @gfp_mask: allocation flags; %__GFP_ZERO is not supported
 *
 * Tries the backing allocator without direct reclaim or IO, then the
 * reserve. If both fail and @gfp_mask allows direct reclaim, tries the
 * allocator with @gfp_mask and sleeps until an element is freed, as often
 * as it takes: such an allocation never fails. Reserve elements are not
 * zeroed, so %__GFP_ZERO is refused: it warns once per pool and returns
 * %NULL.
 *
 * Context: Any context if @gfp_mask does not allow direct reclaim;
 * otherwise process context, may sleep.
 * Return: the element, or %NULL if @gfp_mask does not allow sleeping and
 * both the allocator and the reserve are exhausted, if @gfp_mask has
 * %__GFP_ZERO, or if the pool was never initialised.
 */
void *mempool_ext_alloc(struct mempool_ext *pool, gfp_t gfp_mask)
{
	void *element = NULL;
	gfp_t gfp_temp;

	if (unlikely(gfp_mask & __GFP_ZERO)) {
		mempool_ext_warn_once(pool, MEMPOOL_EXT_WARN_GFP_ZERO,
				      "__GFP_ZERO is not supported, allocation refused\n");
		return NULL;
	}
	if (!mempool_ext_check_usable(pool))
		return NULL;
	might_alloc(gfp_mask);

	gfp_mask = mempool_ext_adjust_gfp(gfp_mask);
	gfp_temp = gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);

	for (;;) {
		element = mempool_ext_backing_alloc(pool, gfp_temp);
		if (likely(element))
			break;
		if (mempool_ext_from_reserve(pool, &element, 1, 1,
					     !!(gfp_temp & __GFP_DIRECT_RECLAIM)))
			break;
		if (gfp_temp != gfp_mask) {
			/* Reserve empty: now let the allocator reclaim. */
			gfp_temp = gfp_mask;
			continue;
		}
		if (!(gfp_mask & __GFP_DIRECT_RECLAIM))
			return NULL;
		/* We slept: a free or the timeout; try everything again. */
	}
	mempool_ext_account_out(pool, 1);
	return element;
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc);

/**
 * mempool_ext_alloc_preallocated - take an element from the reserve only
 * @pool: the pool
 *
 * Does not call the backing allocator and never sleeps.
 *
 * Context: Any context.
 * Return: a reserved element, or %NULL if the reserve is empty.
 */
void *mempool_ext_alloc_preallocated(struct mempool_ext *pool)
{
	void *element = NULL;

	if (!mempool_ext_check_usable(pool))
		return NULL;
	if (!mempool_ext_from_reserve(pool, &element, 1, 1, false))
		return NULL;
	mempool_ext_account_out(pool, 1);
	return element;
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc_preallocated);

/**
 * mempool_ext_alloc_bulk - fill an array with elements
 * @pool: the pool
 * @elems: array of @count slots; %NULL slots get an element, others are
 *	left alone
 * @count: number of slots in @elems
 * @allocated: number of slots the caller already filled (a hint, as with
 *	mainline; the %NULL slots are what counts)
 *
 * Like mainline, the allocation is %GFP_KERNEL (use the scoped
 * memalloc_noio/nofs API for constrained contexts) and never fails. The
 * reserve is used all-or-nothing, so several tasks bulk-allocating at
 * once cannot deadlock each holding part of it, which calling
 * mempool_ext_alloc() in a loop can. Asking for more elements than the
 * reserve holds could therefore never be satisfied: that, a %NULL @elems
 * or @allocated > @count warns once per pool and fails without touching
 * @elems.
 *
 * Context: Process context, may sleep.
 * Return: 0 once every slot is filled; -EINVAL on bad arguments or an
 * uninitialised pool.
 */
int mempool_ext_alloc_bulk(struct mempool_ext *pool, void **elems,
			   unsigned int count, unsigned int allocated)
{
	gfp_t gfp_mask = mempool_ext_adjust_gfp(GFP_KERNEL);
	gfp_t gfp_temp = gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
	unsigned int i, need = 0, wanted;

	if (!mempool_ext_check_usable(pool))
		return -EINVAL;
	if (!count)
		return 0;
	if (!elems || allocated > count) {
		mempool_ext_warn_once(pool, MEMPOOL_EXT_WARN_BULK,
				      "bulk allocation with bad arguments refused\n");
		return -EINVAL;
	}
	for (i = 0; i < count; i++)
		need += !elems[i];
	if (need > mempool_ext_target(pool)) {
		mempool_ext_warn_once(pool, MEMPOOL_EXT_WARN_BULK,
				      "bulk allocation of %u elements exceeds the reserve of %d, refused\n",
				      need, mempool_ext_target(pool));
		return -EINVAL;
	}
	might_alloc(gfp_mask);

	wanted = need;
	while (need) {
		for (i = 0; i < count && need; i++) {
			if (elems[i])
				continue;
			elems[i] = mempool_ext_backing_alloc(pool, gfp_temp);
			if (!elems[i])
				break;
			need--;
		}
		if (!need)
			break;
		if (mempool_ext_from_reserve(pool, elems, count, need,
					     gfp_temp == gfp_mask))
			break;
		gfp_temp = gfp_mask;
	}
	mempool_ext_account_out(pool, wanted);
	return 0;
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc_bulk);

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
 * function never calls free_fn). With debug checks on, an element that is
 * already in the reserve is a double free: it is reported (once per pool)
 * and its slot set to %NULL wherever it is in @elems, so the caller must
 * skip %NULL slots.
 *
 * Context: Any context.
 * Return: the number of leading slots of @elems consumed (elements moved
 * to the reserve, or %NULL slots); an offset into @elems.
 */
unsigned int mempool_ext_free_bulk(struct mempool_ext *pool, void **elems,
				   unsigned int count)
{
	unsigned int i, consumed, lead = 0, doubles = 0;
	void *first_double = NULL;
	unsigned long flags;
	bool debug, added = false;
	long returned = 0;

	if (!count || !mempool_ext_check_usable(pool))
		return 0;
	for (i = 0; i < count; i++) {
		returned += !!elems[i];
		lead += !returned;
	}
	consumed = lead;

	/*
	 * Paired with smp_wmb() in mempool_ext_from_reserve(). The element
	 * may have reached us without any barrier (say, through a pointer
	 * polled by this CPU); without this, the curr_nr read below could
	 * predate the allocation that emptied the reserve, and we would hand
	 * the element to the allocator while the reserve is short.
	 */
	smp_rmb();

	/*
	 * Take the lock only if the reserve needs an element or somebody
	 * waits. The waiter test (its smp_mb() pairs with the barrier in
	 * prepare_to_wait()) covers a stale curr_nr for an element that came
	 * straight from the allocator and so had no smp_wmb() pairing: a
	 * waiter is then fed at once instead of at the safety-net timeout.
	 */
	debug = READ_ONCE(pool->debug);
	if (!debug &&
	    READ_ONCE(pool->curr_nr) >= mempool_ext_target(pool) &&
	    !wq_has_sleeper(&pool->wait))
		goto out;

	spin_lock_irqsave(&pool->lock, flags);
	debug = pool->debug;
	for (i = lead; i < count; i++) {
		void *element = elems[i];

		if (!element) {
			consumed += consumed == i;
			continue;
		}
		if (debug && mempool_ext_debug_in_reserve(pool, element)) {
			first_double = first_double ?: element;
			doubles++;
			elems[i] = NULL;
			consumed += consumed == i;
			continue;
		}
		if (consumed != i || pool->curr_nr >= mempool_ext_target(pool)) {
			/* Past the refill point: only scan for doubles. */
			if (!debug)
				break;
			continue;
		}
		mempool_ext_reserve_put(pool, element);
		elems[i] = NULL;
		added = true;
		consumed++;
	}
	spin_unlock_irqrestore(&pool->lock, flags);

	if (doubles) {
		returned -= doubles;
		mempool_ext_debug_report_double_free(pool, first_double,
						     doubles);
	}
	/* Its barrier pairs with the one in prepare_to_wait(). */
	if (added && wq_has_sleeper(&pool->wait))
		wake_up(&pool->wait);
out:
	atomic_long_sub(returned, &pool->stats.outstanding);
	return consumed;
}
EXPORT_SYMBOL_GPL(mempool_ext_free_bulk);

/**
 * mempool_ext_free - return an element
 * @element: the element, or %NULL (then nothing happens)
 * @pool: the pool it came from
 *
 * Refills the reserve first; once it is full the element goes back to the
 * backing allocator. A waiting allocation is woken as soon as the reserve
 * gets the element. With debug checks on, freeing an element that is
 * already in the reserve is reported and ignored.
 *
 * Context: Any context, if the pool's free_fn can be called there.
 * Return: nothing.
 */
void mempool_ext_free(void *element, struct mempool_ext *pool)
{
	if (unlikely(!element))
		return;
	if (unlikely(!mempool_ext_initialized(pool))) {
		mempool_ext_warn_once(pool, MEMPOOL_EXT_WARN_UNINIT,
				      "free into an uninitialised pool\n");
		/* Gone through exit: the allocator can still take it back. */
		if (pool->free)
			pool->free(element, pool->pool_data);
		return;
	}
	if (!mempool_ext_free_bulk(pool, &element, 1))
		pool->free(element, pool->pool_data);
}
EXPORT_SYMBOL_GPL(mempool_ext_free);
