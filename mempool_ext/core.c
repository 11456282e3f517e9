// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext core: pool life cycle (init, create, exit, destroy, resize)
 * and the module's init/exit. The concurrency contract is at the top of
 * mempool_ext.h.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include <common/pool_ext_leak.h>
#include "internal.h"

static atomic_t mpx_next_id = ATOMIC_INIT(0);

/*
 * The layout promised in struct mempool_ext: on a production SMP kernel
 * (no lock debugging, spinlock_t a word, not PREEMPT_RT's rt_mutex)
 * everything the reserve and the sleeping paths write, the wait queue
 * included, fits in the pool's first cache line, so that they never
 * write the line of read-mostly fields every fast path reads.
 */
static_assert(!IS_ENABLED(CONFIG_SMP) || IS_ENABLED(CONFIG_PREEMPT_RT) ||
	      IS_ENABLED(CONFIG_DEBUG_SPINLOCK) ||
	      IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) ||
	      offsetofend(struct mempool_ext, wait) <= SMP_CACHE_BYTES,
	      "mempool_ext: the reserve's cache line overflows");

void mpx_warn_once(struct mempool_ext *pool,
		   enum mpx_warning bit, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (test_and_set_bit(bit, &pool->warned))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	/* A pool that was never set up has no name: say which one it is. */
	if (pool->name[0])
		mpx_warn(1, "%s: %pV", pool->name, &vaf);
	else
		mpx_warn(1, "pool %p (never initialised): %pV", pool, &vaf);
	va_end(args);
}

/* A short name saying what backs the pool, unique thanks to the id. */
static void mpx_set_name(struct mempool_ext *pool)
{
	char kind[24];

	if (pool->alloc == mempool_ext_kmalloc) {
		strscpy(kind, "kmalloc", sizeof(kind));
	} else if (pool->alloc == mempool_ext_kvmalloc) {
		strscpy(kind, "kvmalloc", sizeof(kind));
	} else if (pool->alloc == mempool_ext_alloc_slab) {
		strscpy(kind, "slab", sizeof(kind));
	} else if (pool->alloc == mempool_ext_alloc_pages) {
		strscpy(kind, "page", sizeof(kind));
	} else {
		/* The caller's allocator; "%ps" may append " [module]". */
		snprintf(kind, sizeof(kind), "%ps", pool->alloc);
		kind[strcspn(kind, " [")] = '\0';
	}
	pool->id = atomic_inc_return(&mpx_next_id);
	snprintf(pool->name, sizeof(pool->name), "%s-%u", kind, pool->id);
}

