// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation and free.
 *
 * Concurrency: lockless and NMI-safe (given an NMI-safe cmpxchg).
 * The chunk list is walked under rcu_read_lock(); bitmap words change by
 * cmpxchg (bitmap.c); a search that loses the race for its area releases
 * what it claimed and searches again from there, as the kernel does. The
 * index (index.c) is updated after each bitmap change with atomic ORs.
 * Statistics are per-CPU counters. Nothing here waits for another CPU.
 *
 * Ordering: a chunk's avail changes by fully ordered atomics after the
 * bitmap, so a CPU that sees avail at "all free" knows every allocation
 * that completed before has been freed, and one that lands later will
 * see its bitmap change (the index shortcuts below rely on that).
 */
#include <linux/bug.h>
#include <linux/export.h>
#include <linux/instruction_pointer.h>
#include <linux/hardirq.h>
#include <linux/log2.h>
#include <linux/rculist.h>
#include <linux/string.h>
#include "index.h"
#include "trace.h"

/**
 * gpx_misuse - count a misuse of @pool and warn the first time per kind
 * @pool: the pool
 * @kind: what went wrong
 * @addr: the address (or offset) involved
 * @size: the size involved
 * @caller: the return address into the caller of the refused call
 *
 * Context: any context.
 */
void gpx_misuse(struct genpool_ext *pool, enum gpx_misuse kind,
		unsigned long addr, size_t size, unsigned long caller)
{
	this_cpu_inc(pool->stats->misuse);
	trace_genpool_ext_misuse(pool, kind, addr, size, caller);
	if (test_and_set_bit(kind, &pool->warned))
		return;
	gpx_warn(1, "%s: %#lx, %zu bytes, pool %s-%u\n",
		 gpx_misuse_text(kind), addr, size, pool->name ?: "pool", pool->id);
}

/*
 * Whether @algo is one of the built-in algorithms, whose searches use the
 * index and the chunk hints. A caller-supplied one gets the plain bitmap
 * of every chunk with the room, as in the kernel.
 */
static inline bool gpx_builtin(genpool_ext_algo_t algo)
{
	return algo == genpool_ext_first_fit || algo == genpool_ext_best_fit ||
	       algo == genpool_ext_first_fit_align ||
	       algo == genpool_ext_first_fit_order_align ||
	       algo == genpool_ext_fixed_alloc;
}

/* The longest run a failed search for @nr units at alignment @amask allows. */
static inline unsigned long gpx_fail_bound(unsigned long nr,
					   unsigned long amask)
{
	/* A run of nr + amask units holds an aligned candidate. */
	return amask > ULONG_MAX - nr ? ULONG_MAX : nr - 1 + amask;
}

/*
 * Search @chunk for @nr units with @algo. The built-in algorithms are
 * recognised and answered with the index; anything else gets the bitmap.
 * @empty: the chunk had no allocation when we looked (not on a retry).
 * @bound: if the search fails, set to the longest free run its failure
 * allows (ULONG_MAX if it proves nothing, as for a fixed offset).
 */
static __always_inline unsigned long gpx_search(struct genpool_ext *pool,
						struct genpool_ext_chunk *chunk,
						genpool_ext_algo_t algo,
						void *data, unsigned long start,
						unsigned long nr, bool empty,
						unsigned long *words,
						unsigned long *bound)
{
	struct gpx_ctx c = {
		.map = chunk->bits,
		.size = chunk->nbits,
		.index = chunk->index,
	};
	struct gpx_req r = { .nr = nr };
	unsigned long bit, a;

	if (algo == genpool_ext_best_fit) {
		/* In an empty chunk the one run from @start is the best fit. */
		if (empty)
			return nr <= c.size - start ? start : c.size;
		bit = gpx_search_best(&c, start, nr);
		*bound = nr - 1;
		goto out;
	}
	if (algo == genpool_ext_first_fit_order_align) {
		r.amask = roundup_pow_of_two(nr) - 1;
	} else if (algo == genpool_ext_first_fit_align) {
		if (!gpx_align_req(pool, data, chunk->start_addr, nr, &r))
			return c.size;
	} else if (algo == genpool_ext_fixed_alloc) {
		bit = gpx_fixed(&c, pool, data, start, nr);
		goto out;
	} else if (algo != genpool_ext_first_fit) {
		return algo(chunk->bits, chunk->nbits, start, nr, data, pool,
			    chunk->start_addr);
	}
	if (empty) {
		a = gpx_align(start, &r);
		return a < c.size && nr <= c.size - a ? a : c.size;
	}
	bit = gpx_search_first(&c, start, &r);
	*bound = gpx_fail_bound(nr, r.amask);
out:
	*words += c.words;
	return bit;
}

