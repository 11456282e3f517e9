/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mempool_ext: a guaranteed-forward-progress element pool.
 *
 * The API is mainline's mempool (6.19) with every mempool_X renamed to
 * mempool_ext_X and the pool type spelled struct mempool_ext, so a driver
 * ports by renaming. A pool keeps min_nr preallocated elements in reserve;
 * a sleeping allocation that the backing allocator cannot satisfy takes one
 * from the reserve or waits for the next free, so it never fails.
 *
 * Beyond mainline: per-pool fault injection (mempool_ext_set_fault() and the
 * debugfs file "fault"), runtime reserve poisoning and checks of every free
 * (module parameter "debug", mempool_ext_set_debug()), statistics in
 * /sys/kernel/debug/mempool_ext/<pool>/stats and from
 * mempool_ext_get_stats(), and misuse (negative min_nr, missing callbacks,
 * resize to 0, destroy with elements outstanding) that warns and returns
 * an error instead of crashing.
 *
 * Bad frees. With the debug checks on, a pool knows every element it has
 * handed out, and refuses (with a warning, once per pool) a free of
 * anything else: a pointer it never handed out, or a second free of one of
 * its own; the element is then neither put in the reserve nor given to the
 * free function, and the outstanding count stays exact. With the checks
 * off (the fast paths stay free of any bookkeeping) such a free goes
 * through like any other; what it leaves behind is an outstanding count
 * that would go negative: it is reported as 0 instead, with a warning once
 * per pool ("more frees than allocations"). A leak and as many bad frees
 * cancel out in that count: turn the checks on to tell them apart.
 *
 * Where mempool_ext differs from mainline on purpose (__GFP_ZERO, zero-
 * minimum pools, misuse that warns instead of BUG()) is listed in README.md,
 * "Porting notes".
 *
 * Unlike mainline the entry points are plain exported functions, not
 * alloc_hooks() macros: with memory allocation profiling on, the backing
 * allocations are charged to mempool_ext's helpers, not to the caller.
 *
 * Concurrency contract:
 *  - mempool_ext_alloc() with a gfp mask that cannot sleep,
 *    mempool_ext_alloc_preallocated(), mempool_ext_free() and
 *    mempool_ext_free_bulk() may be called from any context, hard IRQ
 *    included, as long as the pool's alloc_fn/free_fn can be.
 *  - Allocations that may sleep, mempool_ext_alloc_bulk() and
 *    mempool_ext_resize() need process context.
 *  - One spinlock per pool (pool->lock, IRQ-safe) protects the reserve
 *    array, its fill level, the reserve statistics and writes of min_nr
 *    and of the fault and debug settings. It is held only for a few
 *    pointer moves (plus, with debug checks on, the poison scans), never
 *    across a call into the backing allocator, so alloc_fn/free_fn may
 *    sleep or take their own locks.
 *  - The fast paths (an allocation the backing allocator satisfies, a free
 *    that the reserve does not need) take no lock and write nothing shared:
 *    their counters are per CPU.
 *  - resize runs concurrently with alloc and free; concurrent resizes are
 *    serialised by pool->resize_lock. Init, exit and destroy must not race
 *    with anything else on the same pool, as with mainline.
 *  - The free path reads curr_nr and min_nr without the lock; the barriers
 *    that make that safe are documented in alloc.c where they are
 *    paired.
 */
#ifndef _MEMPOOL_EXT_H
#define _MEMPOOL_EXT_H

#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/numa.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

struct dentry;
struct kmem_cache;

/* Same signatures as the kernel's mempool_alloc_t and mempool_free_t. */
typedef void *(mempool_ext_alloc_t)(gfp_t gfp_mask, void *pool_data);
typedef void (mempool_ext_free_t)(void *element, void *pool_data);

/*
 * A sleeping allocation waiting for a free also re-tries the backing
 * allocator after this long. It is only a safety net (memory may have come
 * back without any element being freed): a free wakes waiters at once.
 */
#define MEMPOOL_EXT_RETRY_TIMEOUT	(5 * HZ)

