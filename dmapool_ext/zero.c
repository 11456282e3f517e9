// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext block zeroing, the part that is not inline (see dpx_zero()
 * in internal.h).
 */
#include <linux/compiler.h>

#include "internal.h"

/*
 * The widest zeroing rounds, for blocks of 256 bytes and more, are out of
 * line and aligned to 512 bytes, so that their loop (about 310 bytes)
 * never straddles a page. Under QEMU TCG, where make check and make bench
 * run, a loop that does is translated as two blocks that cannot be chained
 * to each other, and every round pays two translation-cache lookups: when
 * an unrelated edit once moved the inline loop across a page boundary,
 * 4096-byte allocations with init_on_alloc took half as long again. The
 * call costs one jump; the smaller rounds, short loops, stay inline.
 *
 * The function has a file of its own so that it starts its object's text:
 * an alignment gap inside an object is filled with a jump over no-ops,
 * which objtool (6.1) reports as unreachable.
 */
noinline __aligned(512) void *dpx_zero_256(void *block, unsigned int size)
{
	dpx_zero_rounds(block, block + size, 32);
	return block;
}
