// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext allocation paths: single, preallocated and bulk allocation,
 * the reserve and the wait queue. The free paths are in free.c.
 *
 * Allocation order (as mainline): the backing allocator without direct
 * reclaim or IO, then the reserve, then (if the caller may sleep) the
 * allocator with the caller's full mask, then sleep on pool->wait until a
 * free puts an element in the reserve. The sleep has a timeout only as a
 * safety net; frees wake waiters themselves.
 *
 * Fast path: an allocation that the backing allocator satisfies is what a
 * pool does nearly all the time. It takes no lock, uses no atomic
 * instruction and writes nothing in the pool: one load of pool->flags
 * tells it that the pool is initialised and has neither fault injection
 * nor debug checks on, and its counter is a per-CPU increment. Everything
 * else (the reserve, waiting, fault injection, debug checks, misuse) is in
 * an out-of-line slow path.
 *
 * Locking: pool->lock (see core.c) covers the reserve. It is dropped before
 * every call of pool->alloc or pool->free and before sleeping.
 */
#include <linux/kmemleak.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/wait.h>

#include "internal.h"

/* Count @nr elements just taken from the reserve; pool->lock held. */
static void mempool_ext_note_hits(struct mempool_ext *pool, unsigned int nr)
{
	int drained;

	lockdep_assert_held(&pool->lock);
	WRITE_ONCE(pool->reserve_hits, pool->reserve_hits + nr);
	/*
	 * The high-water mark is the deepest drain of the reserve, measured
	 * against its size (not against a target raised for bulk waiters).
	 */
	drained = max(1, pool->min_nr) - pool->curr_nr;
	if (drained > 0 && drained > pool->high_water)
		WRITE_ONCE(pool->high_water, drained);
}

static void mempool_ext_account_wait(struct mempool_ext *pool, u64 ns)
{
	s64 max = atomic64_read(&pool->wait_max_ns);

	atomic_long_inc(&pool->waits);
	atomic64_add(ns, &pool->wait_ns);
	while ((s64)ns > max &&
	       !atomic64_try_cmpxchg(&pool->wait_max_ns, &max, ns))
		;
}

/* One call of the backing allocator, unless a fault is injected. */
static __always_inline void *
mempool_ext_backing_alloc(struct mempool_ext *pool, gfp_t gfp)
{
	void *element = NULL;

	this_cpu_inc(pool->pcpu->alloc_calls);
	if (likely(!test_bit(MEMPOOL_EXT_F_FAULT, &pool->flags)) ||
	    !mempool_ext_should_fail(pool))
		element = mempool_ext_call_alloc(pool, gfp);
	if (unlikely(!element))
		this_cpu_inc(pool->pcpu->alloc_failures);
	return element;
}

/*
 * Sleep on pool->wait until a free refills the reserve, or the safety-net
 * timeout. Called with pool->lock held (taken with @flags), which it
 * releases.
 */
static noinline void mempool_ext_wait_unlock(struct mempool_ext *pool,
					     unsigned long flags)
	__releases(&pool->lock)
{
	DEFINE_WAIT(wait);
	u64 start;

	/*
	 * Queue up before dropping the lock. A free that refills the reserve
	 * does so under the lock, so it either happened before we looked (and
	 * we did not get here) or happens after we are on pool->wait, where
	 * its waitqueue_active(), also under the lock, will find us: no lost
	 * wake-up.
	 */
	prepare_to_wait(&pool->wait, &wait, TASK_UNINTERRUPTIBLE);
	spin_unlock_irqrestore(&pool->lock, flags);

	start = ktime_get_ns();
	io_schedule_timeout(MEMPOOL_EXT_RETRY_TIMEOUT);
	finish_wait(&pool->wait, &wait);
	mempool_ext_account_wait(pool, ktime_get_ns() - start);
}

/*
 * A bulk allocation about to sleep until the reserve holds @need elements;
 * pool->lock held. It stays registered (*@waiting) until it returns
 * (mempool_ext_bulk_done()), and while it is, frees refill the reserve to
 * at least @need: a resize that shrinks the reserve meanwhile must not
 * leave it waiting for more than frees would ever put there. @need never
 * exceeds pool->capacity: it was at most max(1, min_nr) when the call
 * started, and the array never shrinks.
 */