/*
 * An allocation an exported function (genpool_ext_alloc_algo_owner(), the
 * genpool_ext_dma_*() family) asked for on behalf of @caller, the return
 * address into the driver: what the tracepoints and, with the debug
 * checks on, the leak report name.
 */
static unsigned long gpx_alloc(struct genpool_ext *pool, size_t size,
			       genpool_ext_algo_t algo, void *data,
			       void **owner, unsigned long caller)
{
	struct genpool_ext_chunk *chunk;
	unsigned long addr, words = 0, nbits, bit, bytes, unit, skip_below;
	long avail;
	int order;

#ifndef CONFIG_ARCH_HAVE_NMI_SAFE_CMPXCHG
	if (WARN_ON_ONCE(in_nmi()))
		return 0;
#endif
	if (owner)
		*owner = NULL;
	if (unlikely(!pool))
		return 0;
	if (!algo) {
		algo = READ_ONCE(pool->algo);
		data = READ_ONCE(pool->data);
	}
	order = pool->min_alloc_order;
	unit = 1UL << order;
	if (unlikely(!size || size > ULONG_MAX - (unit - 1)))
		goto fail;
	nbits = (size + unit - 1) >> order;
	if (unlikely(nbits > UINT_MAX))
		goto fail;
	bytes = nbits << order;
	/* Bad fixed offsets are misuse of the call, not of each chunk. */
	if (algo == genpool_ext_fixed_alloc &&
	    !gpx_fixed_ok(pool, data, caller))
		goto fail;

	/* 0, which passes over nothing, where the hint says nothing. */
	skip_below = gpx_builtin(algo) ? gpx_chunk_skip_below(nbits) : 0;
	rcu_read_lock();
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk) {
		unsigned long start, undone, seen, bound;
		bool empty;

		/*
		 * A chunk whose longest free run is too short cannot hold any
		 * built-in algorithm's answer: pass it over, as the kernel's
		 * search of it would come back empty. Tested first, in as few
		 * instructions as can be, because on a full pool it rules
		 * out most chunks at one read.
		 */
		seen = atomic_long_read(&chunk->longest);
		if (seen < skip_below)
			continue;
		/*
		 * Only a built-in search's failure proves a bound (and one
		 * is not kept for a request too long for the hint).
		 */
		if (!skip_below)
			seen = 0;
		start = 0;
		bound = ULONG_MAX;
		avail = atomic_long_read(&chunk->avail);
		if (size > (unsigned long)avail)
			continue;
		empty = (unsigned long)avail == gpx_chunk_size(chunk);
		/* The all-free shortcut searches nothing, so proves nothing. */
		if (empty)
			seen = 0;
		for (;;) {
			bit = gpx_search(pool, chunk, algo, data, start, nbits,
					 empty, &words, &bound);
			if (bit >= chunk->nbits || nbits > chunk->nbits - bit)
				break;
			if (likely(gpx_bitmap_set(chunk->bits, bit, nbits,
						  &undone)))
				goto claimed;
			/*
			 * Lost a race: what we briefly held is free again.
			 * Search on from there, like the kernel, and never
			 * trust the all-free shortcut twice.
			 */
			if (undone)
				gpx_index_note_free(chunk, bit, undone, false);
			start = bit;
			empty = false;
		}
		/*
		 * The whole chunk, searched from its first bit, has no room:
		 * record what that proves for the next search.
		 */
		if (seen && !start)
			gpx_chunk_tighten(chunk, seen, bound, &words);
	}
	rcu_read_unlock();
	this_cpu_add(pool->stats->search_words, words);
	goto fail;

