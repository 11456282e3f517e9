/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: the bitmap helpers genpool_ext uses. */
#ifndef _MC_LINUX_BITMAP_H
#define _MC_LINUX_BITMAP_H

#include <linux/bitops.h>

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

#endif /* _MC_LINUX_BITMAP_H */