/**
 * enum mempool_ext_fault_mode - when the backing allocator is made to fail
 * @MEMPOOL_EXT_FAULT_OFF: never (the default)
 * @MEMPOOL_EXT_FAULT_ALWAYS: every call
 * @MEMPOOL_EXT_FAULT_EVERY_NTH: every Nth call, N being the mode's argument
 * @MEMPOOL_EXT_FAULT_PROBABILITY: each call with a probability of arg percent
 *
 * An injected failure replaces the call to the alloc_fn in
 * mempool_ext_alloc() and mempool_ext_alloc_bulk(); pool creation and
 * resize are not affected.
 */
enum mempool_ext_fault_mode {
	MEMPOOL_EXT_FAULT_OFF,
	MEMPOOL_EXT_FAULT_ALWAYS,
	MEMPOOL_EXT_FAULT_EVERY_NTH,
	MEMPOOL_EXT_FAULT_PROBABILITY,
};

/**
 * struct mempool_ext_stats - a snapshot of one pool's counters
 * @reserve_hits: elements handed out from the reserve
 * @waits: times an allocation slept waiting for a free
 * @wait_ns: total time spent in those sleeps
 * @wait_max_ns: longest single sleep
 * @alloc_calls: calls of the backing allocator by the allocation paths
 * @alloc_failures: of those, how many returned NULL or were failed on purpose
 * @faults_injected: failures injected by the fault knob
 * @outstanding: elements handed out and not yet returned; never negative
 *	(more frees than allocations read 0, see "Bad frees" above)
 * @reserve_max_drain: the deepest the reserve has been drained: the largest
 *	shortfall max(1, min_nr) - curr_nr seen right after elements were
 *	taken from it (0 while the reserve was never used; min_nr, or 1 for
 *	a zero-minimum pool, once it was emptied)
 * @high_water: deprecated name of @reserve_max_drain, kept for old callers
 *	(dmapool_ext's high-water mark counts blocks in use, a different
 *	quantity, hence the new names on both sides)
 * @debug_reports: corruptions and double frees found by the debug checks
 * @allocs: elements handed out, from the allocator or the reserve
 * @frees: elements taken back (refused frees not counted)
 *
 * Filled in by mempool_ext_get_stats(). The counters are kept per CPU or
 * under the pool's lock and summed on reading, so a snapshot taken while
 * the pool is in use is only approximately consistent (@outstanding can
 * even be off by the operations in flight); on a quiescent pool it is
 * exact.
 */
struct mempool_ext_stats {
	unsigned long reserve_hits;
	unsigned long waits;
	u64 wait_ns;
	u64 wait_max_ns;
	unsigned long alloc_calls;
	unsigned long alloc_failures;
	unsigned long faults_injected;
	long outstanding;
	union {
		unsigned long reserve_max_drain;
		unsigned long high_water;	/* deprecated */
	};
	unsigned long debug_reports;
	unsigned long allocs;
	unsigned long frees;
};

/* Counters bumped on the fast paths, one set per CPU (private). */
struct mempool_ext_pcpu_stats;

/*
 * Bits of struct mempool_ext::flags. The fast paths of alloc and free run
 * only while the word is exactly MEMPOOL_EXT_F_READY: one load and one
 * predictable branch cover the uninitialised pool, fault injection and the
 * debug checks. Private to mempool_ext (and its tests).
 */
#define MEMPOOL_EXT_F_READY	0	/* set between init and exit */
#define MEMPOOL_EXT_F_FAULT	1	/* a fault-injection mode is on */
#define MEMPOOL_EXT_F_DEBUG	2	/* poisoning and checks of every free */

/* The elements a pool with debug checks has handed out (debug.c). */
struct mempool_ext_track;