static void mempool_ext_bulk_wait(struct mempool_ext *pool, unsigned int need,
				  bool *waiting)
{
	lockdep_assert_held(&pool->lock);
	if (!*waiting) {
		pool->bulk_waiters++;
		*waiting = true;
	}
	if (need > pool->bulk_need) {
		pool->bulk_need = need;
		mempool_ext_set_target(pool);
	}
}

/*
 * Fill the @need NULL slots of @elems[0..@count) from the reserve, all or
 * nothing: a caller never holds part of the reserve while it waits for
 * more, which is what makes bulk allocation deadlock-free. Returns true if
 * the slots were filled. Otherwise, if @may_sleep, sleeps until a free
 * refills the reserve (or the safety-net timeout) and returns false so
 * that the caller tries the allocator again; a bulk caller passes
 * @waiting, see mempool_ext_bulk_wait(). Bulk allocations and pools with
 * debug checks come here; single elements otherwise go through
 * mempool_ext_take_one().
 */
static bool mempool_ext_from_reserve(struct mempool_ext *pool, void **elems,
				     unsigned int count, unsigned int need,
				     bool may_sleep, bool *waiting)
{
	struct mempool_ext_bad bad = {};
	unsigned long flags;
	unsigned int i;
	bool debug;

	spin_lock_irqsave(&pool->lock, flags);
	if (likely(pool->curr_nr >= need)) {
		debug = mempool_ext_debug_on(pool);
		for (i = 0; i < count; i++) {
			if (elems[i])
				continue;
			elems[i] = mempool_ext_reserve_take(pool, &bad);
			if (unlikely(debug))
				mempool_ext_debug_track(pool, elems[i]);
		}
		mempool_ext_note_hits(pool, need);
		spin_unlock_irqrestore(&pool->lock, flags);
		/*
		 * Paired with smp_rmb() in mempool_ext_may_bypass() (free.c).
		 * Whoever gets these elements from us through a plain store
		 * and frees them must read a curr_nr no older than the one we
		 * just wrote, so it sees the reserve below target and refills
		 * it instead of giving the element to the allocator while
		 * somebody waits for it.
		 */
		smp_wmb();
		mempool_ext_debug_report(pool, &bad, "alloc");
		/* The leak report should point at our caller, not at init. */
		for (i = 0; i < count; i++)
			kmemleak_update_trace(elems[i]);
		return true;
	}
	if (may_sleep) {
		if (waiting)
			mempool_ext_bulk_wait(pool, need, waiting);
		mempool_ext_wait_unlock(pool, flags);
	} else {
		spin_unlock_irqrestore(&pool->lock, flags);
	}
	return false;
}

/*
 * A bulk allocation that waited returns: unregister it, and once no bulk
 * allocation waits any more let the reserve shrink back to what a resize
 * asked for meanwhile.
 */
static void mempool_ext_bulk_done(struct mempool_ext *pool)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	if (!--pool->bulk_waiters) {
		pool->bulk_need = 0;
		mempool_ext_set_target(pool);
	}
	mempool_ext_trim_unlock(pool, flags, "alloc");
}

/*
 * One element from the reserve, mempool_ext_from_reserve() for the common
 * case, with a single hold of the lock: take an element if there is one,
 * otherwise sleep if @may_sleep (until a free or the safety-net timeout).
 * A pool with debug checks on goes the general way. Returns the element,
 * or %NULL if there was none (after the sleep, if any).
 */
