// SPDX-License-Identifier: GPL-2.0
/*
 * The search index: one summary word per group of GPX_GROUP_WORDS bitmap
 * words (layout in internal.h), so that a search reads one word to learn
 * that a whole group cannot hold the request.
 *
 * What a summary promises. Call a maximal free run "interior" to a group
 * if it starts in the group (the bit before it is set, or it is bit 0) and
 * ends before the group's last bit. Once no alloc or free is in flight:
 *  - every interior run has its length bucket set in its group's word;
 *  - if a group's first (last) bit is free, GPX_SUM_PREFIX (_SUFFIX) is set.
 * A run that crosses a group boundary is nobody's interior run: searches
 * always measure it from the bitmap as the "suffix run" of the group it
 * starts in, so a group's buckets are true run lengths.
 * A set bit may be stale: it costs a search time, never a result. A clear
 * bit is a fact, which is what lets a search skip.
 *
 * How that stays true without locks:
 *  - Only two events create a run: an allocation splits a run and leaves
 *    remainders at its ends, a free merges its range with its neighbours.
 *    The CPU doing either, after its bitmap cmpxchg, reads the bitmap around
 *    its range and ORs the resulting runs' buckets in. A free re-measures
 *    every run in its range, not the one run it would make alone: its
 *    words are released one at a time, and an allocation that lands in a
 *    word already released measures its remainders while later words are
 *    still busy. So the last change to a run's edges is always followed by
 *    a read that sees the whole run, and every final run is marked.
 *  - An update whose bits are all set already skips the write.
 *  - Only a search clears bits ("tightening"), and only when it has just
 *    seen a bit promise what the bitmap does not have. It recounts the
 *    group, installs the recount with a cmpxchg against the word it read
 *    first, and then recounts once more and ORs back in whatever that
 *    second count finds. The second count is what makes it safe: an
 *    update whose bitmap change the first count missed either read the
 *    summary after the install, and writes its bits itself, or read it
 *    before, and then its change (fully ordered before that read) is
 *    visible to the second count (fully ordered after the install): the
 *    store-buffering pattern, with full barriers on both sides. Nothing
 *    depends on the cmpxchg failing, so no ABA on the summary word can
 *    lose a run; the cmpxchg only keeps a tightener from undoing updates
 *    it can see were made.
 * Nothing spins on another CPU, so all of it is NMI-safe.
 *
 * Best fit's rows (index.h) are the summaries' bucket and suffix bits
 * transposed, with the same promise: once nothing is in flight, bit g of
 * row b is set if group g has an interior run of bucket b (or, in the
 * suffix row, a free last bit); a set bit may be stale. They follow the
 * summaries' rules on their own, because a tightener of one may run
 * without a tightener of the other:
 *  - Every update that marks a summary bit then makes sure its group's bit
 *    is set in that bit's row, reading the row word and ORing only if the
 *    bit is clear. It never skips the row because the summary already had
 *    the bit: a row bit may have been tightened away while the summary's
 *    stayed.
 *  - Only best fit clears row bits (gpx_rows_tighten()), when it scanned a
 *    group for a bucket its row promised and found none: it recounts the
 *    group, clears each stale row bit by a cmpxchg of its row word, and
 *    then recounts again and sets back what that count finds: the same
 *    store-buffering argument as for the summaries, per row word. A
 *    cmpxchg that fails (another group's bit in the word changed) leaves
 *    the row as loose as it was.
 * The model checker checks the rows at every quiet point; with the second
 * recount taken out, or with the row write skipped when the summary had
 * the bit, it fails thousands of its 10000 seeds.
 *
 * One level up, each chunk keeps chunk->longest: no free run of the chunk
 * is longer, once no alloc or free is in flight, so that an allocation
 * passes over a chunk that cannot hold its request at one read instead of
 * walking the chunk's groups. The same rules, with a length for a word:
 *  - A free (or a rollback), after its bitmap cmpxchgs and its summary
 *    updates, measures the span from the run reaching its first bit to the
 *    end of the run leaving its last one, without reading the range
 *    itself: every run that meets the range lies in that span, so the
 *    span's length bounds them whatever allocations landed in the range
 *    meanwhile. It raises the hint to that length (an atomic max, which
 *    skips the write when the hint is long enough). A span is measured
 *    each side as far as the hint it read reaches (one group at least,
 *    GPX_FREE_REACH at most); one longer than that is not measured to its
 *    end: the hint becomes the chunk's size, which is always true.
 *    Allocations only shorten runs.
 *  - Only a search lowers it (gpx_chunk_tighten()): one that went through
 *    the chunk from its first bit and found no room installs the bound its
 *    failure proves, by a cmpxchg against the hint it read before it
 *    searched, then scans the whole bitmap and raises the hint back to the
 *    longest run that scan sees. The scan is what makes it safe, as the
 *    second recount is for the summaries: a free whose run the search
 *    missed read the hint either after the install, and raises it itself,
 *    or before, and then its bitmap change (fully ordered before that
 *    read) is visible to the scan (fully ordered after the install). The
 *    bound itself needs no proof; a wrong one costs one more scan.
 * Unlike the summaries, a lowered hint never hides from a search a run
 * freed before that search began: from the install until the rescan's
 * raise the hint also counts the lowering in progress, and no search
 * passes over a chunk while one is (see index.h).
 *
 * The searches return exactly what the kernel's bitmap searches return on
 * the same bitmap: they visit candidates in the same order and only skip
 * regions that the summaries prove hold none.
 */
#include <linux/atomic.h>
#include <linux/minmax.h>
#include "index.h"