claimed:
	gpx_debug_alloc(pool, chunk, bit, nbits, caller);
	avail = atomic_long_sub_return(bytes, &chunk->avail);
	gpx_index_note_alloc(chunk, bit, nbits,
			     (unsigned long)avail + bytes == gpx_chunk_size(chunk));
	addr = chunk->start_addr + (bit << order);
	if (owner)
		*owner = chunk->owner;
	/* Written only when it changes: a pool of one chunk never writes. */
	if (this_cpu_read(pool->stats->last) != chunk)
		this_cpu_write(pool->stats->last, chunk);
	rcu_read_unlock();
	this_cpu_add(pool->stats->search_words, words);
	this_cpu_inc(pool->stats->allocs);
	trace_genpool_ext_alloc(pool, addr, size, algo, caller);
	return addr;

fail:
	this_cpu_inc(pool->stats->alloc_failures);
	if (trace_genpool_ext_alloc_fail_enabled() && pool)
		gpx_trace_alloc_fail(pool, size, caller);
	return 0;
}

/**
 * genpool_ext_alloc_algo_owner - allocate from a pool with an algorithm
 * @pool: pool to allocate from
 * @size: bytes to allocate, rounded up to the allocation unit
 * @algo: algorithm to use, or NULL for the pool's (with the pool's data)
 * @data: data for @algo
 * @owner: if not NULL, set to the owner of the chunk used, or NULL
 *
 * Chunks are tried newest first, as in the kernel, skipping those with
 * fewer than @size bytes free.
 *
 * Context: any context, NMI included (lockless).
 * Return: the address of the allocation, or 0 on failure (no space, a
 * NULL @pool, a zero or overflowing @size).
 */
unsigned long genpool_ext_alloc_algo_owner(struct genpool_ext *pool,
					   size_t size, genpool_ext_algo_t algo,
					   void *data, void **owner)
{
	return gpx_alloc(pool, size, algo, data, owner, _RET_IP_);
}
EXPORT_SYMBOL_GPL(genpool_ext_alloc_algo_owner);

/*
 * The genpool_ext_dma_*() family: an allocation for @caller, its physical
 * address in *@dma (if @dma), zeroed if @zero.
 */
static void *gpx_dma_alloc(struct genpool_ext *pool, size_t size,
			   dma_addr_t *dma, genpool_ext_algo_t algo, void *data,
			   bool zero, unsigned long caller)
{
	unsigned long vaddr;

	if (!pool)
		return NULL;
	vaddr = gpx_alloc(pool, size, algo, data, NULL, caller);
	if (!vaddr)
		return NULL;
	if (dma)
		*dma = genpool_ext_virt_to_phys(pool, vaddr);
	if (zero)
		memset((void *)vaddr, 0, size);
	return (void *)vaddr;
}

/**
 * genpool_ext_dma_alloc_algo - allocate DMA-able memory with an algorithm
 * @pool: pool to allocate from
 * @size: bytes to allocate
 * @dma: if not NULL, set to the allocation's physical (DMA) address
 * @algo: algorithm to use, or NULL for the pool's
 * @data: data for @algo
 *
 * Context: any context, NMI included (lockless).
 * Return: the virtual address of the allocation, or NULL on failure.
 */
void *genpool_ext_dma_alloc_algo(struct genpool_ext *pool, size_t size,
				 dma_addr_t *dma, genpool_ext_algo_t algo,
				 void *data)
{
	return gpx_dma_alloc(pool, size, dma, algo, data, false, _RET_IP_);
}
EXPORT_SYMBOL_GPL(genpool_ext_dma_alloc_algo);