static __always_inline void *mempool_ext_take_one(struct mempool_ext *pool,
						  bool may_sleep)
{
	void *element = NULL;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	if (unlikely(mempool_ext_debug_on(pool))) {
		spin_unlock_irqrestore(&pool->lock, flags);
		mempool_ext_from_reserve(pool, &element, 1, 1, may_sleep, NULL);
		return element;
	}
	if (unlikely(!pool->curr_nr)) {
		if (may_sleep)
			mempool_ext_wait_unlock(pool, flags);
		else
			spin_unlock_irqrestore(&pool->lock, flags);
		return NULL;
	}
	element = __mempool_ext_reserve_pop(pool);
	mempool_ext_note_hits(pool, 1);
	spin_unlock_irqrestore(&pool->lock, flags);
	/* As the smp_wmb() in mempool_ext_from_reserve(). */
	smp_wmb();
	kmemleak_update_trace(element);
	return element;
}

/* Never dip into the emergency reserves or loop in the page allocator. */
static inline gfp_t mempool_ext_adjust_gfp(gfp_t gfp_mask)
{
	return gfp_mask | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
}

/*
 * Everything mempool_ext_alloc() does not do inline: misuse, fault
 * injection, the reserve and waiting. @tried: the fast path already made
 * (and counted) the first, non-reclaiming call of the allocator, in vain.
 */
static noinline void *mempool_ext_alloc_slow(struct mempool_ext *pool,
					     gfp_t gfp_mask, bool tried)
{
	void *element = NULL;
	gfp_t gfp_temp;

	if (!mempool_ext_check_usable(pool))
		return NULL;
	if (unlikely(gfp_mask & __GFP_ZERO))
		mempool_ext_warn_once(pool, MEMPOOL_EXT_WARN_GFP_ZERO,
				      "__GFP_ZERO is not supported by mempools; served anyway, but a reserve element is zeroed only if the pool knows its size\n");
	if (!tried)
		might_alloc(gfp_mask);

	gfp_mask = mempool_ext_adjust_gfp(gfp_mask);
	gfp_temp = gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
	if (unlikely(mempool_ext_debug_on(pool)))
		mempool_ext_debug_make_room(pool, 1, gfp_temp);

	for (;;) {
		if (!tried) {
			element = mempool_ext_backing_alloc(pool, gfp_temp);
			if (likely(element)) {
				if (unlikely(mempool_ext_debug_on(pool)))
					mempool_ext_debug_track_new(pool, element,
								    gfp_temp);
				break;
			}
		}
		tried = false;
		element = mempool_ext_take_one(pool,
					       !!(gfp_temp & __GFP_DIRECT_RECLAIM));
		if (likely(element)) {
			/* The allocator zeroes its elements, not the reserve. */
			if (unlikely(gfp_mask & __GFP_ZERO))
				mempool_ext_zero_element(pool, element);
			break;
		}
		if (gfp_temp != gfp_mask) {
			/* Reserve empty: now let the allocator reclaim. */
			gfp_temp = gfp_mask;
			continue;
		}
		if (!(gfp_mask & __GFP_DIRECT_RECLAIM))
			return NULL;
		/* We slept: a free or the timeout; try everything again. */
	}
	return element;
}

/**
 * mempool_ext_alloc - allocate an element
 * @pool: the pool
 * @gfp_mask: allocation flags; %__GFP_ZERO is not supported (see below)
 *
 * Tries the backing allocator without direct reclaim or IO, then the
 * reserve. If both fail and @gfp_mask allows direct reclaim, tries the
 * allocator with @gfp_mask and sleeps until an element is freed, as often
 * as it takes: such an allocation never fails.
 *
 * %__GFP_ZERO is not supported, as with mainline, which warns (with
 * CONFIG_DEBUG_VM) and goes on: reserve elements are not allocated anew,
 * so nothing zeroes them. Here it warns once per pool and goes on too, and
 * never fails an allocation that could otherwise succeed; the allocator
 * gets the flag, and a reserve element is zeroed if the pool knows its
 * size (slab, kmalloc and page pools), else handed out as it is.
 *
 * Context: Any context if @gfp_mask does not allow direct reclaim;
 * otherwise process context, may sleep.
 * Return: the element, or %NULL if @gfp_mask does not allow sleeping and
 * both the allocator and the reserve are exhausted, or if the pool was
 * never initialised.
 */
