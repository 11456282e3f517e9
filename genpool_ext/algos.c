// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in allocation algorithms, with the kernel's callback signature.
 *
 * Called through the callback (by a caller-supplied algorithm that wraps
 * them, or directly), they search the plain bitmap they are given, the
 * kernel's way. Called by genpool_ext's own allocator, which recognises
 * them, the same placement is computed with the chunk's index instead
 * (alloc.c). Either way the answer is the kernel's.
 *
 * Concurrency: the bitmap may change under a search; a search result is a
 * candidate that the caller claims with cmpxchg.
 */
#include <linux/export.h>
#include <linux/instruction_pointer.h>
#include <linux/log2.h>
#include "index.h"

/**
 * gpx_align_req - turn genpool_ext_data_align into a search request
 * @pool: the pool (for the allocation unit)
 * @data: a struct genpool_ext_data_align
 * @start_addr: start address of the chunk to search
 * @nr: units wanted
 * @r: filled in on success
 *
 * The kernel's arithmetic: the alignment in units, and the offset that
 * makes the address (not the bit number) aligned.
 *
 * Context: any context.
 * Return: false if @pool or @data is NULL or the alignment is not a
 * positive power of two.
 */
bool gpx_align_req(struct genpool_ext *pool, const void *data,
		   unsigned long start_addr, unsigned long nr,
		   struct gpx_req *r)
{
	const struct genpool_ext_data_align *d = data;
	unsigned long align, unit;

	if (!pool || !d || d->align <= 0 || !is_power_of_2(d->align))
		return false;
	align = d->align;
	unit = 1UL << pool->min_alloc_order;
	r->nr = nr;
	r->amask = ((align + unit - 1) >> pool->min_alloc_order) - 1;
	r->aoff = (start_addr & (align - 1)) >> pool->min_alloc_order;
	return true;
}

/**
 * gpx_fixed_ok - check a fixed-offset request once per call
 * @pool: the pool (for the allocation unit)
 * @data: a struct genpool_ext_data_fixed
 * @caller: the return address into the allocation's caller
 *
 * An offset that is not a whole number of units is misuse: it is counted
 * and warned about once per pool, here, and not once per chunk searched.
 *
 * Context: any context.
 * Return: true if the request can be searched for.
 */
bool gpx_fixed_ok(struct genpool_ext *pool, const void *data,
		  unsigned long caller)
{
	const struct genpool_ext_data_fixed *d = data;

	if (!pool || !d)
		return false;
	if (d->offset & ((1UL << pool->min_alloc_order) - 1)) {
		gpx_misuse(pool, GPX_MISUSE_FIXED_OFFSET, d->offset, 0,
			   caller);
		return false;
	}
	return true;
}

/**
 * gpx_fixed - the fixed-offset "search"
 * @c: the bitmap
 * @pool: the pool (for the allocation unit)
 * @data: a struct genpool_ext_data_fixed that passed gpx_fixed_ok()
 * @start: where the caller's search starts (non-zero on a retry)
 * @nr: units wanted
 *
 * The kernel searches from @start plus the offset and accepts only the
 * offset itself, so any retry fails; so does this.
 *
 * Context: any context.
 * Return: the offset in units, or @c->size if that area is not free.
 */
unsigned long gpx_fixed(struct gpx_ctx *c, struct genpool_ext *pool,
			const void *data, unsigned long start,
			unsigned long nr)
{
	const struct genpool_ext_data_fixed *d = data;
	unsigned long off = d->offset >> pool->min_alloc_order;

	if (start || off >= c->size || nr > c->size - off)
		return c->size;
	if (gpx_next_busy(c, off, off + nr) != off + nr)
		return c->size;
	return off;
}

/**
 * genpool_ext_first_fit - find the first free area of @nr bits
 * @map: the bitmap to search
 * @size: bits in @map
 * @start: bit to start searching at
 * @nr: bits wanted
 * @data: unused
 * @pool: unused
 * @start_addr: unused
 *
 * Context: any context.
 * Return: the first bit of the area, or @size if there is none.
 */
unsigned long genpool_ext_first_fit(unsigned long *map, unsigned long size,
				    unsigned long start, unsigned int nr,
				    void *data, struct genpool_ext *pool,
				    unsigned long start_addr)
{
	struct gpx_ctx c = { .map = map, .size = size };
	struct gpx_req r = { .nr = nr };

	if (!map || !nr)
		return size;
	return gpx_plain_first(&c, start, &r);
}
EXPORT_SYMBOL_GPL(genpool_ext_first_fit);

