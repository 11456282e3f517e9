/* SPDX-License-Identifier: GPL-2.0 */
/*
 * genpool_ext search: the summary index over each chunk's bitmap, the
 * request and search-context types, and the inline word scans every
 * search is made of. Private to the module (and its tests), and only for
 * the files that search or measure free space: index.c, algos.c, alloc.c,
 * core.c and stats.c. What every file needs stays in internal.h.
 */
#ifndef _GENPOOL_EXT_INDEX_H
#define _GENPOOL_EXT_INDEX_H

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/log2.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include "internal.h"

/*
 * The index: one summary word per group of GPX_GROUP_WORDS bitmap words.
 * It is a hint that may claim more free space than there is, never less,
 * once every alloc and free in flight has returned (see index.c).
 *
 * A summary word holds:
 *  - one bit per length bucket: a free run of that length may exist inside
 *    the group without reaching the group's last bit (a run reaching it is
 *    the group's "suffix run", read from the bitmap instead). Lengths up to
 *    GPX_EXACT have a bucket each; longer ones share quarter-octave buckets;
 *  - GPX_SUM_PREFIX / GPX_SUM_SUFFIX: the group's first / last bit may be
 *    free.
 * At 16 words per group the summaries cost 1/16 of the bitmap (the rows
 * below add about 1/20 for a chunk of 256 groups).
 */
#define GPX_GROUP_WORDS		16
#define GPX_GROUP_BITS		(GPX_GROUP_WORDS * BITS_PER_LONG)

#if BITS_PER_LONG == 64
#define GPX_EXACT_SHIFT		5	/* lengths 1..32 exact */
#define GPX_MANT_BITS		2	/* then 4 buckets per octave */
#define GPX_NR_BUCKETS		52	/* gpx_bucket(GPX_GROUP_BITS - 1) + 1 */
#else
#define GPX_EXACT_SHIFT		3	/* lengths 1..8 exact */
#define GPX_MANT_BITS		1	/* then 2 buckets per octave */
#define GPX_NR_BUCKETS		20
#endif
#define GPX_EXACT		BIT(GPX_EXACT_SHIFT)
#define GPX_SUM_BUCKETS		(BIT(GPX_NR_BUCKETS) - 1)
#define GPX_SUM_PREFIX		BIT(BITS_PER_LONG - 3)
#define GPX_SUM_SUFFIX		BIT(BITS_PER_LONG - 2)
#define GPX_SUM_INIT		(GPX_SUM_PREFIX | GPX_SUM_SUFFIX)

/*
 * The rows: after the summaries, the index holds the same facts transposed,
 * one bitmap over the chunk's groups per bucket and one for GPX_SUM_SUFFIX
 * (row GPX_ROW_SUFFIX). Once nothing is in flight, bit g of row b is set
 * if group g has an interior run of bucket b (the suffix row: if its last
 * bit is free); otherwise it may be set or not. Best fit reads a row to
 * find the groups that may hold a run of a given bucket, in address order,
 * instead of reading every summary. The rows keep that promise on their
 * own, apart from the summaries (see index.c). At 256 groups (a 16 MiB
 * chunk at order 6) they cost 53 rows of 32 bytes, 1/20 of the bitmap.
 *
 * Only a chunk of at least GPX_ROWS_MIN_GROUPS groups has rows. Below that
 * a row is one word that tells best fit little the summaries would not,
 * at one word per group, while the 53 row words would be most of a small
 * chunk's metadata (a one-group chunk would grow from a 128-byte to a
 * 1 KiB allocation, against the kernel's few dozen bytes); best fit walks
 * such a chunk's summaries instead. The model checker lowers the
 * threshold, so that its few-group chunks keep their rows.
 */
#define GPX_ROW_SUFFIX		GPX_NR_BUCKETS
#define GPX_NR_ROWS		(GPX_NR_BUCKETS + 1)
#define GPX_ROW_BITS		(GPX_SUM_BUCKETS | GPX_SUM_SUFFIX)
#ifndef GPX_ROWS_MIN_GROUPS
#define GPX_ROWS_MIN_GROUPS	BITS_PER_LONG
#endif

/* Whether a chunk of @ng groups has rows. */
static inline bool gpx_has_rows(unsigned long ng)
{
	return ng >= GPX_ROWS_MIN_GROUPS;
}

/* Index words of a chunk of @nbits units: summaries, then any rows. */
static inline unsigned long gpx_index_words(unsigned long nbits)
{
	unsigned long ng = DIV_ROUND_UP(nbits, GPX_GROUP_BITS);

	if (!gpx_has_rows(ng))
		return ng;
	return ng + GPX_NR_ROWS * BITS_TO_LONGS(ng);
}

/* Row @row of an index of @ng groups. */
static inline atomic_long_t *gpx_row(atomic_long_t *index, unsigned long ng,
				     unsigned int row)
{
	return index + ng + row * BITS_TO_LONGS(ng);
}

