// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only hooks at genpool_ext's racy points (see enum gpx_hook). Built
 * only with POOL_EXT_TEST_HOOKS=y; the KUnit module uses them to force
 * the interleavings that a free, an allocation and a tightening search
 * can produce, one at a time and always the same way.
 *
 * One hook for the whole module, set and cleared by one test at a time
 * (KUnit runs a module's cases one after another).
 */
#include <linux/compiler.h>
#include <linux/export.h>
#include "index.h"

static gpx_hook_fn gpx_hook_cur;
static void *gpx_hook_data;

/**
 * gpx_test_hook - call the test's hook, if one is set
 * @point: where the caller is
 * @map: the bitmap it works on, so the hook can tell pools apart
 * @arg: the word (GPX_HOOK_CLEAR_WORD) or group (the others)
 *
 * Context: any context; the hook runs in the caller's.
 */
void gpx_test_hook(enum gpx_hook point, const unsigned long *map,
		   unsigned long arg)
{
	gpx_hook_fn fn = READ_ONCE(gpx_hook_cur);

	if (fn)
		fn(READ_ONCE(gpx_hook_data), point, map, arg);
}

/**
 * genpool_ext_test_set_hook - install (or with %NULL remove) the test hook
 * @fn: the hook
 * @data: its argument
 *
 * Context: process context, with no genpool_ext call in flight that the
 * test does not own.
 */
void genpool_ext_test_set_hook(gpx_hook_fn fn, void *data)
{
	WRITE_ONCE(gpx_hook_data, data);
	WRITE_ONCE(gpx_hook_cur, fn);
}
EXPORT_SYMBOL_GPL(genpool_ext_test_set_hook);

/**
 * genpool_ext_test_recount - recount one group's summary from the bitmap
 * @chunk: the chunk
 * @g: the group
 *
 * Context: any context.
 * Return: what the index's own recount computes for group @g.
 */
unsigned long genpool_ext_test_recount(struct genpool_ext_chunk *chunk,
				       unsigned long g)
{
	struct gpx_ctx c = {
		.map = chunk->bits,
		.size = chunk->nbits,
		.index = chunk->index,
	};

	return gpx_index_exact(&c, g);
}
EXPORT_SYMBOL_GPL(genpool_ext_test_recount);