#define GPX_GO_ON	ULONG_MAX	/* no result yet: keep searching */
#define GPX_FREE_REACH	4	/* groups a free measures each side, at most */

static inline unsigned long gpx_group_end(unsigned long g, unsigned long size)
{
	return min((g + 1) * GPX_GROUP_BITS, size);
}

/**
 * gpx_index_init - set up the index of a new, all-free chunk
 * @chunk: the chunk, not yet visible to anyone
 *
 * An all-free group has no interior run; only its edge bits are free.
 *
 * Context: any context.
 */
void gpx_index_init(struct genpool_ext_chunk *chunk)
{
	unsigned long g, n = DIV_ROUND_UP(chunk->nbits, GPX_GROUP_BITS);

	for (g = 0; g < n; g++)
		atomic_long_set(&chunk->index[g], GPX_SUM_INIT);
	/* The rows: no bucket anywhere, every group's last bit free. */
	for (g = n; g < gpx_index_words(chunk->nbits); g++)
		atomic_long_set(&chunk->index[g], 0);
	for (g = 0; gpx_has_rows(n) && g < n; g++)
		atomic_long_or(BIT(g % BITS_PER_LONG),
			       gpx_row(chunk->index, n, GPX_ROW_SUFFIX) +
			       g / BITS_PER_LONG);
	if (chunk->nbits > GPX_LONGEST_LEN)
		atomic_long_set(&chunk->longest,
				GPX_LONGEST_LOWERING | GPX_LONGEST_LEN);
	else
		atomic_long_set(&chunk->longest, chunk->nbits);
}

/*
 * Make sure @chunk's longest-run hint is at least @len. Retries only when
 * another CPU changed the hint, so it is lock-free; fully ordered when it
 * writes.
 */
static void gpx_chunk_raise(struct genpool_ext_chunk *chunk,
			    unsigned long len)
{
	long v = atomic_long_read(&chunk->longest);

	len = min(len, GPX_LONGEST_LEN);
	/* The count of lowerings in progress is kept as it is. */
	while ((v & GPX_LONGEST_LEN) < len &&
	       !atomic_long_try_cmpxchg(&chunk->longest, &v,
					(v & ~GPX_LONGEST_LEN) | len))
		;
}

/*
 * After a free of [@start, @end) that did not empty the chunk: raise the
 * hint to the span of the runs that meet the range (see the top of this
 * file). The bitmap and avail updates before, fully ordered, come first.
 */
static void gpx_chunk_note_free(struct genpool_ext_chunk *chunk,
				struct gpx_ctx *c, unsigned long start,
				unsigned long end)
{
	unsigned long lo, hi, rs, re, len, h, lim;

	h = atomic_long_read(&chunk->longest) & GPX_LONGEST_LEN;
	/* Nothing is longer than the chunk: no need to measure. */
	if (h >= min(chunk->nbits, GPX_LONGEST_LEN))
		return;
	/*
	 * Each side is measured at least as far as the hint reaches, so
	 * that a span the hint already covers is seen whole and leaves the
	 * hint alone: next to a run longer than a group, a bound of one
	 * group would raise the hint to the chunk's size on every free, and
	 * the next search that fails would rescan the whole chunk. At most
	 * GPX_FREE_REACH groups each side, which bounds what a free reads.
	 */
	lim = min_t(unsigned long, max_t(unsigned long, h + 1, GPX_GROUP_BITS),
		    GPX_FREE_REACH * GPX_GROUP_BITS);
	lo = start > lim ? start - lim : 0;
	hi = min(end + lim, chunk->nbits);
	rs = gpx_run_start(c, start, lo);
	re = gpx_next_busy(c, end, hi);
	if ((rs == lo && lo) || (re == hi && hi < chunk->nbits))
		len = chunk->nbits;
	else
		len = re - rs;
	gpx_chunk_raise(chunk, len);
}

/* Whether a free run reaching down to group start @gs begins there. */
static inline bool gpx_starts_at(struct gpx_ctx *c, unsigned long gs)
{
	return !gs || !gpx_bit_free(c, gs - 1);
}

/*
 * Make sure group @g's bit is set in the row of each of @bits (buckets and
 * GPX_SUM_SUFFIX), read one row word at a time: the same rule as the
 * summary's, checked on its own, since a tightener may have cleared a row
 * bit whose summary bit is still set.
 */
static void gpx_rows_mark(atomic_long_t *index, unsigned long ng,
			  unsigned long g, unsigned long bits)
{
	unsigned long bit = BIT(g % BITS_PER_LONG), b;
	atomic_long_t *w;

	if (!gpx_has_rows(ng))
		return;
	bits &= GPX_ROW_BITS;
	while (bits) {
		b = __ffs(bits);
		bits &= bits - 1;
		w = gpx_row(index, ng, gpx_row_of(b)) + g / BITS_PER_LONG;
		if (!(atomic_long_read(w) & bit))
			atomic_long_or(bit, w);
	}
}

/*
 * Make sure @bits are set in group @g's summary, then in the rows. Callers
 * have changed the bitmap with a fully ordered cmpxchg before they read
 * it; see the top of this file for why skipping the write is then safe.
 */
static void gpx_index_mark(atomic_long_t *index, unsigned long ng,
			   unsigned long g, unsigned long bits)
{
	if ((atomic_long_read(&index[g]) & bits) != bits)
		atomic_long_or(bits, &index[g]);
	gpx_rows_mark(index, ng, g, bits);
}