/* Row of summary bit @b: a bucket's own, or GPX_ROW_SUFFIX. */
static inline unsigned int gpx_row_of(unsigned int b)
{
	return b < GPX_NR_BUCKETS ? b : GPX_ROW_SUFFIX;
}

/* Bucket of a free run of @len >= 1 units. */
static inline unsigned int gpx_bucket(unsigned long len)
{
	unsigned long v = len - 1;
	unsigned int e;

	if (v < GPX_EXACT)
		return v;
	e = ilog2(v);
	return GPX_EXACT + ((e - GPX_EXACT_SHIFT) << GPX_MANT_BITS) +
	       ((v >> (e - GPX_MANT_BITS)) & (BIT(GPX_MANT_BITS) - 1));
}

/* Shortest run length in bucket @b. */
static inline unsigned long gpx_bucket_lo(unsigned int b)
{
	unsigned int k, e;

	if (b < GPX_EXACT)
		return b + 1;
	k = b - GPX_EXACT;
	e = (k >> GPX_MANT_BITS) + GPX_EXACT_SHIFT;
	return BIT(e) + ((unsigned long)(k & (BIT(GPX_MANT_BITS) - 1)) <<
			 (e - GPX_MANT_BITS)) + 1;
}

/* Summary bits of the buckets that may hold a run of at least @nr units. */
static inline unsigned long gpx_buckets_from(unsigned long nr)
{
	if (nr >= GPX_GROUP_BITS)
		return 0;
	return GPX_SUM_BUCKETS & ~(BIT(gpx_bucket(nr)) - 1);
}

/* Summary bits of the buckets that may hold a run shorter than @len. */
static inline unsigned long gpx_buckets_below(unsigned long len)
{
	if (len - 1 >= GPX_GROUP_BITS)
		return GPX_SUM_BUCKETS;
	return BIT(gpx_bucket(len - 1) + 1) - 1;
}

/*
 * A bitmap being searched. @index is NULL for a plain bitmap handed to an
 * exported algorithm; @words counts what the search read, for statistics.
 */
struct gpx_ctx {
	const unsigned long *map;
	unsigned long size;
	atomic_long_t *index;
	unsigned long words;
};

static inline unsigned long gpx_ngroups(const struct gpx_ctx *c)
{
	return DIV_ROUND_UP(c->size, GPX_GROUP_BITS);
}

/* What to search for: @nr units at a start s with (s + aoff) & amask == 0. */
struct gpx_req {
	unsigned long nr;
	unsigned long amask;
	unsigned long aoff;
};

/* index.c: the search index */
void gpx_index_init(struct genpool_ext_chunk *chunk);
void gpx_index_note_alloc(struct genpool_ext_chunk *chunk,
			  unsigned long start, unsigned long nr,
			  bool chunk_was_free);
void gpx_index_note_free(struct genpool_ext_chunk *chunk,
			 unsigned long start, unsigned long nr,
			 bool chunk_now_free);
unsigned long gpx_index_exact(struct gpx_ctx *c, unsigned long g);
void gpx_index_tighten(struct gpx_ctx *c, unsigned long g,
		       unsigned long seen);
void gpx_rows_tighten(struct gpx_ctx *c, unsigned long g,
		      unsigned long stale);
unsigned long gpx_chunk_longest(struct gpx_ctx *c);

/*
 * chunk->longest holds two fields: the hint's length in the low
 * GPX_LONGEST_SHIFT bits, and above them the number of lowerings in
 * progress (gpx_chunk_tighten() between its install and its rescan's
 * raise). A search passes a chunk over only when no lowering is in
 * progress: a lowered length is then backed by a finished rescan. A chunk
 * longer than GPX_LONGEST_LEN units starts with a lowering that never
 * ends, so it is never passed over (and never lowered).
 */
#if BITS_PER_LONG == 64
#define GPX_LONGEST_SHIFT	48
#else
#define GPX_LONGEST_SHIFT	24
#endif
#define GPX_LONGEST_LEN		(BIT(GPX_LONGEST_SHIFT) - 1)
#define GPX_LONGEST_LOWERING	BIT(GPX_LONGEST_SHIFT)

/* True if a search for @nr units may pass over a chunk whose hint is @v. */
static inline bool gpx_chunk_skips(unsigned long v, unsigned long nr)
{
	return !(v & ~GPX_LONGEST_LEN) && nr > v;
}

void gpx_chunk_tighten(struct genpool_ext_chunk *chunk, unsigned long seen,
		       unsigned long bound, unsigned long *words);
unsigned long gpx_search_first(struct gpx_ctx *c, unsigned long start,
			       const struct gpx_req *r);
unsigned long gpx_search_best(struct gpx_ctx *c, unsigned long start,
			      unsigned long nr);