/**
 * struct mempool_ext - an element pool with a preallocated reserve
 * @lock: protects @curr_nr, @elements, @capacity, @reserve_hits,
 *	@reserve_max_drain, @bulk_waiters, @bulk_need, @track and writes of @min_nr,
 *	@target, @fault and the debug bit of @flags. Taken with interrupts
 *	disabled (pools are used from IRQ context) and never held across a
 *	call of @alloc or @free.
 * @min_nr: number of elements the reserve is kept at (READ_ONCE outside
 *	@lock)
 * @curr_nr: number of elements in the reserve now (READ_ONCE outside @lock)
 * @target: number of elements frees refill the reserve to: max(1, @min_nr,
 *	@bulk_need) (READ_ONCE outside @lock)
 * @capacity: number of slots in @elements, at least @target
 * @elements: the reserve, a stack of @curr_nr element pointers
 * @pool_data: argument for @alloc and @free
 * @alloc: the backing allocator
 * @free: gives an element back to the backing allocator
 * @wait: sleeping allocations waiting for an element to be freed
 * @flags: %MEMPOOL_EXT_F_READY, %MEMPOOL_EXT_F_FAULT and
 *	%MEMPOOL_EXT_F_DEBUG bits (atomic bitops; read once per fast path)
 * @pcpu: counters of the fast paths, per CPU
 * @reserve_hits: elements handed out from the reserve
 * @reserve_max_drain: deepest reserve drain, see &struct mempool_ext_stats
 * @high_water: deprecated name of @reserve_max_drain (its name until the
 *	stats were unified), kept so that old code still builds
 * @bulk_waiters: bulk allocations that have slept waiting for the reserve
 *	and not yet returned
 * @bulk_need: the most elements any of them needs at once (0 when there are
 *	none): a resize that shrinks the reserve below it while they wait
 *	takes full effect only once they are served
 * @track: with debug checks on, the elements handed out (else %NULL)
 * @resize_lock: serialises mempool_ext_resize() calls (sleeping lock,
 *	taken outside @lock)
 * @fault: fault-injection mode and argument packed in one word, written
 *	with WRITE_ONCE() so the allocation path reads a consistent pair
 * @fault_calls: backing-allocator calls counted for the every-Nth mode
 * @warned: one bit per kind of warning already printed for this pool
 * @waits: sleeps of allocations waiting for a free (atomic: slow path)
 * @wait_ns: total time of those sleeps
 * @wait_max_ns: longest of those sleeps
 * @debug_reports: findings of the debug checks
 * @id: unique number, part of @name
 * @name: "<kind>-<id>", the pool's debugfs directory name
 * @debugfs: the pool's debugfs directory, or %NULL
 *
 * Drivers may embed the structure (mempool_ext_init()) but must treat all
 * fields as private; @min_nr and @curr_nr may be read with READ_ONCE(),
 * the counters through mempool_ext_get_stats(). The KUnit tests also look
 * further inside.
 */
struct mempool_ext {
	/*
	 * What the reserve path and the sleeping path write: one cache line
	 * on a production kernel (checked in core.c), the only one that moves
	 * between CPUs when the allocations and frees of the reserve run on
	 * different CPUs. @wait is here and not with the read-mostly fields
	 * below: a sleep and its wake-up write @wait's lock, and they happen
	 * exactly while the reserve is empty, when this line is moving anyway.
	 */
	spinlock_t lock;		/* the reserve; see above */
	int min_nr;
	int curr_nr;
	int target;
	void **elements;
	unsigned long reserve_hits;	/* under @lock */
	union {				/* under @lock */
		unsigned long reserve_max_drain;
		unsigned long high_water;	/* deprecated */
	};
	wait_queue_head_t wait;

	/*
	 * What every allocation and free reads and nothing writes once the
	 * pool is set up (@fault changes only when a test turns fault
	 * injection on or off): it stays cached on every CPU using the pool.
	 */
	unsigned long flags ____cacheline_aligned_in_smp;
	struct mempool_ext_pcpu_stats __percpu *pcpu;
	void *pool_data;
	mempool_ext_alloc_t *alloc;
	mempool_ext_free_t *free;
	unsigned long fault;

	/* Rare paths: resize, bulk waits, debug checks, statistics. */
	int capacity ____cacheline_aligned_in_smp;
	unsigned int bulk_waiters;	/* under @lock */
	int bulk_need;			/* under @lock */
	struct mempool_ext_track *track; /* under @lock */
	struct mutex resize_lock;	/* one resize at a time */
	atomic_long_t fault_calls;
	unsigned long warned;
	atomic_long_t waits;
	atomic64_t wait_ns;
	atomic64_t wait_max_ns;
	atomic_long_t debug_reports;
	unsigned int id;
	char name[40];
	struct dentry *debugfs;
};