/**
 * genpool_ext_dma_alloc - allocate DMA-able memory from a pool
 * @pool: pool to allocate from
 * @size: bytes to allocate
 * @dma: if not NULL, set to the allocation's physical (DMA) address
 *
 * Uses the pool's algorithm.
 *
 * Context: any context, NMI included (lockless).
 * Return: the virtual address of the allocation, or NULL on failure.
 */
void *genpool_ext_dma_alloc(struct genpool_ext *pool, size_t size,
			    dma_addr_t *dma)
{
	return gpx_dma_alloc(pool, size, dma, NULL, NULL, false, _RET_IP_);
}
EXPORT_SYMBOL_GPL(genpool_ext_dma_alloc);

/**
 * genpool_ext_dma_alloc_align - allocate DMA-able memory with an alignment
 * @pool: pool to allocate from
 * @size: bytes to allocate
 * @dma: if not NULL, set to the allocation's physical (DMA) address
 * @align: alignment of the address in bytes, a power of two
 *
 * Context: any context, NMI included (lockless).
 * Return: the virtual address of the allocation, or NULL on failure.
 */
void *genpool_ext_dma_alloc_align(struct genpool_ext *pool, size_t size,
				  dma_addr_t *dma, int align)
{
	struct genpool_ext_data_align data = { .align = align };

	return gpx_dma_alloc(pool, size, dma, genpool_ext_first_fit_align,
			     &data, false, _RET_IP_);
}
EXPORT_SYMBOL_GPL(genpool_ext_dma_alloc_align);

/**
 * genpool_ext_dma_zalloc_algo - allocate zeroed DMA-able memory
 * @pool: pool to allocate from
 * @size: bytes to allocate and zero
 * @dma: if not NULL, set to the allocation's physical (DMA) address
 * @algo: algorithm to use, or NULL for the pool's
 * @data: data for @algo
 *
 * Context: any context, NMI included (lockless).
 * Return: the virtual address of the zeroed allocation, or NULL.
 */