/* Empty the reserve into the backing allocator (teardown only). */
static void mpx_drain(struct mempool_ext *pool)
{
	struct mpx_bad bad = {};
	unsigned long flags;
	void *element;

	spin_lock_irqsave(&pool->lock, flags);
	while (pool->curr_nr) {
		element = mpx_reserve_take(pool, &bad);
		spin_unlock_irqrestore(&pool->lock, flags);
		mpx_debug_report(pool, &bad, "exit");
		pool->free(element, pool->pool_data);
		spin_lock_irqsave(&pool->lock, flags);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
}

/**
 * mempool_ext_init_node - initialise a pool in caller-provided memory
 * @pool: the pool; its previous contents are overwritten
 * @min_nr: number of elements kept in reserve (0 is allowed: such a pool
 *	still holds one element so that waiters can be fed by frees)
 * @alloc_fn: backing allocator
 * @free_fn: gives elements back to the backing allocator
 * @pool_data: argument passed to @alloc_fn and @free_fn
 * @gfp_mask: flags for the reserve array and the initial elements
 * @node_id: NUMA node for the reserve array, or %NUMA_NO_NODE
 *
 * Fills the reserve before returning. Bad arguments (negative @min_nr,
 * missing callbacks) warn and fail; @pool is then left zeroed, so
 * mempool_ext_initialized() is false and mempool_ext_exit() is a no-op.
 *
 * Context: Process context if @gfp_mask allows sleeping (it normally
 * does); @alloc_fn is called with @gfp_mask.
 * Return: 0 on success, -EINVAL on bad arguments, -ENOMEM if the reserve
 * could not be filled.
 */
int mempool_ext_init_node(struct mempool_ext *pool, int min_nr,
			  mempool_ext_alloc_t *alloc_fn,
			  mempool_ext_free_t *free_fn, void *pool_data,
			  gfp_t gfp_mask, int node_id)
{
	struct mempool_ext_track *track;
	unsigned long flags;
	void *element;

	if (mpx_warn(!pool, "init with a NULL pool\n"))
		return -EINVAL;
	memset(pool, 0, sizeof(*pool));
	if (mpx_warn(min_nr < 0, "negative min_nr %d refused\n", min_nr))
		return -EINVAL;
	if (mpx_warn(!alloc_fn || !free_fn,
		     "pool without %s callback refused\n",
		     alloc_fn ? "free" : "alloc"))
		return -EINVAL;

	spin_lock_init(&pool->lock);
	mutex_init(&pool->resize_lock);
	init_waitqueue_head(&pool->wait);
	pool->min_nr = min_nr;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	mpx_set_name(pool);

	pool->pcpu = alloc_percpu_gfp(struct mempool_ext_pcpu_stats, gfp_mask);
	if (!pool->pcpu)
		goto err_zero;
	pool->target = max(1, min_nr);
	pool->capacity = pool->target;
	pool->elements = kmalloc_array_node(pool->capacity, sizeof(void *),
					    gfp_mask, node_id);
	if (!pool->elements)
		goto err_free_pcpu;
	/* Before the fill: reserve_put() poisons when the debug bit is set. */
	pool->flags = BIT(MEMPOOL_EXT_F_READY);
	if (READ_ONCE(mpx_debug_default)) {
		track = mpx_debug_alloc(gfp_mask);
		if (!track)
			goto err_free_elements;
		spin_lock_irqsave(&pool->lock, flags);
		mpx_debug_start(pool, track);
		spin_unlock_irqrestore(&pool->lock, flags);
	}

	/* Nobody else can see the pool yet; the lock only feeds lockdep. */
	while (pool->curr_nr < mpx_target(pool)) {
		element = pool->alloc(gfp_mask, pool->pool_data);
		if (!element)
			goto err_drain;
		spin_lock_irqsave(&pool->lock, flags);
		mpx_reserve_put(pool, element);
		spin_unlock_irqrestore(&pool->lock, flags);
	}

	mpx_debugfs_add(pool);
	return 0;

err_drain:
	mpx_drain(pool);
	mpx_debug_stop(pool);
err_free_elements:
	kfree(pool->elements);
err_free_pcpu:
	free_percpu(pool->pcpu);
err_zero:
	mutex_destroy(&pool->resize_lock);
	memset(pool, 0, sizeof(*pool));
	return -ENOMEM;
}
EXPORT_SYMBOL_GPL(mempool_ext_init_node);

/**
 * mempool_ext_init - initialise a pool in caller-provided memory
 * @pool: the pool; its previous contents are overwritten
 * @min_nr: number of elements kept in reserve
 * @alloc_fn: backing allocator
 * @free_fn: gives elements back to the backing allocator
 * @pool_data: argument passed to @alloc_fn and @free_fn
 *
 * mempool_ext_init_node() with %GFP_KERNEL on any node.
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EINVAL on bad arguments, -ENOMEM.
 */
int mempool_ext_init(struct mempool_ext *pool, int min_nr,
		     mempool_ext_alloc_t *alloc_fn, mempool_ext_free_t *free_fn,
		     void *pool_data)
{
	return mempool_ext_init_node(pool, min_nr, alloc_fn, free_fn, pool_data,
				     GFP_KERNEL, NUMA_NO_NODE);
}
EXPORT_SYMBOL_GPL(mempool_ext_init);

/**
 * mempool_ext_create_node - allocate and initialise a pool
 * @min_nr: number of elements kept in reserve
 * @alloc_fn: backing allocator
 * @free_fn: gives elements back to the backing allocator
 * @pool_data: argument passed to @alloc_fn and @free_fn
 * @gfp_mask: flags for the pool, its reserve array and initial elements
 * @node_id: NUMA node for the pool structures, or %NUMA_NO_NODE
 *
 * Context: Process context if @gfp_mask allows sleeping.
 * Return: the pool, or %NULL on bad arguments (with a warning) or lack of
 * memory. Free it with mempool_ext_destroy().
 */
struct mempool_ext *mempool_ext_create_node(int min_nr,
					    mempool_ext_alloc_t *alloc_fn,
					    mempool_ext_free_t *free_fn,
					    void *pool_data, gfp_t gfp_mask,
					    int node_id)
{
	struct mempool_ext *pool;

	pool = kmalloc_node(sizeof(*pool), gfp_mask, node_id);
	if (!pool)
		return NULL;
	if (mempool_ext_init_node(pool, min_nr, alloc_fn, free_fn, pool_data,
				  gfp_mask, node_id)) {
		kfree(pool);
		return NULL;
	}
	return pool;
}
EXPORT_SYMBOL_GPL(mempool_ext_create_node);

/**
 * mempool_ext_create - allocate and initialise a pool
 * @min_nr: number of elements kept in reserve
 * @alloc_fn: backing allocator
 * @free_fn: gives elements back to the backing allocator
 * @pool_data: argument passed to @alloc_fn and @free_fn
 *
 * mempool_ext_create_node() with %GFP_KERNEL on any node.
 *
 * Context: Process context, may sleep.
 * Return: the pool, or %NULL on bad arguments or lack of memory.
 */
struct mempool_ext *mempool_ext_create(int min_nr,
				       mempool_ext_alloc_t *alloc_fn,
				       mempool_ext_free_t *free_fn,
				       void *pool_data)
{
	return mempool_ext_create_node(min_nr, alloc_fn, free_fn, pool_data,
				       GFP_KERNEL, NUMA_NO_NODE);
}
EXPORT_SYMBOL_GPL(mempool_ext_create);

/*
 * After the warning of an exit with elements out, with the debug checks
 * on: the elements grouped by the code they were handed out to.
 */
static void mpx_report_leaks(struct mempool_ext *pool)
{
	struct pool_ext_leaks l;
	unsigned long flags;
	long unknown;

	pool_ext_leaks_init(&l);
	spin_lock_irqsave(&pool->lock, flags);
	unknown = mpx_debug_leaks(pool, &l);
	spin_unlock_irqrestore(&pool->lock, flags);
	pool_ext_leaks_print(&l, pool->name, -1, "elements");
	if (unknown > 0)
		pr_warn("pool %s: %ld elements handed out before the checks were on\n",
			pool->name, unknown);
}

/**
 * mempool_ext_exit - tear down a pool set up with mempool_ext_init()
 * @pool: the pool
 *
 * Gives every reserved element back to the backing allocator (checking its
 * poison first when debug checks are on) and frees the reserve array.
 * Elements still handed out are not the pool's to free: their number is
 * reported with a warning (followed, with the debug checks on, by the
 * code they were handed out to, grouped). So are more frees than allocations, once per
 * pool (see mempool_ext_get_stats()). Calling this on zeroed memory, on a
 * pool whose init failed or twice is harmless. Must not race with other
 * calls on the pool.
 *
 * Context: Process context if free_fn may sleep.
 * Return: nothing.
 */
void mempool_ext_exit(struct mempool_ext *pool)
{
	struct mempool_ext_stats st;

	if (!pool->elements)
		return;
	mpx_debugfs_remove(pool);
	mpx_drain(pool);
	/*
	 * Quiescent now (nothing may race with exit): the sum is exact, and
	 * get_stats() warns if it is negative.
	 */
	mempool_ext_get_stats(pool, &st);
	if (mpx_warn(st.outstanding > 0,
		     "%s: destroyed with %ld element(s) outstanding\n",
		     pool->name, st.outstanding) && mpx_debug_on(pool))
		mpx_report_leaks(pool);
	mpx_debug_stop(pool);
	WRITE_ONCE(pool->flags, 0);
	free_percpu(pool->pcpu);
	pool->pcpu = NULL;
	kfree(pool->elements);
	pool->elements = NULL;
	pool->capacity = 0;
	mutex_destroy(&pool->resize_lock);
}
EXPORT_SYMBOL_GPL(mempool_ext_exit);

/**
 * mempool_ext_destroy - tear down and free a pool from mempool_ext_create()
 * @pool: the pool, or %NULL (then nothing happens)
 *
 * Context: Process context if free_fn may sleep.
 * Return: nothing.
 */
void mempool_ext_destroy(struct mempool_ext *pool)
{
	if (unlikely(!pool))
		return;
	mempool_ext_exit(pool);
	kfree(pool);
}
EXPORT_SYMBOL_GPL(mempool_ext_destroy);

/* Give waiters a chance at elements the resize just put in the reserve. */
static void mpx_wake_waiters(struct mempool_ext *pool)
{
	/* wq_has_sleeper()'s barrier pairs with the one in prepare_to_wait(). */
	if (wq_has_sleeper(&pool->wait))
		wake_up(&pool->wait);
}

/*
 * Give back reserve elements above pool->target (after a shrink), one at a
 * time since free_fn runs without the lock. Called with pool->lock held
 * (taken with @flags), which it releases.
 */
void mpx_trim_unlock(struct mempool_ext *pool, unsigned long flags,
		     const char *where)
	__releases(&pool->lock)
{
	struct mpx_bad bad = {};
	void *element;

	while (pool->curr_nr > pool->target) {
		element = mpx_reserve_take(pool, &bad);
		spin_unlock_irqrestore(&pool->lock, flags);
		mpx_debug_report(pool, &bad, where);
		pool->free(element, pool->pool_data);
		spin_lock_irqsave(&pool->lock, flags);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
}

/*
 * Make room for @new_min_nr elements; called with resize_lock held. A
 * request no allocator could serve is not the page allocator's to warn
 * about: the one warning is ours.
 */
static int mpx_grow_array(struct mempool_ext *pool, int new_min_nr)
{
	void **new_elements, **old_elements;
	unsigned long flags;

	/* capacity only changes under resize_lock: this read is stable. */
	if (new_min_nr <= pool->capacity)
		return 0;
	new_elements = kmalloc_array(new_min_nr, sizeof(*new_elements),
				     GFP_KERNEL | __GFP_NOWARN);
	if (!new_elements) {
		mpx_warn_once(pool, MEMPOOL_EXT_WARN_RESIZE_NOMEM,
			      "resize to %d failed: no memory for the reserve array (%zu bytes); pool unchanged\n",
			      new_min_nr,
			      array_size(new_min_nr, sizeof(void *)));
		return -ENOMEM;
	}

	spin_lock_irqsave(&pool->lock, flags);
	memcpy(new_elements, pool->elements,
	       pool->curr_nr * sizeof(*new_elements));
	old_elements = pool->elements;
	/* mempool_ext_initialized() reads it without the lock. */
	WRITE_ONCE(pool->elements, new_elements);
	pool->capacity = new_min_nr;
	spin_unlock_irqrestore(&pool->lock, flags);

	kfree(old_elements);
	return 0;
}

/**
 * mempool_ext_resize - change the number of reserved elements
 * @pool: the pool
 * @new_min_nr: the new reserve size, at least 1
 *
 * Shrinking hands the surplus reserved elements back to the backing
 * allocator at once. Growing enlarges the reserve array first (so no
 * element is ever dropped) and then tries to fill the reserve with
 * %GFP_KERNEL allocations; what the allocator cannot supply now is
 * supplied by later frees, as with mainline. Allocations and frees may run
 * concurrently (also from IRQ context); concurrent resizes are serialised.
 * Bulk allocations already waiting for more elements than the new size
 * keep the reserve at what they need until they are served (see
 * mempool_ext_alloc_bulk()); it shrinks to @new_min_nr then. A
 * @new_min_nr of 0 or less warns once per pool and fails; so does, with
 * -ENOMEM, one whose reserve array cannot be allocated.
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EINVAL for a bad @new_min_nr or an uninitialised
 * pool, -ENOMEM if the larger reserve array could not be allocated (the
 * pool is then unchanged).
 */
int mempool_ext_resize(struct mempool_ext *pool, int new_min_nr)
{
	unsigned long flags;
	void *element;
	int ret, tries;

	if (unlikely(!mempool_ext_initialized(pool))) {
		mpx_warn_once(pool, MEMPOOL_EXT_WARN_UNINIT,
			      "resize of an uninitialised pool\n");
		return -EINVAL;
	}
	if (new_min_nr <= 0) {
		mpx_warn_once(pool, MEMPOOL_EXT_WARN_RESIZE,
			      "resize to %d refused: min_nr must be at least 1\n",
			      new_min_nr);
		return -EINVAL;
	}
	might_sleep();

	mutex_lock(&pool->resize_lock);
	ret = mpx_grow_array(pool, new_min_nr);
	if (ret)
		goto out_unlock;

	spin_lock_irqsave(&pool->lock, flags);
	WRITE_ONCE(pool->min_nr, new_min_nr);
	mpx_set_target(pool);
	mpx_trim_unlock(pool, flags, "resize");

	/*
	 * Grow: allocate outside the lock, then re-check, since frees may
	 * have filled the reserve meanwhile. Bounded, so that allocations
	 * draining the reserve as fast as it fills cannot keep us here.
	 */
	for (tries = 0; tries < new_min_nr; tries++) {
		if (READ_ONCE(pool->curr_nr) >= mpx_target(pool))
			break;
		element = pool->alloc(GFP_KERNEL, pool->pool_data);
		if (!element)
			break;
		spin_lock_irqsave(&pool->lock, flags);
		if (pool->curr_nr < mpx_target(pool)) {
			mpx_reserve_put(pool, element);
			element = NULL;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
		if (element) {
			/* Raced with frees that filled the reserve. */
			pool->free(element, pool->pool_data);
			break;
		}
		mpx_wake_waiters(pool);
	}
out_unlock:
	mutex_unlock(&pool->resize_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(mempool_ext_resize);

static int __init mpx_module_init(void)
{
	mpx_debugfs_init();
	return 0;
}
module_init(mpx_module_init);

static void __exit mpx_module_exit(void)
{
	mpx_debugfs_exit();
}
module_exit(mpx_module_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mempool_ext: guaranteed-forward-progress element pools with fault injection, debug checks and statistics");
