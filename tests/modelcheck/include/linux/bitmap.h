/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: the bitmap helpers genpool_ext uses. */
#ifndef _MC_LINUX_BITMAP_H
#define _MC_LINUX_BITMAP_H

#include <string.h>
#include <linux/bitops.h>
#include <linux/minmax.h>

#define BITMAP_FIRST_WORD_MASK(start)	(~0UL << ((start) & (BITS_PER_LONG - 1)))
#define BITMAP_LAST_WORD_MASK(nbits)	(~0UL >> (-(nbits) & (BITS_PER_LONG - 1)))

/* Plain reads: only used where nothing runs concurrently. */
static inline unsigned long bitmap_weight(const unsigned long *map,
					  unsigned long nbits)
{
	unsigned long w, n = 0;

	for (w = 0; w < nbits / BITS_PER_LONG; w++)
		n += hweight_long(map[w]);
	if (nbits % BITS_PER_LONG)
		n += hweight_long(map[w] & BITMAP_LAST_WORD_MASK(nbits));
	return n;
}

static inline void bitmap_zero(unsigned long *map, unsigned long nbits)
{
	memset(map, 0, BITS_TO_LONGS(nbits) * sizeof(unsigned long));
}

/* The first set bit in [@from, @size), or @size; each word read is a switch point. */
static inline unsigned long find_next_bit(const unsigned long *map,
					  unsigned long size,
					  unsigned long from)
{
	unsigned long w, v;

	if (from >= size)
		return size;
	w = BIT_WORD(from);
	v = READ_ONCE(map[w]) & BITMAP_FIRST_WORD_MASK(from);
	while (!v) {
		if (++w >= BITS_TO_LONGS(size))
			return size;
		v = READ_ONCE(map[w]);
	}
	return min(w * BITS_PER_LONG + __ffs(v), size);
}

#endif /* _MC_LINUX_BITMAP_H */