/**
 * genpool_ext_first_fit_align - first free area with an aligned address
 * @map: the bitmap to search
 * @size: bits in @map
 * @start: bit to start searching at
 * @nr: bits wanted
 * @data: a struct genpool_ext_data_align: the address alignment in bytes
 * @pool: the pool, for its allocation unit
 * @start_addr: start address of the chunk @map describes
 *
 * The start address of the area (not just its bit number) is aligned,
 * whatever the alignment of the chunk.
 *
 * Context: any context.
 * Return: the first bit of the area, or @size if there is none or the
 * alignment is not a positive power of two.
 */
unsigned long genpool_ext_first_fit_align(unsigned long *map,
					  unsigned long size,
					  unsigned long start, unsigned int nr,
					  void *data, struct genpool_ext *pool,
					  unsigned long start_addr)
{
	struct gpx_ctx c = { .map = map, .size = size };
	struct gpx_req r;

	if (!map || !nr || !gpx_align_req(pool, data, start_addr, nr, &r))
		return size;
	return gpx_plain_first(&c, start, &r);
}
EXPORT_SYMBOL_GPL(genpool_ext_first_fit_align);

/**
 * genpool_ext_first_fit_order_align - first free area aligned to its size
 * @map: the bitmap to search
 * @size: bits in @map
 * @start: bit to start searching at
 * @nr: bits wanted
 * @data: unused
 * @pool: unused
 * @start_addr: unused
 *
 * The area's first bit is a multiple of @nr rounded up to a power of two.
 *
 * Context: any context.
 * Return: the first bit of the area, or @size if there is none.
 */
unsigned long genpool_ext_first_fit_order_align(unsigned long *map,
						unsigned long size,
						unsigned long start,
						unsigned int nr, void *data,
						struct genpool_ext *pool,
						unsigned long start_addr)
{
	struct gpx_ctx c = { .map = map, .size = size };
	struct gpx_req r = { .nr = nr };

	if (!map || !nr)
		return size;
	r.amask = roundup_pow_of_two(nr) - 1;
	return gpx_plain_first(&c, start, &r);
}
EXPORT_SYMBOL_GPL(genpool_ext_first_fit_order_align);

/**
 * genpool_ext_best_fit - find the smallest free area that holds @nr bits
 * @map: the bitmap to search
 * @size: bits in @map
 * @start: bit to start searching at
 * @nr: bits wanted
 * @data: unused
 * @pool: unused
 * @start_addr: unused
 *
 * The smallest free run of at least @nr bits; the earliest of equal runs;
 * a run of exactly @nr bits ends the search at once.
 *
 * Context: any context.
 * Return: the first bit of the run, or @size if there is none.
 */
unsigned long genpool_ext_best_fit(unsigned long *map, unsigned long size,
				   unsigned long start, unsigned int nr,
				   void *data, struct genpool_ext *pool,
				   unsigned long start_addr)
{
	struct gpx_ctx c = { .map = map, .size = size };

	if (!map || !nr)
		return size;
	return gpx_plain_best(&c, start, nr);
}
EXPORT_SYMBOL_GPL(genpool_ext_best_fit);

/**
 * genpool_ext_fixed_alloc - reserve the area at a given offset
 * @map: the bitmap to search
 * @size: bits in @map
 * @start: bit the search starts at (0, or the failed bit on a retry)
 * @nr: bits wanted
 * @data: a struct genpool_ext_data_fixed: the offset in bytes from the
 *	chunk start, a multiple of the allocation unit
 * @pool: the pool, for its allocation unit
 * @start_addr: unused
 *
 * Context: any context.
 * Return: the offset in bits if that area is free, else @size. An offset
 * that is not a multiple of the unit warns once per pool and fails.
 */
unsigned long genpool_ext_fixed_alloc(unsigned long *map, unsigned long size,
				      unsigned long start, unsigned int nr,
				      void *data, struct genpool_ext *pool,
				      unsigned long start_addr)
{
	struct gpx_ctx c = { .map = map, .size = size };

	if (!map || !nr || !gpx_fixed_ok(pool, data, _RET_IP_))
		return size;
	return gpx_fixed(&c, pool, data, start, nr);
}
EXPORT_SYMBOL_GPL(genpool_ext_fixed_alloc);
