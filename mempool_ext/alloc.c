// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext allocation and free paths: single, preallocated and bulk
 * allocation, the reserve and the wait queue; then (second half of the
 * file) free and free_bulk, which refill the reserve and wake waiters.
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
 * Locking: pool->lock (see mempool_ext.h) covers the reserve. It is dropped before
 * every call of pool->alloc or pool->free and before sleeping.
 */
#include <linux/instruction_pointer.h>
#include <linux/kmemleak.h>
#include <linux/ktime.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/wait.h>

#include "internal.h"
#include "trace.h"

/* Count @nr elements just taken from the reserve; pool->lock held. */
static void mpx_note_hits(struct mempool_ext *pool, unsigned int nr)
{
	int drained;

	lockdep_assert_held(&pool->lock);
	WRITE_ONCE(pool->reserve_hits, pool->reserve_hits + nr);
	/*
	 * The high-water mark is the deepest drain of the reserve, measured
	 * against its size (not against a target raised for bulk waiters).
	 */
	drained = max(1, pool->min_nr) - pool->curr_nr;
	if (drained > 0 && drained > pool->reserve_max_drain)
		WRITE_ONCE(pool->reserve_max_drain, drained);
}

static void mpx_account_wait(struct mempool_ext *pool, u64 ns)
{
	s64 max = atomic64_read(&pool->wait_max_ns);

	atomic_long_inc(&pool->waits);
	atomic64_add(ns, &pool->wait_ns);
	while ((s64)ns > max &&
	       !atomic64_try_cmpxchg(&pool->wait_max_ns, &max, ns))
		;
}

/*
 * Is a fault due for this call of the backing allocator? Only asked while
 * MEMPOOL_EXT_F_FAULT is set. "always", the mode that sends every
 * allocation to the reserve, is decided here without a call (it is also
 * the mode a test of the reserve path runs in, and that path should not
 * pay for the knob); the modes that need a counter or a random number are
 * decided in faultinject.c, which also counts and traces their faults.
 */
static __always_inline bool mpx_fault_due(struct mempool_ext *pool)
{
	/* "always" has no argument: the packed word is the bare mode. */
	if (likely(READ_ONCE(pool->fault) == MEMPOOL_EXT_FAULT_ALWAYS)) {
		this_cpu_inc(pool->pcpu->faults_injected);
		trace_mempool_ext_fault(pool, MEMPOOL_EXT_FAULT_ALWAYS);
		return true;
	}
	return mpx_should_fail(pool);
}

/* One call of the backing allocator, unless a fault is injected. */
static __always_inline void *
mpx_backing_alloc(struct mempool_ext *pool, gfp_t gfp)
{
	void *element = NULL;

	this_cpu_inc(pool->pcpu->alloc_calls);
	if (likely(!test_bit(MEMPOOL_EXT_F_FAULT, &pool->flags)) ||
	    !mpx_fault_due(pool))
		element = mpx_call_alloc(pool, gfp);
	if (unlikely(!element))
		this_cpu_inc(pool->pcpu->alloc_failures);
	return element;
}

/*
 * Sleep on pool->wait until a free refills the reserve, or the safety-net
 * timeout. Called with pool->lock held (taken with @flags), which it
 * releases.
 */
static noinline void mpx_wait_unlock(struct mempool_ext *pool,
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
	mpx_account_wait(pool, ktime_get_ns() - start);
}

/*
 * A bulk allocation about to sleep until the reserve holds @need elements;
 * pool->lock held. It stays registered (*@waiting) until it returns
 * (mpx_bulk_done()), and while it is, frees refill the reserve to
 * at least @need: a resize that shrinks the reserve meanwhile must not
 * leave it waiting for more than frees would ever put there. @need never
 * exceeds pool->capacity: it was at most max(1, min_nr) when the call
 * started, and the array never shrinks.
 */