/* algos.c: placement on a plain bitmap */
unsigned long gpx_plain_first(struct gpx_ctx *c, unsigned long start,
			      const struct gpx_req *r);
unsigned long gpx_plain_best(struct gpx_ctx *c, unsigned long start,
			     unsigned long nr);
bool gpx_align_req(struct genpool_ext *pool, const void *data,
		   unsigned long start_addr, unsigned long nr,
		   struct gpx_req *r);
bool gpx_fixed_ok(struct genpool_ext *pool, const void *data,
		  unsigned long caller);
unsigned long gpx_fixed(struct gpx_ctx *c, struct genpool_ext *pool,
			const void *data, unsigned long start,
			unsigned long nr);

/*
 * Word scans, inline because every search is made of them. Each adds the
 * number of words it read to @c->words once, on the way out.
 */

/*
 * The first bit in [@from, @limit) whose value differs from @skip's: @skip
 * is 0 to find a set bit, ~0UL to find a clear one. Always inlined with a
 * constant @skip, so the XOR folds away and each wrapper below compiles to
 * its own plain loop.
 */
static __always_inline unsigned long gpx_next_bit(struct gpx_ctx *c,
						  unsigned long from,
						  unsigned long limit,
						  const unsigned long skip)
{
	unsigned long w, w0, v, last;

	if (from >= limit)
		return limit;
	w = BIT_WORD(from);
	w0 = w;
	last = BIT_WORD(limit - 1);
	v = (READ_ONCE(c->map[w]) ^ skip) & BITMAP_FIRST_WORD_MASK(from);
	/*
	 * Long runs (best fit measures every candidate to its end) cross
	 * many words: test four per step, then find the word one by one.
	 */
	while (!v && w + 4 <= last &&
	       !((READ_ONCE(c->map[w + 1]) ^ skip) |
		 (READ_ONCE(c->map[w + 2]) ^ skip) |
		 (READ_ONCE(c->map[w + 3]) ^ skip) |
		 (READ_ONCE(c->map[w + 4]) ^ skip)))
		w += 4;
	while (!v && w < last)
		v = READ_ONCE(c->map[++w]) ^ skip;
	c->words += w - w0 + 1;
	return v ? min(w * BITS_PER_LONG + __ffs(v), limit) : limit;
}

/**
 * gpx_next_busy - find the first set bit in [@from, @limit)
 * @c: the bitmap
 * @from: first bit to look at
 * @limit: end of the range, at most @c->size
 *
 * Context: any context.
 * Return: the bit number, or @limit if all are clear.
 */
static inline unsigned long gpx_next_busy(struct gpx_ctx *c,
					  unsigned long from,
					  unsigned long limit)
{
	return gpx_next_bit(c, from, limit, 0);
}

/**
 * gpx_next_free - find the first clear bit in [@from, @limit)
 * @c: the bitmap
 * @from: first bit to look at
 * @limit: end of the range, at most @c->size
 *
 * Context: any context.
 * Return: the bit number, or @limit if all are set.
 */
static inline unsigned long gpx_next_free(struct gpx_ctx *c,
					  unsigned long from,
					  unsigned long limit)
{
	return gpx_next_bit(c, from, limit, ~0UL);
}

/**
 * gpx_run_start - find where the free run ending at @end begins
 * @c: the bitmap
 * @end: first bit after the run
 * @lo: lowest bit to consider
 *
 * Context: any context.
 * Return: the smallest s >= @lo with bits [s, @end) all clear (@end if bit
 * @end - 1 is set).
 */
static inline unsigned long gpx_run_start(struct gpx_ctx *c,
					  unsigned long end,
					  unsigned long lo)
{
	unsigned long w, w0, v, first;

	if (end <= lo)
		return end;
	w = BIT_WORD(end - 1);
	w0 = w;
	first = BIT_WORD(lo);
	v = READ_ONCE(c->map[w]) & BITMAP_LAST_WORD_MASK(end);
	while (!v && w > first)
		v = READ_ONCE(c->map[--w]);
	c->words += w0 - w + 1;
	return v ? max(w * BITS_PER_LONG + __fls(v) + 1, lo) : lo;
}

/**
 * gpx_bit_free - test one bit
 * @c: the bitmap
 * @bit: the bit, below @c->size
 *
 * Context: any context.
 * Return: true if @bit is clear.
 */
static inline bool gpx_bit_free(struct gpx_ctx *c, unsigned long bit)
{
	c->words++;
	return !(READ_ONCE(c->map[BIT_WORD(bit)]) & BIT_MASK(bit));
}

/* First aligned start at or after @pos. */
static inline unsigned long gpx_align(unsigned long pos,
				      const struct gpx_req *r)
{
	return ((pos + r->aoff + r->amask) & ~r->amask) - r->aoff;
}

#endif /* _GENPOOL_EXT_INDEX_H */