void *genpool_ext_dma_zalloc_algo(struct genpool_ext *pool, size_t size,
				  dma_addr_t *dma, genpool_ext_algo_t algo,
				  void *data)
{
	return gpx_dma_alloc(pool, size, dma, algo, data, true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(genpool_ext_dma_zalloc_algo);

/**
 * genpool_ext_dma_zalloc - allocate zeroed DMA-able memory from a pool
 * @pool: pool to allocate from
 * @size: bytes to allocate and zero
 * @dma: if not NULL, set to the allocation's physical (DMA) address
 *
 * Uses the pool's algorithm.
 *
 * Context: any context, NMI included (lockless).
 * Return: the virtual address of the zeroed allocation, or NULL.
 */
void *genpool_ext_dma_zalloc(struct genpool_ext *pool, size_t size,
			     dma_addr_t *dma)
{
	return gpx_dma_alloc(pool, size, dma, NULL, NULL, true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(genpool_ext_dma_zalloc);

/**
 * genpool_ext_dma_zalloc_align - allocate zeroed, aligned DMA-able memory
 * @pool: pool to allocate from
 * @size: bytes to allocate and zero
 * @dma: if not NULL, set to the allocation's physical (DMA) address
 * @align: alignment of the address in bytes, a power of two
 *
 * Context: any context, NMI included (lockless).
 * Return: the virtual address of the zeroed allocation, or NULL.
 */
void *genpool_ext_dma_zalloc_align(struct genpool_ext *pool, size_t size,
				   dma_addr_t *dma, int align)
{
	struct genpool_ext_data_align data = { .align = align };

	return gpx_dma_alloc(pool, size, dma, genpool_ext_first_fit_align,
			     &data, true, _RET_IP_);
}
EXPORT_SYMBOL_GPL(genpool_ext_dma_zalloc_align);

/*
 * The chunk holding @addr, under rcu_read_lock(). Blocks are mostly freed
 * on the CPU that allocated them, so the chunk of this CPU's latest
 * allocation is tried first: on a pool of many chunks that spares the
 * walk (the kernel's gen_pool walks the list on every free).
 */
static struct genpool_ext_chunk *gpx_find_chunk(struct genpool_ext *pool,
						unsigned long addr)
{
	struct genpool_ext_chunk *chunk = this_cpu_read(pool->stats->last);

	if (chunk && addr >= chunk->start_addr && addr <= chunk->end_addr)
		return chunk;
	list_for_each_entry_rcu(chunk, &pool->chunks, next_chunk)
		if (addr >= chunk->start_addr && addr <= chunk->end_addr)
			return chunk;
	return NULL;
}

/**
 * genpool_ext_free_owner - free memory back to a pool, report its owner
 * @pool: pool to free to
 * @addr: address returned by an allocation from @pool
 * @size: size given to that allocation
 * @owner: if not NULL, set to the owner of the chunk, or NULL
 *
 * Nothing changes, and the pool warns once per kind of mistake, if @addr
 * is in none of its chunks or not on an allocation unit, if the range runs
 * past its chunk, if @size is 0, or if the range is not wholly allocated
 * (a double or partial free). With the pool's debug checks on (see
 * genpool_ext_set_debug()), a range that is allocated but is not exactly
 * one allocation (part of one, or one and a neighbour) is refused too.
 * A WARN_ON_ONCE() fires for a NULL @pool.
 *
 * Context: any context, NMI included (lockless).
 */
void genpool_ext_free_owner(struct genpool_ext *pool, unsigned long addr,
			    size_t size, void **owner)
{
	unsigned long caller = _RET_IP_;
	struct genpool_ext_chunk *chunk;
	unsigned long unit, nbits, bit, bytes;
	enum gpx_misuse kind;
	enum gpx_clear res;
	long avail;

#ifndef CONFIG_ARCH_HAVE_NMI_SAFE_CMPXCHG
	if (WARN_ON_ONCE(in_nmi()))
		return;
#endif
	if (owner)
		*owner = NULL;
	if (WARN_ON_ONCE(!pool))
		return;
	unit = 1UL << pool->min_alloc_order;
	if (!size) {
		kind = GPX_MISUSE_ZERO;
		goto misuse;
	}
	if (size > ULONG_MAX - (unit - 1)) {
		kind = GPX_MISUSE_RANGE;
		goto misuse;
	}
	nbits = (size + unit - 1) >> pool->min_alloc_order;
	bytes = nbits << pool->min_alloc_order;

	rcu_read_lock();
	chunk = gpx_find_chunk(pool, addr);
	if (!chunk) {
		kind = GPX_MISUSE_FOREIGN;
		goto misuse_unlock;
	}
	if ((addr - chunk->start_addr) & (unit - 1)) {
		kind = GPX_MISUSE_UNALIGNED;
		goto misuse_unlock;
	}
	bit = (addr - chunk->start_addr) >> pool->min_alloc_order;
	if (nbits > chunk->nbits - bit) {
		kind = GPX_MISUSE_RANGE;
		goto misuse_unlock;
	}
	kind = gpx_debug_free(pool, chunk, bit, nbits);
	if (kind != GPX_MISUSE_NR)
		goto misuse_unlock;
	res = gpx_bitmap_clear(chunk->bits, bit, nbits);
	if (res != GPX_CLEARED) {
		/* Put back the marks the check took. */
		if (READ_ONCE(pool->debug))
			__gpx_debug_alloc(chunk, bit, nbits, 0);
		kind = res == GPX_CLEAR_NONE_SET ? GPX_MISUSE_DOUBLE :
						   GPX_MISUSE_PARTIAL;
		goto misuse_unlock;
	}
	avail = atomic_long_add_return(bytes, &chunk->avail);
	gpx_index_note_free(chunk, bit, nbits,
			    (unsigned long)avail == gpx_chunk_size(chunk));
	if (owner)
		*owner = chunk->owner;
	rcu_read_unlock();
	this_cpu_inc(pool->stats->frees);
	trace_genpool_ext_free(pool, addr, size, caller);
	return;

misuse_unlock:
	rcu_read_unlock();
misuse:
	gpx_misuse(pool, kind, addr, size, caller);
}
EXPORT_SYMBOL_GPL(genpool_ext_free_owner);