/**
 * gpx_index_note_alloc - record the runs an allocation left behind
 * @chunk: the chunk
 * @start: first bit allocated
 * @nr: bits allocated
 * @chunk_was_free: the chunk had no allocation before this one
 *
 * The allocation split a free run; the pieces before @start and after the
 * range are new runs. Each is interior to the group holding its end or its
 * start, or crosses a boundary and needs no bucket, so each scan stays
 * within one group.
 *
 * Context: any context; call after the bitmap and avail updates.
 */
void gpx_index_note_alloc(struct genpool_ext_chunk *chunk,
			  unsigned long start, unsigned long nr,
			  bool chunk_was_free)
{
	struct gpx_ctx c = { .map = chunk->bits, .size = chunk->nbits };
	unsigned long end = start + nr, g, gs, rs, re, ng = gpx_ngroups(&c);

	if (start % GPX_GROUP_BITS) {
		g = start / GPX_GROUP_BITS;
		gs = g * GPX_GROUP_BITS;
		rs = chunk_was_free ? 0 : gpx_run_start(&c, start, gs);
		if (rs < start && (rs > gs || (rs == gs && gpx_starts_at(&c, gs))))
			gpx_index_mark(chunk->index, ng, g,
				       BIT(gpx_bucket(start - rs)));
	}
	/* In an all-free chunk the piece after runs to the end: no interior. */
	if (chunk_was_free || end >= chunk->nbits)
		return;
	g = end / GPX_GROUP_BITS;
	re = gpx_next_busy(&c, end, gpx_group_end(g, chunk->nbits));
	if (re > end && re < gpx_group_end(g, chunk->nbits))
		gpx_index_mark(chunk->index, ng, g, BIT(gpx_bucket(re - end)));
}

/* Edge bits of group @g that a range [@start, @end) covers. */
static inline unsigned long gpx_edges_covered(unsigned long g,
					      unsigned long start,
					      unsigned long end,
					      unsigned long size)
{
	unsigned long bits = 0;

	if (g * GPX_GROUP_BITS >= start)
		bits |= GPX_SUM_PREFIX;
	if (gpx_group_end(g, size) <= end)
		bits |= GPX_SUM_SUFFIX;
	return bits;
}

/**
 * gpx_index_note_free - record the runs a free (or a rollback) created
 * @chunk: the chunk
 * @start: first bit released
 * @nr: bits released
 * @chunk_now_free: the chunk has no allocation left
 *
 * Marks the group edge bits the range covers, and the bucket of every
 * interior run that meets the range, each measured from the bitmap to
 * its real ends. Usually that is one run, the range merged with its free
 * neighbours; but an allocation may have landed in the part of the range
 * released first, and then the range holds several runs.
 *
 * Context: any context; call after the bitmap and avail updates.
 */
void gpx_index_note_free(struct genpool_ext_chunk *chunk,
			 unsigned long start, unsigned long nr,
			 bool chunk_now_free)
{
	struct gpx_ctx c = { .map = chunk->bits, .size = chunk->nbits };
	unsigned long end = start + nr, last = (end - 1) / GPX_GROUP_BITS;
	unsigned long g = start / GPX_GROUP_BITS, gs = g * GPX_GROUP_BITS;
	unsigned long bits, pos, rs, re, ge, rg, ng = gpx_ngroups(&c);
	bool whole;

	bits = gpx_edges_covered(g, start, end, chunk->nbits);
	if (chunk_now_free)
		goto flush;
	/*
	 * The run reaching @start from the left. It starts a run (its bit
	 * before is set) unless it came in from the previous group.
	 */
	pos = gpx_run_start(&c, start, gs);
	whole = pos > gs || gpx_starts_at(&c, gs);
	while ((rs = gpx_next_free(&c, pos, end)) < end) {
		/* Past @pos, the bit before @rs was seen set. */
		whole |= rs > pos;
		rg = rs / GPX_GROUP_BITS;
		ge = gpx_group_end(rg, chunk->nbits);
		re = gpx_next_busy(&c, rs, ge);
		if (re == ge) {
			/* Reaches the group's last bit: no bucket's business. */
			pos = gpx_next_busy(&c, ge, end) + 1;
			whole = true;
			continue;
		}
		for (; g < rg; g++) {
			if (bits)
				gpx_index_mark(chunk->index, ng, g, bits);
			bits = gpx_edges_covered(g + 1, start, end,
						 chunk->nbits);
		}
		/*
		 * re == rs: an allocation took bit rs after it was seen free.
		 * No run starts there, and its own update keeps the index
		 * right; gpx_bucket() is defined for lengths from 1 only.
		 */
		if (whole && re > rs)
			bits |= BIT(gpx_bucket(re - rs));
		pos = re + 1;
		whole = true;
	}
flush:
	for (;;) {
		if (bits)
			gpx_index_mark(chunk->index, ng, g, bits);
		if (++g > last)
			break;
		bits = gpx_edges_covered(g, start, end, chunk->nbits);
	}
	if (chunk_now_free)
		gpx_chunk_raise(chunk, chunk->nbits);
	else
		gpx_chunk_note_free(chunk, &c, start, end);
}

/**
 * gpx_index_exact - compute group @g's summary from the bitmap
 * @c: the chunk's bitmap and index
 * @g: the group
 *
 * A run that changes while the scan reads it may be counted as it was or
 * left out; the change's own update marks it (see the top of this file).
 *
 * Context: any context.
 * Return: the summary word.
 */
