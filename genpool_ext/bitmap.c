// SPDX-License-Identifier: GPL-2.0
/*
 * Lock-free bitmap updates and word-at-a-time scans.
 *
 * Concurrency: every change to a chunk's bitmap is a cmpxchg on one word,
 * so allocations and frees on different CPUs (or an NMI interrupting one)
 * never wait for each other. A multi-word range is claimed word by word;
 * if a word turns out to be taken, the words already claimed are released
 * again and the caller retries its search. Scans read words with
 * READ_ONCE() and may see a mix of old and new words; the callers treat
 * what they find as a candidate to claim, never as a promise.
 */
#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/bug.h>
#include "internal.h"

/* Set @mask in *@p if none of it is set. Fully ordered on success. */
static bool gpx_word_claim(unsigned long *p, unsigned long mask)
{
	unsigned long v = READ_ONCE(*p);

	do {
		if (v & mask)
			return false;
	} while (!try_cmpxchg(p, &v, v | mask));
	return true;
}

/* Clear @mask in *@p if all of it is set. Fully ordered on success. */
static bool gpx_word_release(unsigned long *p, unsigned long mask)
{
	unsigned long v = READ_ONCE(*p);

	do {
		if ((v & mask) != mask)
			return false;
	} while (!try_cmpxchg(p, &v, v & ~mask));
	return true;
}

/* Mask of the bits of word @w that lie in [start, end). */
static unsigned long gpx_range_mask(unsigned long w, unsigned long start,
				    unsigned long end)
{
	unsigned long mask = ~0UL;

	if (w == BIT_WORD(start))
		mask &= BITMAP_FIRST_WORD_MASK(start);
	if (w == BIT_WORD(end - 1))
		mask &= BITMAP_LAST_WORD_MASK(end);
	return mask;
}

/**
 * gpx_bitmap_set - claim bits [@start, @start + @nr), all or nothing
 * @map: the bitmap
 * @start: first bit
 * @nr: number of bits, at least 1
 * @undone: on failure, set to the number of leading bits that were claimed
 *	and released again (0 if the first word was already taken)
 *
 * Context: any context; lockless.
 * Return: true if every bit was claimed; false if one was already set, in
 * which case the bitmap is back as it was.
 */
bool gpx_bitmap_set(unsigned long *map, unsigned long start,
		    unsigned long nr, unsigned long *undone)
{
	unsigned long end = start + nr, first = BIT_WORD(start), w;

	*undone = 0;
	if (first == BIT_WORD(end - 1))
		return gpx_word_claim(&map[first],
				      BITMAP_FIRST_WORD_MASK(start) &
				      BITMAP_LAST_WORD_MASK(end));
	for (w = first; w <= BIT_WORD(end - 1); w++) {
		if (gpx_word_claim(&map[w], gpx_range_mask(w, start, end)))
			continue;
		*undone = w > first ? w * BITS_PER_LONG - start : 0;
		while (w-- > first) {
			/* Ours since the claim above: cannot fail. */
			WARN_ON_ONCE(!gpx_word_release(&map[w],
						       gpx_range_mask(w, start, end)));
		}
		return false;
	}
	return true;
}

/**
 * gpx_bitmap_clear - release bits [@start, @start + @nr), all or nothing
 * @map: the bitmap
 * @start: first bit
 * @nr: number of bits, at least 1
 *
 * The range is checked before anything changes, so a double or partial
 * free leaves the bitmap untouched. Only a caller racing with itself (two
 * frees of one range, or a free against a concurrent reuse) can make a
 * later word fail after earlier ones were released; those are then claimed
 * back.
 *
 * Context: any context; lockless.
 * Return: %GPX_CLEARED, or why nothing was cleared: %GPX_CLEAR_NONE_SET if
 * no bit of the range was set, %GPX_CLEAR_PARTIAL if only some were.
 */
enum gpx_clear gpx_bitmap_clear(unsigned long *map, unsigned long start,
				unsigned long nr)
{
	unsigned long end = start + nr, first = BIT_WORD(start), w, mask, v;
	bool any = false, all = true;

	if (first == BIT_WORD(end - 1)) {
		/* One word: the cmpxchg loop checks and clears at once. */
		mask = BITMAP_FIRST_WORD_MASK(start) & BITMAP_LAST_WORD_MASK(end);
		v = READ_ONCE(map[first]);
		do {
			if ((v & mask) != mask)
				return v & mask ? GPX_CLEAR_PARTIAL :
						  GPX_CLEAR_NONE_SET;
		} while (!try_cmpxchg(&map[first], &v, v & ~mask));
		return GPX_CLEARED;
	}
	for (w = first; w <= BIT_WORD(end - 1); w++) {
		v = READ_ONCE(map[w]);
		mask = gpx_range_mask(w, start, end);
		any |= v & mask;
		all &= (v & mask) == mask;
	}
	if (!all)
		return any ? GPX_CLEAR_PARTIAL : GPX_CLEAR_NONE_SET;

	for (w = first; w <= BIT_WORD(end - 1); w++) {
		if (gpx_word_release(&map[w], gpx_range_mask(w, start, end))) {
			/* The range is half free here: allocations may start. */
			if (w < BIT_WORD(end - 1))
				gpx_test_hook(GPX_HOOK_CLEAR_WORD, map, w);
			continue;
		}
		while (w-- > first) {
			/*
			 * Only fails if someone reallocated these bits in the
			 * moment since we released them: a caller bug that the
			 * bitmap alone cannot undo. Say so, do not crash.
			 */
			WARN_ON_ONCE(!gpx_word_claim(&map[w],
						     gpx_range_mask(w, start, end)));
		}
		return GPX_CLEAR_PARTIAL;
	}
	return GPX_CLEARED;
}
