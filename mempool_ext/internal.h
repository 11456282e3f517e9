/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mempool_ext internals shared by the module's source files. Not part of
 * the API: drivers include only <mempool_ext/mempool_ext.h>.
 */
#ifndef _MEMPOOL_EXT_INTERNAL_H
#define _MEMPOOL_EXT_INTERNAL_H

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/indirect_call_wrapper.h>
#include <linux/lockdep.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/types.h>

#include <mempool_ext/mempool_ext.h>

/*
 * Every warning of the module starts with the module's name; the prefix is
 * added here, in one place, so the messages cannot drift apart.
 */
#define mpx_warn(cond, fmt, ...) \
	WARN(cond, KBUILD_MODNAME ": " fmt, ##__VA_ARGS__)

/* Bits of pool->warned: each kind of misuse warns once per pool. */
enum mpx_warning {
	MEMPOOL_EXT_WARN_GFP_ZERO,
	MEMPOOL_EXT_WARN_RESIZE,
	MEMPOOL_EXT_WARN_BULK,
	MEMPOOL_EXT_WARN_POISON,
	MEMPOOL_EXT_WARN_DOUBLE_FREE,
	MEMPOOL_EXT_WARN_UNINIT,
	MEMPOOL_EXT_WARN_RESIZE_NOMEM,
	MEMPOOL_EXT_WARN_FOREIGN,
	MEMPOOL_EXT_WARN_EXCESS_FREES,
};

/*
 * Counters of the lockless paths, one set per CPU so that allocations and
 * frees on different CPUs never write a shared cache line; bumped with
 * this_cpu_inc() and summed by mempool_ext_get_stats(). Outstanding
 * elements are derived rather than counted: (alloc_calls - alloc_failures)
 * + reserve_hits - frees.
 */
struct mempool_ext_pcpu_stats {
	unsigned long alloc_calls;	/* backing-allocator calls */
	unsigned long alloc_failures;	/* of those, NULL or injected */
	unsigned long faults_injected;	/* failures injected */
	unsigned long frees;		/* elements given back by users */
};

/*
 * Calls of the backing allocator from the allocation and free paths. With
 * retpolines an indirect call is expensive; pools on the helpers (most of
 * them) get a direct call instead, others the indirect one.
 */
static __always_inline void *mpx_call_alloc(struct mempool_ext *pool,
					    gfp_t gfp_mask)
{
	return INDIRECT_CALL_3(pool->alloc, mempool_ext_kmalloc,
			       mempool_ext_alloc_slab, mempool_ext_alloc_pages,
			       gfp_mask, pool->pool_data);
}

static __always_inline void mpx_call_free(struct mempool_ext *pool,
					  void *element)
{
	INDIRECT_CALL_3(pool->free, mempool_ext_kfree, mempool_ext_free_slab,
			mempool_ext_free_pages, element, pool->pool_data);
}

static inline bool mpx_debug_on(struct mempool_ext *pool)
{
	return test_bit(MEMPOOL_EXT_F_DEBUG, &pool->flags);
}

/*
 * WARN the first time a pool sees a given kind of problem (a bit of
 * pool->warned); later ones of that kind stay silent. The message is
 * prefixed with "mempool_ext: <pool name>: ". Defined in core.c.
 */
__printf(3, 4)
void mpx_warn_once(struct mempool_ext *pool,
		   enum mpx_warning bit, const char *fmt, ...);

/* Not an initialised pool: warn (once per pool) and refuse. */
static inline bool mpx_check_usable(struct mempool_ext *pool)
{
	if (likely(mempool_ext_initialized(pool)))
		return true;
	mpx_warn_once(pool, MEMPOOL_EXT_WARN_UNINIT,
		      "use of an uninitialised pool\n");
	return false;
}

/*
 * How many elements free refills the reserve to: pool->target, kept at
 * max(1, min_nr, bulk_need) by mpx_set_target(). A zero-minimum
 * pool still holds one element: otherwise a free would have nowhere to put
 * the element a sleeping allocation is waiting for (mainline's 2025 lost
 * wake-up). bulk_need keeps a reserve that a resize shrank large enough
 * for the bulk allocations already waiting for it (alloc.c).
 */
static inline int mpx_target(struct mempool_ext *pool)
{
	return READ_ONCE(pool->target);
}

/* Recompute pool->target after min_nr or bulk_need changed. */
static inline void mpx_set_target(struct mempool_ext *pool)
{
	lockdep_assert_held(&pool->lock);
	/* Lockless readers: the free fast path, resize's refill loop. */
	WRITE_ONCE(pool->target, max3(1, pool->min_nr, pool->bulk_need));
}

/* core.c: give the reserve's surplus over target back; drops the lock. */
void mpx_trim_unlock(struct mempool_ext *pool, unsigned long flags,
		     const char *where) __releases(&pool->lock);

/* stats.c: handed out minus given back, as summed now (may be negative). */
long mpx_outstanding(struct mempool_ext *pool);

/*
 * A corrupted reserve element found while taking it out under pool->lock;
 * reported (mpx_debug_report()) once the lock is dropped.
 */
struct mpx_bad {
	void *element;		/* first corrupted element, or NULL */
	size_t offset;		/* offset of its first bad byte */
	u8 found;		/* the byte found there */
	u8 expected;		/* the poison byte expected there */
	unsigned int nr;	/* corrupted elements found in total */
};

/*
 * helpers.c: what an element of a helper-backed pool is made of (*@units
 * pieces of *@size bytes: one object, or the pages of a block), for the
 * poisoning and for __GFP_ZERO; false for other pools. Units of page
 * pools are mapped with kmap_local_page().
 */
bool mpx_geometry(struct mempool_ext *pool, size_t *size,
		  unsigned int *units);
void *mpx_map_unit(struct mempool_ext *pool, void *element,
		   unsigned int i);
void mpx_unmap_unit(struct mempool_ext *pool, void *addr);
bool mpx_zero_element(struct mempool_ext *pool, void *element);

/*
 * debug.c: poisoning and the checks of every free. The wrappers below keep
 * the "are the checks on?" test inline, so that a pool without them pays
 * one bit test under the lock and no call.
 */
extern bool mpx_debug_default;
void __mempool_ext_debug_poison(struct mempool_ext *pool, void *element);
void __mempool_ext_debug_verify(struct mempool_ext *pool, void *element,
				struct mpx_bad *bad);
void __mempool_ext_debug_report(struct mempool_ext *pool,
				struct mpx_bad *bad, const char *where);

/* What the debug checks make of an element being freed (pool->lock held). */
enum mpx_free_check {
	MEMPOOL_EXT_FREE_OK,		/* handed out by this pool: accept */
	MEMPOOL_EXT_FREE_DOUBLE,	/* already in the reserve: refuse */
	MEMPOOL_EXT_FREE_FOREIGN,	/* never handed out, or gone: refuse */
};

struct mempool_ext_track *mpx_debug_alloc(gfp_t gfp_mask);
struct mempool_ext_track *mpx_debug_start(struct mempool_ext *pool,
					  struct mempool_ext_track *t);
void mpx_debug_make_room(struct mempool_ext *pool, unsigned int nr,
			 gfp_t gfp_mask);
void mpx_debug_track(struct mempool_ext *pool, void *element,
		     unsigned long caller);
void mpx_debug_track_new(struct mempool_ext *pool, void *element,
			 gfp_t gfp_mask, unsigned long caller);
struct pool_ext_leaks;
long mpx_debug_leaks(struct mempool_ext *pool, struct pool_ext_leaks *l);
enum mpx_free_check
mpx_debug_check_free(struct mempool_ext *pool, void *element);
void mpx_debug_stop(struct mempool_ext *pool);
void mpx_debug_report_double_free(struct mempool_ext *pool,
				  void *element, unsigned int nr);
void mpx_debug_report_foreign(struct mempool_ext *pool, void *element,
			      unsigned int nr);

static inline void mpx_debug_poison(struct mempool_ext *pool,
				    void *element)
{
	if (unlikely(mpx_debug_on(pool)))
		__mempool_ext_debug_poison(pool, element);
}

static inline void mpx_debug_verify(struct mempool_ext *pool,
				    void *element,
				    struct mpx_bad *bad)
{
	if (unlikely(mpx_debug_on(pool)))
		__mempool_ext_debug_verify(pool, element, bad);
}

/* Report what mpx_debug_verify() found, once the lock is dropped. */
static inline void mpx_debug_report(struct mempool_ext *pool,
				    struct mpx_bad *bad,
				    const char *where)
{
	if (unlikely(bad->nr))
		__mempool_ext_debug_report(pool, bad, where);
}

/*
 * The reserve stack; all called with pool->lock held. The __ versions
 * skip the debug checks: only for callers that found them off under the
 * same hold of the lock.
 */
static inline void __mempool_ext_reserve_push(struct mempool_ext *pool,
					      void *element)
{
	lockdep_assert_held(&pool->lock);
	pool->elements[pool->curr_nr] = element;
	/* Lockless readers: the free paths, is_saturated(). */
	WRITE_ONCE(pool->curr_nr, pool->curr_nr + 1);
}

static inline void *__mempool_ext_reserve_pop(struct mempool_ext *pool)
{
	lockdep_assert_held(&pool->lock);
	WRITE_ONCE(pool->curr_nr, pool->curr_nr - 1);
	return pool->elements[pool->curr_nr];
}

static inline void mpx_reserve_put(struct mempool_ext *pool,
				   void *element)
{
	mpx_debug_poison(pool, element);
	__mempool_ext_reserve_push(pool, element);
}

static inline void *mpx_reserve_take(struct mempool_ext *pool,
				     struct mpx_bad *bad)
{
	void *element = __mempool_ext_reserve_pop(pool);

	mpx_debug_verify(pool, element, bad);
	return element;
}

/* faultinject.c */
bool mpx_should_fail(struct mempool_ext *pool);
void mpx_fault_describe(struct mempool_ext *pool, char *buf,
			size_t len);
int mpx_fault_parse(struct mempool_ext *pool, char *cmd);

/* debugfs.c */
void mpx_debugfs_init(void);
void mpx_debugfs_exit(void);
void mpx_debugfs_add(struct mempool_ext *pool);
void mpx_debugfs_remove(struct mempool_ext *pool);

#endif /* _MEMPOOL_EXT_INTERNAL_H */