unsigned long gpx_index_exact(struct gpx_ctx *c, unsigned long g)
{
	unsigned long gs = g * GPX_GROUP_BITS, ge = gpx_group_end(g, c->size);
	unsigned long w = BIT_WORD(gs), last = BIT_WORD(ge - 1), sum = 0;
	unsigned long cur, v, rs, re;

	if (gpx_bit_free(c, gs))
		sum |= GPX_SUM_PREFIX;
	if (gpx_bit_free(c, ge - 1))
		sum |= GPX_SUM_SUFFIX;
	gpx_test_hook(GPX_HOOK_RECOUNT, c->map, g);
	cur = READ_ONCE(c->map[w]);
	v = ~cur;
	for (;;) {
		while (!v) {
			if (w >= last)
				return sum;
			cur = READ_ONCE(c->map[++w]);
			v = ~cur;
		}
		rs = w * BITS_PER_LONG + __ffs(v);
		if (rs >= ge)
			return sum;
		v = cur & BITMAP_FIRST_WORD_MASK(rs);
		while (!v) {
			/* Bits past the chunk end read as free: no end found. */
			if (w >= last)
				return sum;
			cur = READ_ONCE(c->map[++w]);
			v = cur;
		}
		re = w * BITS_PER_LONG + __ffs(v);
		if (re >= ge)
			return sum;
		/*
		 * A run crossing in from the previous group is not interior.
		 * Only a run found at @gs can be one, and whether it is comes
		 * from reading the bit before it now, not from what the edge
		 * bits said before the scan.
		 */
		if (rs != gs || gpx_starts_at(c, gs))
			sum |= BIT(gpx_bucket(re - rs));
		v = ~cur & BITMAP_FIRST_WORD_MASK(re);
	}
}

/**
 * gpx_index_tighten - drop stale bits from group @g's summary
 * @c: the chunk's bitmap and index
 * @g: the group
 * @stale: summary bits the caller found to promise too much
 *
 * Called by a search that was misled by @stale. Does nothing if a recount
 * still has them (a run that is there but could not take the request),
 * or when an update changes the summary meanwhile: it then stays as loose
 * as it was. After an install, a second recount puts back what updates
 * racing with the first one made (see the top of this file).
 *
 * Context: any context; lockless.
 */
void gpx_index_tighten(struct gpx_ctx *c, unsigned long g,
		       unsigned long stale)
{
	atomic_long_t *s = &c->index[g];
	unsigned long old = atomic_long_read(s), exact;

	if (!(old & stale))
		return;
	exact = gpx_index_exact(c, g);
	if (!(old & stale & ~exact))
		return;
	gpx_test_hook(GPX_HOOK_TIGHTEN, c->map, g);
	/* Fully ordered: the install comes before the second recount. */
	if (!atomic_long_try_cmpxchg(s, &old, exact))
		return;
	gpx_index_mark(c->index, gpx_ngroups(c), g, gpx_index_exact(c, g));
}

/**
 * gpx_rows_tighten - drop group @g from the rows of stale summary bits
 * @c: the chunk's bitmap and index
 * @g: the group
 * @stale: buckets (and GPX_SUM_SUFFIX) the caller found to promise too much
 *
 * The rows' counterpart of gpx_index_tighten(), under the same rule: each
 * row word is installed by a cmpxchg against the word read before the
 * recount, and a second recount after the installs puts back every bit it
 * finds, so an update that skipped its row write because it read the bit
 * set before the install is never lost (see the top of this file).
 *
 * Context: any context; lockless.
 */
void gpx_rows_tighten(struct gpx_ctx *c, unsigned long g,
		      unsigned long stale)
{
	unsigned long ng = gpx_ngroups(c), bit = BIT(g % BITS_PER_LONG);
	unsigned long rest, b, cleared = 0;
	atomic_long_t *w;
	long old;

	if (!gpx_has_rows(ng))
		return;
	rest = stale & GPX_ROW_BITS & ~gpx_index_exact(c, g);
	while (rest) {
		b = __ffs(rest);
		rest &= rest - 1;
		w = gpx_row(c->index, ng, gpx_row_of(b)) + g / BITS_PER_LONG;
		old = atomic_long_read(w);
		if (!(old & bit))
			continue;
		gpx_test_hook(GPX_HOOK_ROW_TIGHTEN, c->map, g);
		/* Fully ordered: every install comes before the recount. */
		if (atomic_long_try_cmpxchg(w, &old, old & ~bit))
			cleared |= BIT(b);
	}
	if (cleared)
		gpx_rows_mark(c->index, ng, g,
			      gpx_index_exact(c, g) & cleared);
}

/**
 * gpx_chunk_longest - measure the longest free run of a bitmap
 * @c: the bitmap
 *
 * A plain scan that reads each word once, index unused: a summary may be
 * missing a bit while a tightener is between its install and its second
 * recount, and this scan is what proves a chunk hint.
 *
 * Context: any context.
 * Return: the length of the longest run of clear bits.
 */
unsigned long gpx_chunk_longest(struct gpx_ctx *c)
{
	unsigned long nw = BITS_TO_LONGS(c->size), w, cur, v, s, f;
	unsigned long run = 0, best = 0;

	for (w = 0; w < nw; w++) {
		cur = READ_ONCE(c->map[w]);
		/* Bits past the chunk end are clear, and no run's. */
		if (w == nw - 1)
			cur |= ~BITMAP_LAST_WORD_MASK(c->size);
		if (!cur) {
			run += BITS_PER_LONG;
			continue;
		}
		/* The run coming in ends at the word's first busy bit. */
		s = __ffs(cur);
		best = max(best, run + s);
		/* Then each free run starts after a busy bit s. */
		for (;;) {
			v = s + 1 < BITS_PER_LONG ? ~cur & (~0UL << (s + 1)) : 0;
			if (!v) {
				run = 0;
				break;
			}
			f = __ffs(v);
			v = cur & (~0UL << f);
			if (!v) {
				/* Runs on into the next word. */
				run = BITS_PER_LONG - f;
				break;
			}
			s = __ffs(v);
			best = max(best, s - f);
		}
	}
	c->words += nw;
	return max(best, run);
}