/**
 * mempool_ext_initialized - has the pool been set up?
 * @pool: the pool, possibly zeroed memory never passed to an init function
 *
 * Context: Any context.
 * Return: true between a successful mempool_ext_init*() and
 * mempool_ext_exit().
 */
static inline bool mempool_ext_initialized(struct mempool_ext *pool)
{
	/*
	 * Lockless: a resize swaps the reserve array under the pool's lock,
	 * from one array to another; only NULL or not matters here.
	 */
	return READ_ONCE(pool->elements);
}

/**
 * mempool_ext_is_saturated - is the reserve full?
 * @pool: the pool
 *
 * The answer can be stale by the time it is used, as with mainline.
 *
 * Context: Any context.
 * Return: true if the reserve holds at least min_nr elements.
 */
static inline bool mempool_ext_is_saturated(struct mempool_ext *pool)
{
	return READ_ONCE(pool->curr_nr) >= READ_ONCE(pool->min_nr);
}

int mempool_ext_init_node(struct mempool_ext *pool, int min_nr,
			  mempool_ext_alloc_t *alloc_fn,
			  mempool_ext_free_t *free_fn, void *pool_data,
			  gfp_t gfp_mask, int node_id);
int mempool_ext_init(struct mempool_ext *pool, int min_nr,
		     mempool_ext_alloc_t *alloc_fn, mempool_ext_free_t *free_fn,
		     void *pool_data);
struct mempool_ext *mempool_ext_create_node(int min_nr,
					    mempool_ext_alloc_t *alloc_fn,
					    mempool_ext_free_t *free_fn,
					    void *pool_data, gfp_t gfp_mask,
					    int node_id);
struct mempool_ext *mempool_ext_create(int min_nr,
				       mempool_ext_alloc_t *alloc_fn,
				       mempool_ext_free_t *free_fn,
				       void *pool_data);
void mempool_ext_exit(struct mempool_ext *pool);
void mempool_ext_destroy(struct mempool_ext *pool);
int mempool_ext_resize(struct mempool_ext *pool, int new_min_nr);

void *mempool_ext_alloc(struct mempool_ext *pool, gfp_t gfp_mask) __malloc;
void *mempool_ext_alloc_preallocated(struct mempool_ext *pool) __malloc;
void *mempool_ext_alloc_noreserve(struct mempool_ext *pool, gfp_t gfp_mask)
	__malloc;
int mempool_ext_alloc_bulk(struct mempool_ext *pool, void **elems,
			   unsigned int count, unsigned int allocated);
void mempool_ext_free(void *element, struct mempool_ext *pool);
unsigned int mempool_ext_free_bulk(struct mempool_ext *pool, void **elems,
				   unsigned int count);

int mempool_ext_set_fault(struct mempool_ext *pool,
			  enum mempool_ext_fault_mode mode, unsigned int arg);
int mempool_ext_set_debug(struct mempool_ext *pool, bool enable);
int mempool_ext_get_stats(struct mempool_ext *pool,
			  struct mempool_ext_stats *stats);

/* Backing allocator for a kmem_cache (without constructor) in pool_data. */
void *mempool_ext_alloc_slab(gfp_t gfp_mask, void *pool_data);
void mempool_ext_free_slab(void *element, void *pool_data);

/* Backing allocator for kmalloc() of the size (size_t) in pool_data. */
void *mempool_ext_kmalloc(gfp_t gfp_mask, void *pool_data);
void mempool_ext_kfree(void *element, void *pool_data);

/* Backing allocator for kvmalloc() of the size (size_t) in pool_data. */
void *mempool_ext_kvmalloc(gfp_t gfp_mask, void *pool_data);
void mempool_ext_kvfree(void *element, void *pool_data);

/* Backing allocator for pages of the order (long) in pool_data. */
void *mempool_ext_alloc_pages(gfp_t gfp_mask, void *pool_data);
void mempool_ext_free_pages(void *element, void *pool_data);

/**
 * mempool_ext_init_slab_pool - set up a pool of objects from a slab cache
 * @pool: the pool to initialise
 * @min_nr: number of objects kept in reserve
 * @kc: the cache; it must not have a constructor
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EINVAL on bad arguments, -ENOMEM.
 */