void *mempool_ext_alloc(struct mempool_ext *pool, gfp_t gfp_mask)
{
	void *element;

	/* One test covers misuse, fault injection and the debug checks. */
	if (likely(mempool_ext_fast(pool) && !(gfp_mask & __GFP_ZERO))) {
		might_alloc(gfp_mask);
		this_cpu_inc(pool->pcpu->alloc_calls);
		element = mempool_ext_call_alloc(pool,
						 mempool_ext_adjust_gfp(gfp_mask) &
						 ~(__GFP_DIRECT_RECLAIM | __GFP_IO));
		if (likely(element))
			return element;
		this_cpu_inc(pool->pcpu->alloc_failures);
		return mempool_ext_alloc_slow(pool, gfp_mask, true);
	}
	return mempool_ext_alloc_slow(pool, gfp_mask, false);
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc);

/**
 * mempool_ext_alloc_noreserve - allocate an element without the reserve
 * @pool: the pool
 * @gfp_mask: allocation flags, given to the backing allocator as they are
 *
 * One call of the backing allocator, as mainline's
 * mempool_alloc_noreserve(): never takes a reserve element and never
 * waits for one, so a caller that can do without keeps the reserve for
 * those that cannot. The element is the pool's like any other: it is
 * counted, checked by the debug checks, and given back with
 * mempool_ext_free() (which may keep it in the reserve). The pool's fault
 * injection applies.
 *
 * Context: As the backing allocator with @gfp_mask.
 * Return: the element, or %NULL if the allocator failed or the pool was
 * never initialised.
 */
void *mempool_ext_alloc_noreserve(struct mempool_ext *pool, gfp_t gfp_mask)
{
	void *element;

	if (!mempool_ext_check_usable(pool))
		return NULL;
	might_alloc(gfp_mask);
	if (unlikely(mempool_ext_debug_on(pool)))
		mempool_ext_debug_make_room(pool, 1, gfp_mask);
	element = mempool_ext_backing_alloc(pool, gfp_mask);
	if (element && unlikely(mempool_ext_debug_on(pool)))
		mempool_ext_debug_track_new(pool, element, gfp_mask);
	return element;
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc_noreserve);

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
	if (!mempool_ext_check_usable(pool))
		return NULL;
	if (unlikely(mempool_ext_debug_on(pool)))
		mempool_ext_debug_make_room(pool, 1, GFP_NOWAIT);
	return mempool_ext_take_one(pool, false);
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
 * reserve holds (max(1, min_nr)) could therefore never be satisfied: that,
 * a %NULL @elems or @allocated > @count warns once per pool and fails
 * without touching @elems.
 *
 * That check is made on entry. Should a mempool_ext_resize() shrink the
 * reserve below what the call needs while it waits for the reserve, the
 * call still succeeds: until it returns, frees refill the reserve to what
 * it needs (every time it wakes it checks, under the pool's lock, that the
 * reserve will be refilled that far), and the reserve shrinks to its new
 * size afterwards.
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
	unsigned int i, need = 0;
	bool waiting = false;
	int size;

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
	size = max(1, READ_ONCE(pool->min_nr));
	if (need > size) {
		mempool_ext_warn_once(pool, MEMPOOL_EXT_WARN_BULK,
				      "bulk allocation of %u elements exceeds the reserve of %d, refused\n",
				      need, size);
		return -EINVAL;
	}
	might_alloc(gfp_mask);
	if (unlikely(mempool_ext_debug_on(pool)))
		mempool_ext_debug_make_room(pool, need, gfp_mask);

	while (need) {
		for (i = 0; i < count && need; i++) {
			if (elems[i])
				continue;
			elems[i] = mempool_ext_backing_alloc(pool, gfp_temp);
			if (!elems[i])
				break;
			if (unlikely(mempool_ext_debug_on(pool)))
				mempool_ext_debug_track_new(pool, elems[i],
							    gfp_temp);
			need--;
		}
		if (!need)
			break;
		if (mempool_ext_from_reserve(pool, elems, count, need,
					     gfp_temp == gfp_mask, &waiting))
			break;
		gfp_temp = gfp_mask;
	}
	if (unlikely(waiting))
		mempool_ext_bulk_done(pool);
	return 0;
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc_bulk);