/**
 * gpx_chunk_tighten - lower a chunk's longest-run hint after a failed search
 * @chunk: the chunk
 * @seen: the hint as the search read it, before it began
 * @bound: no run is longer, by what the search found
 * @words: incremented by the number of bitmap words read
 *
 * Installs @bound only if the hint is still @seen, so that it never undoes
 * a raise it could have seen; then rescans the bitmap and raises the hint
 * back to the longest run there (see the top of this file for why that
 * rescan, and only it, makes the install safe).
 *
 * Context: any context; lockless.
 */
void gpx_chunk_tighten(struct genpool_ext_chunk *chunk, unsigned long seen,
		       unsigned long bound, unsigned long *words)
{
	struct gpx_ctx c = { .map = chunk->bits, .size = chunk->nbits };
	unsigned long len;
	long old = seen;

	/* Another lowering in progress (or a chunk never lowered): leave it. */
	if (seen & ~GPX_LONGEST_LEN || bound >= seen)
		return;
	gpx_test_hook(GPX_HOOK_CHUNK_TIGHTEN, chunk->bits, 0);
	/*
	 * Fully ordered: the install comes before the rescan. Until the
	 * rescan's result is in, the count it adds keeps every search from
	 * passing the chunk over on the lowered length alone: a free that
	 * returned before such a search began may not be in it yet.
	 */
	if (!atomic_long_try_cmpxchg(&chunk->longest, &old,
				     bound | GPX_LONGEST_LOWERING))
		return;
	gpx_test_hook(GPX_HOOK_CHUNK_TIGHTEN, chunk->bits, 1);
	len = gpx_chunk_longest(&c);
	old = atomic_long_read(&chunk->longest);
	while (!atomic_long_try_cmpxchg(&chunk->longest, &old,
					max(old & GPX_LONGEST_LEN, len) |
					((old & ~GPX_LONGEST_LEN) -
					 GPX_LONGEST_LOWERING)))
		;
	*words += c.words;
}

/**
 * gpx_first_at - try the first candidate of a free run, as the kernel does
 * @c: the bitmap
 * @rs: a free bit, where the run starts (or where the search resumes)
 * @r: the request
 * @pos: set to where the search resumes if the candidate fails
 *
 * The candidate is the first aligned bit at or after @rs; it fails at the
 * first set bit of its range, and no candidate up to that bit can succeed.
 *
 * Context: any context.
 * Return: the candidate, @c->size if no later candidate can fit either, or
 * GPX_GO_ON.
 */
static inline unsigned long gpx_first_at(struct gpx_ctx *c, unsigned long rs,
					 const struct gpx_req *r,
					 unsigned long *pos)
{
	unsigned long a = gpx_align(rs, r), b;

	if (a >= c->size || r->nr > c->size - a)
		return c->size;
	b = gpx_next_busy(c, a, a + r->nr);
	if (b == a + r->nr)
		return a;
	*pos = b + 1;
	return GPX_GO_ON;
}

/*
 * First fit over the free runs that start in [@from, @ge), in address
 * order, reading each bitmap word once. A run's candidate is its first
 * aligned bit; it fits if the run reaches past candidate + nr, and if the
 * first candidate does not fit no later one in the run can. Runs may
 * extend past @ge. Leaves *@pos past the last run ruled out.
 */
static __always_inline unsigned long gpx_first_in(struct gpx_ctx *c,
						  unsigned long from,
						  unsigned long ge,
						  const struct gpx_req *r,
						  unsigned long *pos)
{
	unsigned long w = BIT_WORD(from), last = BIT_WORD(ge - 1), n = 1;
	unsigned long cur = READ_ONCE(c->map[w]), v, rs, a, lim, re;
	unsigned long ret = GPX_GO_ON;

	v = ~cur & BITMAP_FIRST_WORD_MASK(from);
	for (;;) {
		/* The next free bit: a run start. */
		while (!v) {
			if (w >= last)
				goto group_done;
			cur = READ_ONCE(c->map[++w]);
			n++;
			v = ~cur;
		}
		rs = w * BITS_PER_LONG + __ffs(v);
		if (rs >= ge)
			goto group_done;
		a = gpx_align(rs, r);
		if (a >= c->size || r->nr > c->size - a) {
			/* Every later candidate lies further out. */
			ret = c->size;
			goto out;
		}
		/* The first set bit in [rs, a + nr), if any, ends the run. */
		lim = a + r->nr;
		v = cur & BITMAP_FIRST_WORD_MASK(rs);
		while (!v) {
			if ((w + 1) * BITS_PER_LONG >= lim) {
				ret = a;
				goto out;
			}
			cur = READ_ONCE(c->map[++w]);
			n++;
			v = cur;
		}
		re = w * BITS_PER_LONG + __ffs(v);
		if (re >= lim) {
			ret = a;
			goto out;
		}
		if (re + 1 >= ge) {
			*pos = re + 1;
			goto out;
		}
		v = ~cur & BITMAP_FIRST_WORD_MASK(re);
	}
group_done:
	*pos = max(from, ge);
out:
	c->words += n;
	return ret;
}