static inline int mempool_ext_init_slab_pool(struct mempool_ext *pool,
					     int min_nr, struct kmem_cache *kc)
{
	return mempool_ext_init(pool, min_nr, mempool_ext_alloc_slab,
				mempool_ext_free_slab, kc);
}

/**
 * mempool_ext_create_slab_pool - create a pool of objects from a slab cache
 * @min_nr: number of objects kept in reserve
 * @kc: the cache; it must not have a constructor
 *
 * Context: Process context, may sleep.
 * Return: the pool, or %NULL on bad arguments or lack of memory.
 */
static inline struct mempool_ext *
mempool_ext_create_slab_pool(int min_nr, struct kmem_cache *kc)
{
	return mempool_ext_create(min_nr, mempool_ext_alloc_slab,
				  mempool_ext_free_slab, kc);
}

/**
 * mempool_ext_init_kmalloc_pool - set up a pool of kmalloc()ed buffers
 * @pool: the pool to initialise
 * @min_nr: number of buffers kept in reserve
 * @size: size of each buffer in bytes
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EINVAL on bad arguments, -ENOMEM.
 */
static inline int mempool_ext_init_kmalloc_pool(struct mempool_ext *pool,
						int min_nr, size_t size)
{
	return mempool_ext_init(pool, min_nr, mempool_ext_kmalloc,
				mempool_ext_kfree, (void *)size);
}

/**
 * mempool_ext_create_kmalloc_pool - create a pool of kmalloc()ed buffers
 * @min_nr: number of buffers kept in reserve
 * @size: size of each buffer in bytes
 *
 * Context: Process context, may sleep.
 * Return: the pool, or %NULL on bad arguments or lack of memory.
 */
static inline struct mempool_ext *
mempool_ext_create_kmalloc_pool(int min_nr, size_t size)
{
	return mempool_ext_create(min_nr, mempool_ext_kmalloc,
				  mempool_ext_kfree, (void *)size);
}

/**
 * mempool_ext_init_kvmalloc_pool - set up a pool of kvmalloc()ed buffers
 * @pool: the pool to initialise
 * @min_nr: number of buffers kept in reserve
 * @size: size of each buffer in bytes
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EINVAL on bad arguments, -ENOMEM.
 */
static inline int mempool_ext_init_kvmalloc_pool(struct mempool_ext *pool,
						 int min_nr, size_t size)
{
	return mempool_ext_init(pool, min_nr, mempool_ext_kvmalloc,
				mempool_ext_kvfree, (void *)size);
}

/**
 * mempool_ext_create_kvmalloc_pool - create a pool of kvmalloc()ed buffers
 * @min_nr: number of buffers kept in reserve
 * @size: size of each buffer in bytes
 *
 * Context: Process context, may sleep.
 * Return: the pool, or %NULL on bad arguments or lack of memory.
 */
static inline struct mempool_ext *
mempool_ext_create_kvmalloc_pool(int min_nr, size_t size)
{
	return mempool_ext_create(min_nr, mempool_ext_kvmalloc,
				  mempool_ext_kvfree, (void *)size);
}

/**
 * mempool_ext_init_page_pool - set up a pool of page blocks
 * @pool: the pool to initialise
 * @min_nr: number of page blocks kept in reserve
 * @order: order of each block; elements are struct page pointers
 *
 * Context: Process context, may sleep.
 * Return: 0 on success, -EINVAL on bad arguments, -ENOMEM.
 */
static inline int mempool_ext_init_page_pool(struct mempool_ext *pool,
					     int min_nr, int order)
{
	return mempool_ext_init(pool, min_nr, mempool_ext_alloc_pages,
				mempool_ext_free_pages, (void *)(long)order);
}

/**
 * mempool_ext_create_page_pool - create a pool of page blocks
 * @min_nr: number of page blocks kept in reserve
 * @order: order of each block; elements are struct page pointers
 *
 * Context: Process context, may sleep.
 * Return: the pool, or %NULL on bad arguments or lack of memory.
 */
static inline struct mempool_ext *
mempool_ext_create_page_pool(int min_nr, int order)
{
	return mempool_ext_create(min_nr, mempool_ext_alloc_pages,
				  mempool_ext_free_pages, (void *)(long)order);
}

#endif /* _MEMPOOL_EXT_H */