static void mpx_bulk_wait(struct mempool_ext *pool, unsigned int need,
			  bool *waiting)
{
	lockdep_assert_held(&pool->lock);
	if (!*waiting) {
		pool->bulk_waiters++;
		*waiting = true;
	}
	if (need > pool->bulk_need) {
		pool->bulk_need = need;
		mpx_set_target(pool);
	}
}

/*
 * Fill the @need NULL slots of @elems[0..@count) from the reserve, all or
 * nothing: a caller never holds part of the reserve while it waits for
 * more, which is what makes bulk allocation deadlock-free. Returns true if
 * the slots were filled. Otherwise, if @may_sleep, sleeps until a free
 * refills the reserve (or the safety-net timeout) and returns false so
 * that the caller tries the allocator again; a bulk caller passes
 * @waiting, see mpx_bulk_wait(). Bulk allocations and pools with
 * debug checks come here; single elements otherwise go through
 * mpx_take_one(). @caller: the return address into the code the elements
 * are for, which the debug checks record.
 */
static bool mpx_from_reserve(struct mempool_ext *pool, void **elems,
			     unsigned int count, unsigned int need,
			     bool may_sleep, bool *waiting,
			     unsigned long caller)
{
	struct mpx_bad bad = {};
	unsigned long flags;
	unsigned int i;
	bool debug;

	spin_lock_irqsave(&pool->lock, flags);
	if (likely(pool->curr_nr >= need)) {
		debug = mpx_debug_on(pool);
		for (i = 0; i < count; i++) {
			if (elems[i])
				continue;
			elems[i] = mpx_reserve_take(pool, &bad);
			if (unlikely(debug))
				mpx_debug_track(pool, elems[i], caller);
		}
		mpx_note_hits(pool, need);
		spin_unlock_irqrestore(&pool->lock, flags);
		/*
		 * Paired with smp_rmb() in mpx_may_bypass() (below).
		 * Whoever gets these elements from us through a plain store
		 * and frees them must read a curr_nr no older than the one we
		 * just wrote, so it sees the reserve below target and refills
		 * it instead of giving the element to the allocator while
		 * somebody waits for it.
		 */
		smp_wmb();
		mpx_debug_report(pool, &bad, "alloc");
		/* The leak report should point at our caller, not at init. */
		for (i = 0; i < count; i++)
			kmemleak_update_trace(elems[i]);
		return true;
	}
	if (may_sleep) {
		if (waiting)
			mpx_bulk_wait(pool, need, waiting);
		mpx_wait_unlock(pool, flags);
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
static void mpx_bulk_done(struct mempool_ext *pool)
{
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	if (!--pool->bulk_waiters) {
		pool->bulk_need = 0;
		mpx_set_target(pool);
	}
	mpx_trim_unlock(pool, flags, "alloc");
}

/*
 * One element from the reserve, mpx_from_reserve() for the common
 * case, with a single hold of the lock: take an element if there is one,
 * otherwise sleep if @may_sleep (until a free or the safety-net timeout).
 * A pool with debug checks on goes the general way. Returns the element,
 * or %NULL if there was none (after the sleep, if any).
 */
static __always_inline void *mpx_take_one(struct mempool_ext *pool,
					  bool may_sleep, unsigned long caller)
{
	void *element = NULL;
	unsigned long flags;

	spin_lock_irqsave(&pool->lock, flags);
	if (unlikely(mpx_debug_on(pool))) {
		spin_unlock_irqrestore(&pool->lock, flags);
		mpx_from_reserve(pool, &element, 1, 1, may_sleep, NULL,
				 caller);
		return element;
	}
	if (unlikely(!pool->curr_nr)) {
		trace_mempool_ext_reserve_empty(pool, pool->min_nr, may_sleep);
		if (may_sleep)
			mpx_wait_unlock(pool, flags);
		else
			spin_unlock_irqrestore(&pool->lock, flags);
		return NULL;
	}
	element = __mempool_ext_reserve_pop(pool);
	mpx_note_hits(pool, 1);
	spin_unlock_irqrestore(&pool->lock, flags);
	/* As the smp_wmb() in mpx_from_reserve(). */
	smp_wmb();
	kmemleak_update_trace(element);
	return element;
}

/* Never dip into the emergency reserves or loop in the page allocator. */
static inline gfp_t mpx_adjust_gfp(gfp_t gfp_mask)
{
	return gfp_mask | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN;
}

/*
 * Everything mempool_ext_alloc() does not do inline: misuse, fault
 * injection, the reserve and waiting. @tried: the fast path already made
 * (and counted) the first, non-reclaiming call of the allocator, in vain.
 */
static noinline void *mpx_alloc_slow(struct mempool_ext *pool,
				     gfp_t gfp_mask, bool tried,
				     unsigned long caller)
{
	bool reserve = false, slept = false;
	void *element = NULL;
	u64 start = 0;
	gfp_t gfp_temp;

	if (!mpx_check_usable(pool))
		return NULL;
	if (unlikely(gfp_mask & __GFP_ZERO))
		mpx_warn_once(pool, MEMPOOL_EXT_WARN_GFP_ZERO,
			      "__GFP_ZERO is not supported by mempools; served anyway, but a reserve element is zeroed only if the pool knows its size\n");
	if (!tried)
		might_alloc(gfp_mask);
	/* How long a sleeping allocation waited, only for the event. */
	if (trace_mempool_ext_alloc_enabled())
		start = ktime_get_ns();

	gfp_mask = mpx_adjust_gfp(gfp_mask);
	gfp_temp = gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
	if (unlikely(mpx_debug_on(pool)))
		mpx_debug_make_room(pool, 1, gfp_temp);

	for (;;) {
		if (!tried) {
			element = mpx_backing_alloc(pool, gfp_temp);
			if (likely(element)) {
				if (unlikely(mpx_debug_on(pool)))
					mpx_debug_track_new(pool, element,
							    gfp_temp, caller);
				break;
			}
		}
		tried = false;
		element = mpx_take_one(pool,
				       !!(gfp_temp & __GFP_DIRECT_RECLAIM),
				       caller);
		if (likely(element)) {
			/* The allocator zeroes its elements, not the reserve. */
			if (unlikely(gfp_mask & __GFP_ZERO))
				mpx_zero_element(pool, element);
			reserve = true;
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
		slept = true;
	}
	trace_mempool_ext_alloc(pool, element, reserve,
				slept && start ? ktime_get_ns() - start : 0,
				caller);
	return element;
}

/*
 * The reserve path of mempool_ext_alloc(): its first call of the allocator
 * failed (or a fault was injected), on an initialised pool without debug
 * checks, without __GFP_ZERO. What is left to do in the common case, a
 * reserve that is not empty, is one hold of the lock around a pop and the
 * reserve counters: this function does just that, and saves and restores
 * few registers for it. Anything else (an empty reserve, so maybe a sleep;
 * debug checks turned on meanwhile) goes the general way, which looks at
 * the reserve again under the lock.
 */
static noinline void *mpx_alloc_reserve(struct mempool_ext *pool,
					gfp_t gfp_mask, unsigned long caller)
{
	unsigned long flags;
	void *element;

	spin_lock_irqsave(&pool->lock, flags);
	if (unlikely(!pool->curr_nr || mpx_debug_on(pool))) {
		spin_unlock_irqrestore(&pool->lock, flags);
		return mpx_alloc_slow(pool, gfp_mask, true, caller);
	}
	element = __mempool_ext_reserve_pop(pool);
	mpx_note_hits(pool, 1);
	spin_unlock_irqrestore(&pool->lock, flags);
	/* As the smp_wmb() in mpx_from_reserve(). */
	smp_wmb();
	kmemleak_update_trace(element);
	trace_mempool_ext_alloc(pool, element, true, 0, caller);
	return element;
}

/*
 * mempool_ext_alloc() on a pool with fault injection on (and nothing else
 * that needs the general path): the fast path, with the allocator's call
 * replaced by a fault when one is due, which then leads to the reserve
 * like any other failure. Out of line, so that the fast path of pools
 * without faults does not carry it.
 */
static noinline void *mpx_alloc_faulty(struct mempool_ext *pool,
				       gfp_t gfp_mask, unsigned long caller)
{
	void *element;

	might_alloc(gfp_mask);
	element = mpx_backing_alloc(pool, mpx_adjust_gfp(gfp_mask) &
				    ~(__GFP_DIRECT_RECLAIM | __GFP_IO));
	if (element) {
		trace_mempool_ext_alloc(pool, element, false, 0, caller);
		return element;
	}
	return mpx_alloc_reserve(pool, gfp_mask, caller);
}

/*
 * The fast path's allocation while its tracepoint is on: out of line and
 * reached by a tail call, as mpx_free_traced().
 */
static noinline void *mpx_alloc_traced(struct mempool_ext *pool,
				       void *element, unsigned long caller)
{
	trace_mempool_ext_alloc(pool, element, false, 0, caller);
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
	unsigned long flags = READ_ONCE(pool->flags);
	void *element;

	/* One test covers misuse, fault injection and the debug checks. */
	if (likely(flags == BIT(MEMPOOL_EXT_F_READY) &&
		   !(gfp_mask & __GFP_ZERO))) {
		might_alloc(gfp_mask);
		this_cpu_inc(pool->pcpu->alloc_calls);
		element = mpx_call_alloc(pool,
					 mpx_adjust_gfp(gfp_mask) &
					 ~(__GFP_DIRECT_RECLAIM | __GFP_IO));
		if (likely(element)) {
			if (trace_mempool_ext_alloc_enabled())
				return mpx_alloc_traced(pool, element,
							_RET_IP_);
			return element;
		}
		this_cpu_inc(pool->pcpu->alloc_failures);
		return mpx_alloc_reserve(pool, gfp_mask, _RET_IP_);
	}
	if (flags == (BIT(MEMPOOL_EXT_F_READY) | BIT(MEMPOOL_EXT_F_FAULT)) &&
	    !(gfp_mask & __GFP_ZERO))
		return mpx_alloc_faulty(pool, gfp_mask, _RET_IP_);
	return mpx_alloc_slow(pool, gfp_mask, false, _RET_IP_);
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

	if (!mpx_check_usable(pool))
		return NULL;
	might_alloc(gfp_mask);
	if (unlikely(mpx_debug_on(pool)))
		mpx_debug_make_room(pool, 1, gfp_mask);
	element = mpx_backing_alloc(pool, gfp_mask);
	if (element && unlikely(mpx_debug_on(pool)))
		mpx_debug_track_new(pool, element, gfp_mask, _RET_IP_);
	if (element)
		trace_mempool_ext_alloc(pool, element, false, 0, _RET_IP_);
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
	void *element;

	if (!mpx_check_usable(pool))
		return NULL;
	if (unlikely(mpx_debug_on(pool)))
		mpx_debug_make_room(pool, 1, GFP_NOWAIT);
	element = mpx_take_one(pool, false, _RET_IP_);
	if (element)
		trace_mempool_ext_alloc(pool, element, true, 0, _RET_IP_);
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
	gfp_t gfp_mask = mpx_adjust_gfp(GFP_KERNEL);
	gfp_t gfp_temp = gfp_mask & ~(__GFP_DIRECT_RECLAIM | __GFP_IO);
	unsigned int i, need = 0;
	bool waiting = false;
	int size;

	if (!mpx_check_usable(pool))
		return -EINVAL;
	if (!count)
		return 0;
	if (!elems || allocated > count) {
		mpx_warn_once(pool, MEMPOOL_EXT_WARN_BULK,
			      "bulk allocation with bad arguments refused\n");
		return -EINVAL;
	}
	for (i = 0; i < count; i++)
		need += !elems[i];
	size = max(1, READ_ONCE(pool->min_nr));
	if (need > size) {
		mpx_warn_once(pool, MEMPOOL_EXT_WARN_BULK,
			      "bulk allocation of %u elements exceeds the reserve of %d, refused\n",
			      need, size);
		return -EINVAL;
	}
	might_alloc(gfp_mask);
	if (unlikely(mpx_debug_on(pool)))
		mpx_debug_make_room(pool, need, gfp_mask);

	while (need) {
		for (i = 0; i < count && need; i++) {
			if (elems[i])
				continue;
			elems[i] = mpx_backing_alloc(pool, gfp_temp);
			if (!elems[i])
				break;
			if (unlikely(mpx_debug_on(pool)))
				mpx_debug_track_new(pool, elems[i],
						    gfp_temp, _RET_IP_);
			need--;
		}
		if (!need)
			break;
		if (mpx_from_reserve(pool, elems, count, need,
				     gfp_temp == gfp_mask, &waiting, _RET_IP_))
			break;
		gfp_temp = gfp_mask;
	}
	if (unlikely(waiting))
		mpx_bulk_done(pool);
	return 0;
}
EXPORT_SYMBOL_GPL(mempool_ext_alloc_bulk);

/*
 * The free paths: free and free_bulk, which refill the reserve and wake
 * waiting allocations.
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
 * Locking: pool->lock (see mempool_ext.h) covers the reserve. It is dropped before
 * every call of pool->free.
 */
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
static __always_inline bool mpx_may_bypass(struct mempool_ext *pool)
{
	/*
	 * Paired with the smp_wmb() in mpx_from_reserve() and
	 * mpx_take_one() (alloc.c). An element may have reached us
	 * without any barrier (say, through a pointer polled by this CPU);
	 * without this, the curr_nr read below could predate the allocation
	 * that took the element from the reserve, and we would hand the
	 * element to the allocator while the reserve is short.
	 */
	smp_rmb();
	if ((READ_ONCE(pool->flags) & ~BIT(MEMPOOL_EXT_F_FAULT)) !=
	    BIT(MEMPOOL_EXT_F_READY) ||
	    READ_ONCE(pool->curr_nr) < mpx_target(pool))
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
 * debug checks on, also check every element (mpx_debug_check_free())
 * and drop, report and set to NULL the slots of those refused: already in
 * the reserve, or never handed out. *@refused gets their number. Returns
 * the number of leading slots of @elems consumed, @first included.
 */
static unsigned int mpx_refill(struct mempool_ext *pool, void **elems,
			       unsigned int count, unsigned int first,
			       unsigned int *refused)
{
	void *first_double = NULL, *first_foreign = NULL;
	unsigned int i, consumed = first, doubles = 0;
	enum mpx_free_check check;
	bool debug, wake = false;
	unsigned long flags;

	*refused = 0;
	spin_lock_irqsave(&pool->lock, flags);
	debug = mpx_debug_on(pool);
	for (i = first; i < count; i++) {
		void *element = elems[i];

		if (!element) {
			consumed += consumed == i;
			continue;
		}
		check = debug ? mpx_debug_check_free(pool, element) :
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
		if (consumed != i || pool->curr_nr >= mpx_target(pool)) {
			/* Past the refill point: only check the others. */
			if (!debug)
				break;
			continue;
		}
		mpx_reserve_put(pool, element);
		elems[i] = NULL;
		wake = true;
		consumed++;
	}
	/*
	 * Waiters queue themselves under pool->lock (in
	 * mpx_wait_unlock(), alloc.c), so looking under the lock is
	 * exact and needs no barrier: a waiter either queued before we took
	 * the lock, and we see it, or looks at the reserve after we release
	 * it, and sees what we put there.
	 */
	wake = wake && waitqueue_active(&pool->wait);
	spin_unlock_irqrestore(&pool->lock, flags);

	if (doubles)
		mpx_debug_report_double_free(pool, first_double,
					     doubles);
	if (*refused > doubles)
		mpx_debug_report_foreign(pool, first_foreign,
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

	if (!count || !mpx_check_usable(pool))
		return 0;
	for (i = 0; i < count; i++) {
		returned += !!elems[i];
		lead += !returned;
	}

	if (mpx_may_bypass(pool))
		consumed = lead;
	else
		consumed = mpx_refill(pool, elems, count, lead,
				      &refused);
	this_cpu_add(pool->pcpu->frees, returned - refused);
	return consumed;
}
EXPORT_SYMBOL_GPL(mempool_ext_free_bulk);

/* A free into a pool with debug checks on, or into an uninitialised one. */
static noinline void mpx_free_checked(void *element,
				      struct mempool_ext *pool,
				      unsigned long caller)
{
	void *given = element;
	unsigned int refused;

	if (unlikely(!mempool_ext_initialized(pool))) {
		mpx_warn_once(pool, MEMPOOL_EXT_WARN_UNINIT,
			      "free into an uninitialised pool\n");
		/* Gone through exit: the allocator can still take it back. */
		if (pool->free)
			pool->free(element, pool->pool_data);
		return;
	}
	if (mpx_refill(pool, &element, 1, 0, &refused))
		element = NULL;
	if (!refused) {
		this_cpu_inc(pool->pcpu->frees);
		trace_mempool_ext_free(pool, given, !element, caller);
	}
	if (element)
		mpx_call_free(pool, element);
}

/*
 * The fast path's free while its tracepoint is on: out of line, so that
 * the fast path holds no value across the tracepoint's call.
 */
static noinline void mpx_free_traced(void *element, struct mempool_ext *pool,
				     unsigned long caller)
{
	trace_mempool_ext_free(pool, element, false, caller);
	mpx_call_free(pool, element);
}

/*
 * A free that may have to refill the reserve or feed a waiter, on a pool
 * without debug checks (those, and an uninitialised pool, are handed to
 * mpx_free_checked()): the single-element mpx_refill() in one hold of
 * the lock. The common case, the element goes into the reserve, is kept
 * straight and light on registers; a reserve that others refilled
 * meanwhile sends the element to the allocator after all.
 */
static noinline void mpx_free_slow(void *element,
				   struct mempool_ext *pool,
				   unsigned long caller)
{
	unsigned long flags;
	bool wake;

	if (unlikely(!mempool_ext_initialized(pool)))
		goto checked;
	spin_lock_irqsave(&pool->lock, flags);
	if (unlikely(mpx_debug_on(pool)))
		goto unlock_checked;
	if (unlikely(pool->curr_nr >= mpx_target(pool))) {
		spin_unlock_irqrestore(&pool->lock, flags);
		this_cpu_inc(pool->pcpu->frees);
		mpx_free_traced(element, pool, caller);
		return;
	}
	__mempool_ext_reserve_push(pool, element);
	/* Exact under the lock, see mpx_refill(). */
	wake = waitqueue_active(&pool->wait);
	spin_unlock_irqrestore(&pool->lock, flags);
	/* The element may be handed out again already: only its address. */
	trace_mempool_ext_free(pool, element, true, caller);
	this_cpu_inc(pool->pcpu->frees);
	if (unlikely(wake))
		wake_up(&pool->wait);
	return;

unlock_checked:
	spin_unlock_irqrestore(&pool->lock, flags);
checked:
	mpx_free_checked(element, pool, caller);
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
	if (likely(mpx_may_bypass(pool))) {
		this_cpu_inc(pool->pcpu->frees);
		if (trace_mempool_ext_free_enabled()) {
			mpx_free_traced(element, pool, _RET_IP_);
			return;
		}
		mpx_call_free(pool, element);
		return;
	}
	mpx_free_slow(element, pool, _RET_IP_);
}
EXPORT_SYMBOL_GPL(mempool_ext_free);