/*
 * Where a group walk at @pos goes on. Inside a group that is @pos itself.
 * At a group start it is the start of the first group from there whose
 * summary has a bit of @want or a free edge, or @c->size if none has: a
 * group with neither holds no fitting run and no run crossing its edges,
 * so this settles it at one summary read, in a loop that does nothing
 * else. On a fragmented chunk that is most groups.
 */
static inline unsigned long gpx_skip_groups(struct gpx_ctx *c,
					    unsigned long pos,
					    unsigned long want)
{
	unsigned long mask = want | GPX_SUM_PREFIX | GPX_SUM_SUFFIX;
	unsigned long ng = DIV_ROUND_UP(c->size, GPX_GROUP_BITS);
	unsigned long g = pos / GPX_GROUP_BITS, g0 = g;

	if (pos % GPX_GROUP_BITS)
		return pos;
	while (g < ng && !(atomic_long_read(&c->index[g]) & mask))
		g++;
	c->words += g - g0;
	return min(g * GPX_GROUP_BITS, c->size);
}

/*
 * Whether a scan of group @gs from @pos sees every run that starts in the
 * group: from its first bit, or from the bit after it when the walk got
 * there past a set bit (it always does, unless @pos is where it started).
 */
static inline bool gpx_whole(unsigned long pos, unsigned long gs,
			     unsigned long start)
{
	return pos == gs || (pos == gs + 1 && pos > start);
}

/**
 * gpx_plain_first - first fit on a plain bitmap, the kernel's way
 * @c: the bitmap
 * @start: first bit a candidate may use
 * @r: the request
 *
 * Context: any context.
 * Return: the first bit of the area, or @c->size if there is none.
 */
unsigned long gpx_plain_first(struct gpx_ctx *c, unsigned long start,
			      const struct gpx_req *r)
{
	unsigned long ret = gpx_first_in(c, start, c->size, r, &start);

	return ret == GPX_GO_ON ? c->size : ret;
}

/**
 * gpx_search_first - first fit using the index
 * @c: the chunk's bitmap and index
 * @start: first bit a candidate may use
 * @r: the request
 *
 * Walks groups in address order. A group whose summary has no bucket that
 * could hold @r->nr units and no free edge costs one read, in a tight loop
 * over the summaries. Any other group without such a bucket is settled by
 * its edge runs alone: the run that starts at its first bit and the run
 * that reaches its last bit, each looked at only if its summary bit says
 * that edge may be free. Where the walk resumes inside a group it is just
 * past a set bit, so the runs after it are whole and have their buckets.
 * That is not so at @start (a retry after a lost race), which may split a
 * run crossing in from the previous group: the group holding @start is
 * scanned in full.
 *
 * Context: any context.
 * Return: what gpx_plain_first() returns on the same bitmap.
 */
unsigned long gpx_search_first(struct gpx_ctx *c, unsigned long start,
			       const struct gpx_req *r)
{
	unsigned long want = gpx_buckets_from(r->nr), pos = start;
	unsigned long g, gs, ge, sum, ret, pos0;

	if (start % GPX_GROUP_BITS && start < c->size) {
		ge = gpx_group_end(start / GPX_GROUP_BITS, c->size);
		ret = gpx_first_in(c, start, ge, r, &pos);
		if (ret != GPX_GO_ON)
			return ret;
	}
	while (pos < c->size) {
		pos = gpx_skip_groups(c, pos, want);
		if (pos >= c->size)
			break;
		g = pos / GPX_GROUP_BITS;
		gs = g * GPX_GROUP_BITS;
		ge = gpx_group_end(g, c->size);
		pos0 = pos;
		sum = atomic_long_read(&c->index[g]);
		c->words++;
		if (sum & want) {
			ret = gpx_first_in(c, pos, ge, r, &pos);
			if (ret != GPX_GO_ON)
				return ret;
			/*
			 * A whole group promised a fit and held none: drop the
			 * buckets the bitmap no longer has.
			 */
			if (gpx_whole(pos0, gs, start))
				gpx_index_tighten(c, g, sum & want);
			continue;
		}
		/*
		 * At the group start, any run crossing into the group was
		 * already tried and pos would be past it: a free first bit
		 * starts a run.
		 */
		if (pos == gs && (sum & GPX_SUM_PREFIX)) {
			if (gpx_bit_free(c, gs)) {
				ret = gpx_first_at(c, gs, r, &pos);
				if (ret != GPX_GO_ON)
					return ret;
			} else {
				gpx_index_tighten(c, g, GPX_SUM_PREFIX);
			}
		}
		if (pos < ge && (sum & GPX_SUM_SUFFIX)) {
			if (gpx_bit_free(c, ge - 1)) {
				ret = gpx_first_at(c, gpx_run_start(c, ge, pos),
						   r, &pos);
				if (ret != GPX_GO_ON)
					return ret;
			} else {
				gpx_index_tighten(c, g, GPX_SUM_SUFFIX);
			}
		}
		pos = max(pos, ge);
	}
	return c->size;
}

/* The best candidate so far: smallest run, earliest on ties. */
struct gpx_best {
	unsigned long pos;
	unsigned long len;
};

/*
 * Offer run [@rs, @rs + @len): it wins if it is shorter, or as short and
 * earlier (runs may be offered out of address order). Return: true if it
 * won and is an exact fit.
 */
static inline bool gpx_best_offer(struct gpx_best *best, unsigned long rs,
				  unsigned long len, unsigned long nr)
{
	if (len < nr || len > best->len ||
	    (len == best->len && rs >= best->pos))
		return false;
	best->pos = rs;
	best->len = len;
	return len == nr;
}

/*
 * Offer every free run that starts in [@from, @ge), measured to its real
 * end, reading each bitmap word once. ORs into *@seen the buckets of the
 * runs that end inside the group. Return: true on an exact fit; otherwise
 * leaves *@pos past the last run.
 */
static bool gpx_best_in(struct gpx_ctx *c, unsigned long from,
			unsigned long ge, unsigned long nr,
			struct gpx_best *best, unsigned long *pos,
			unsigned long *seen)
{
	unsigned long w = BIT_WORD(from), last = BIT_WORD(ge - 1), n = 1;
	unsigned long nw = BITS_TO_LONGS(c->size), cur, v, rs, re;
	bool exact = false;

	cur = READ_ONCE(c->map[w]);
	v = ~cur & BITMAP_FIRST_WORD_MASK(from);
	for (;;) {
		while (!v) {
			if (w >= last)
				goto group_done;
			cur = READ_ONCE(c->map[++w]);
			n++;
			v = ~cur;
		}
		rs = w * BITS_PER_LONG + __ffs(v);
		if (rs >= ge)
			goto group_done;
		v = cur & BITMAP_FIRST_WORD_MASK(rs);
		while (!v) {
			if (w + 1 >= nw)
				break;
			cur = READ_ONCE(c->map[++w]);
			n++;
			v = cur;
		}
		re = v ? min(w * BITS_PER_LONG + __ffs(v), c->size) : c->size;
		if (re < ge)
			*seen |= BIT(gpx_bucket(re - rs));
		if (gpx_best_offer(best, rs, re - rs, nr)) {
			exact = true;
			goto out;
		}
		if (re + 1 >= ge) {
			*pos = re + 1;
			goto out;
		}
		v = ~cur & BITMAP_FIRST_WORD_MASK(re);
	}
group_done:
	*pos = max(from, ge);
out:
	c->words += n;
	return exact;
}

/**
 * gpx_plain_best - best fit on a plain bitmap, the kernel's way
 * @c: the bitmap
 * @start: first bit a candidate may use
 * @nr: units wanted
 *
 * The smallest free run of at least @nr bits (a run starting before @start
 * counts from @start), the earliest of equals, and the first exact fit
 * ends the search.
 *
 * Context: any context.
 * Return: the run's first bit, or @c->size if there is none.
 */
unsigned long gpx_plain_best(struct gpx_ctx *c, unsigned long start,
			     unsigned long nr)
{
	struct gpx_best best = { .pos = c->size, .len = ULONG_MAX };
	unsigned long seen = 0;

	gpx_best_in(c, start, c->size, nr, &best, &start, &seen);
	return best.pos;
}

/*
 * Best fit by walking the groups in address order, as first fit does: a
 * group's interior runs are looked at only if its summary has a bucket
 * that could beat the best run found so far, so once a good fit is known
 * most groups cost one read (and those with no free edge either are
 * passed over in the same tight loop as in first fit). Buckets bound a
 * run's length from below too, which only holds for whole runs: the group
 * holding @start, where a run may be clipped, is scanned in full. Used for
 * a search that starts inside the chunk (a retry after a lost race), and
 * for every search of a chunk without rows.
 */
static unsigned long gpx_best_walk(struct gpx_ctx *c, unsigned long start,
				   unsigned long nr)
{
	struct gpx_best best = { .pos = c->size, .len = ULONG_MAX };
	unsigned long from = gpx_buckets_from(nr), pos = start;
	unsigned long g, gs, ge, sum, better, want, seen, re, rs;

	if (start % GPX_GROUP_BITS && start < c->size) {
		ge = gpx_group_end(start / GPX_GROUP_BITS, c->size);
		seen = 0;
		if (gpx_best_in(c, start, ge, nr, &best, &pos, &seen))
			return best.pos;
	}
	while (pos < c->size) {
		/* Buckets of runs that would fit and beat the best so far. */
		better = from & gpx_buckets_below(best.len);
		pos = gpx_skip_groups(c, pos, better);
		if (pos >= c->size)
			break;
		g = pos / GPX_GROUP_BITS;
		gs = g * GPX_GROUP_BITS;
		ge = gpx_group_end(g, c->size);
		sum = atomic_long_read(&c->index[g]);
		c->words++;
		want = sum & better;
		if (want) {
			bool whole = gpx_whole(pos, gs, start);

			seen = 0;
			if (gpx_best_in(c, pos, ge, nr, &best, &pos, &seen))
				break;
			if (whole && (want & ~seen))
				gpx_index_tighten(c, g, want & ~seen);
			continue;
		}
		if (pos == gs && (sum & GPX_SUM_PREFIX)) {
			if (gpx_bit_free(c, gs)) {
				re = gpx_next_busy(c, gs, c->size);
				if (gpx_best_offer(&best, gs, re - gs, nr))
					break;
				pos = re + 1;
			} else {
				gpx_index_tighten(c, g, GPX_SUM_PREFIX);
			}
		}
		if (pos < ge && (sum & GPX_SUM_SUFFIX)) {
			if (gpx_bit_free(c, ge - 1)) {
				rs = gpx_run_start(c, ge, pos);
				re = gpx_next_busy(c, ge, c->size);
				if (gpx_best_offer(&best, rs, re - rs, nr))
					break;
				pos = re + 1;
			} else {
				gpx_index_tighten(c, g, GPX_SUM_SUFFIX);
			}
		}
		pos = max(pos, ge);
	}
	return best.pos;
}

/* The first group at or after @g whose bit is set in @row, or @ng. */
static inline unsigned long gpx_row_next(struct gpx_ctx *c,
					 atomic_long_t *row, unsigned long g,
					 unsigned long ng)
{
	unsigned long w = g / BITS_PER_LONG, nw = BITS_TO_LONGS(ng), v;

	if (g >= ng)
		return ng;
	v = atomic_long_read(&row[w]) & BITMAP_FIRST_WORD_MASK(g);
	c->words++;
	while (!v) {
		if (++w >= nw)
			return ng;
		v = atomic_long_read(&row[w]);
		c->words++;
	}
	return min(w * BITS_PER_LONG + __ffs(v), ng);
}

/* Drop stale bits from group @g's summary and rows. */
static void gpx_tighten_both(struct gpx_ctx *c, unsigned long g,
			     unsigned long stale)
{
	gpx_index_tighten(c, g, stale);
	gpx_rows_tighten(c, g, stale);
}

/*
 * Offer every interior run of group @g: whole runs only, so a run crossing
 * in from the previous group (measured as that group's suffix run) is
 * stepped over. Drops @g from row @b if the group turns out to have no run
 * of bucket @b. Return: true on an exact fit.
 */
static bool gpx_best_group(struct gpx_ctx *c, unsigned long g,
			   unsigned int b, unsigned long nr,
			   struct gpx_best *best)
{
	unsigned long gs = g * GPX_GROUP_BITS, ge = gpx_group_end(g, c->size);
	unsigned long from = gs, pos, seen = 0;

	if (gs && gpx_bit_free(c, gs - 1))
		from = gpx_next_busy(c, gs, ge) + 1;
	if (from < ge && gpx_best_in(c, from, ge, nr, best, &pos, &seen))
		return true;
	if (!(seen & BIT(b)))
		gpx_tighten_both(c, g, BIT(b));
	return false;
}

/*
 * Best fit through the rows, for a search of the whole chunk. The answer
 * is the shortest run that fits, the earliest of equals: the kernel's
 * search stops at its first exact fit, which is the earliest run of the
 * shortest possible length. Interior runs are found by bucket, from the
 * smallest that may fit, each row read in group (address) order; a bucket
 * is left as soon as nothing later in it can beat the best, and no bucket
 * whose shortest run is longer than the best is read. Runs that reach a
 * group's last bit have no bucket: they are measured from the bitmap, in
 * the groups the suffix row names, and only before the best run when that
 * is an exact fit. Groups whose rows promise a run they turn out not to
 * have are tightened, as the walk does.
 */
static unsigned long gpx_best_rows(struct gpx_ctx *c, unsigned long nr)
{
	struct gpx_best best = { .pos = c->size, .len = ULONG_MAX };
	unsigned long ng = gpx_ngroups(c), g, gs, ge, pos, rs, re, lo, hi;
	unsigned int b = nr < GPX_GROUP_BITS ? gpx_bucket(nr) : GPX_NR_BUCKETS;
	atomic_long_t *row;

	for (; b < GPX_NR_BUCKETS && gpx_bucket_lo(b) <= best.len; b++) {
		row = gpx_row(c->index, ng, b);
		for (g = gpx_row_next(c, row, 0, ng); g < ng;
		     g = gpx_row_next(c, row, g + 1, ng)) {
			/* Later runs of this bucket are no shorter. */
			if (g * GPX_GROUP_BITS > best.pos &&
			    best.len <= max(gpx_bucket_lo(b), nr))
				break;
			if (gpx_best_group(c, g, b, nr, &best))
				goto exact;
		}
	}
exact:
	row = gpx_row(c->index, ng, GPX_ROW_SUFFIX);
	pos = 0;
	for (g = gpx_row_next(c, row, 0, ng); g < ng;
	     g = gpx_row_next(c, row, max(g + 1, pos / GPX_GROUP_BITS), ng)) {
		gs = g * GPX_GROUP_BITS;
		ge = gpx_group_end(g, c->size);
		/* A run starting this late can only tie with an exact fit. */
		if (gs > best.pos && best.len == nr)
			break;
		/* Inside a run already measured. */
		if (ge <= pos)
			continue;
		if (!gpx_bit_free(c, ge - 1)) {
			gpx_tighten_both(c, g, GPX_SUM_SUFFIX);
			continue;
		}
		/*
		 * Measured only as far as it could still win: a run that
		 * reaches @lo or @hi is longer than the best. @pos stays
		 * after a busy bit, so later runs are measured from their
		 * real start.
		 */
		lo = pos;
		hi = c->size;
		if (best.len < c->size) {
			lo = max(pos, ge > best.len ? ge - best.len - 1 : 0);
			hi = min(hi, ge + best.len + 1);
		}
		rs = gpx_run_start(c, ge, lo);
		if (rs == lo && lo > pos)
			continue;
		re = gpx_next_busy(c, ge, hi);
		if (re == hi && hi < c->size)
			continue;
		gpx_best_offer(&best, rs, re - rs, nr);
		pos = re + 1;
	}
	return best.pos;
}

/**
 * gpx_search_best - best fit using the index
 * @c: the chunk's bitmap and index
 * @start: first bit a candidate may use
 * @nr: units wanted
 *
 * A search of the whole chunk goes through the rows (gpx_best_rows()); one
 * that starts inside it, after a lost race, or in a chunk without rows,
 * walks the groups from @start.
 *
 * Context: any context.
 * Return: what gpx_plain_best() returns on the same bitmap.
 */
unsigned long gpx_search_best(struct gpx_ctx *c, unsigned long start,
			      unsigned long nr)
{
	if (start || !gpx_has_rows(gpx_ngroups(c)))
		return gpx_best_walk(c, start, nr);
	return gpx_best_rows(c, nr);
}
