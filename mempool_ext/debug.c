// SPDX-License-Identifier: GPL-2.0
/*
 * mempool_ext runtime debug checks.
 *
 * Mainline poisons reserve elements only when the kernel is built with
 * CONFIG_SLUB_DEBUG_ON, and crashes on what it finds. Here a module
 * parameter (or mempool_ext_set_debug() for one pool) turns the checks on
 * at run time, and whatever they find is reported with a warning (once per
 * pool and kind; every finding is counted in debug_reports) while the pool
 * stays consistent:
 *
 * - Elements entering the reserve of a slab-, kmalloc- or page-backed pool
 *   are filled with POISON_FREE, the last byte of each unit (object or
 *   page) with POISON_END. Taking one out (alloc, resize, exit) verifies
 *   the pattern: a difference means somebody wrote to the element while it
 *   sat in the reserve, a use-after-free or an overflow from a neighbour.
 *   The element is still handed out, filled with POISON_INUSE.
 * - Every free scans the reserve for the element (any backing allocator):
 *   finding it there is a double free. The second free is dropped, so the
 *   reserve never holds an element twice and the allocator never gets an
 *   element the reserve still holds.
 *
 * The checks run under pool->lock, the reports after it is dropped.
 * Poisoning does not use KASAN's mempool hooks (not exported to modules),
 * so it also works, and is tested, on KASAN kernels.
 */
#include <linux/highmem.h>
#include <linux/moduleparam.h>
#include <linux/poison.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

bool mempool_ext_debug_default;
module_param_named(debug, mempool_ext_debug_default, bool, 0644);
MODULE_PARM_DESC(debug,
		 "Poison reserve elements, check them for use-after-free and catch double frees (applies to pools created afterwards)");

void __mempool_ext_debug_poison(struct mempool_ext *pool, void *element)
{
	unsigned int i, units;
	size_t size;
	u8 *addr;

	if (!mempool_ext_geometry(pool, &size, &units))
		return;
	for (i = 0; i < units; i++) {
		addr = mempool_ext_map_unit(pool, element, i);
		memset(addr, POISON_FREE, size - 1);
		addr[size - 1] = POISON_END;
		mempool_ext_unmap_unit(pool, addr);
	}
}

void __mempool_ext_debug_verify(struct mempool_ext *pool, void *element,
				struct mempool_ext_bad *bad)
{
	unsigned int i, units;
	bool corrupt = false;
	size_t size;
	u8 *addr, *bad_byte;

	if (!mempool_ext_geometry(pool, &size, &units))
		return;
	for (i = 0; i < units; i++) {
		addr = mempool_ext_map_unit(pool, element, i);
		bad_byte = memchr_inv(addr, POISON_FREE, size - 1);
		if (!bad_byte && addr[size - 1] != POISON_END)
			bad_byte = addr + size - 1;
		if (bad_byte && !corrupt) {
			corrupt = true;
			if (!bad->element) {
				bad->element = element;
				bad->offset = i * size + (bad_byte - addr);
				bad->found = *bad_byte;
				bad->expected = bad_byte == addr + size - 1 ?
						POISON_END : POISON_FREE;
			}
		}
		/* Handed out: make uninitialised use recognisable. */
		memset(addr, POISON_INUSE, size);
		mempool_ext_unmap_unit(pool, addr);
	}
	bad->nr += corrupt;
}

void __mempool_ext_debug_report(struct mempool_ext *pool,
				struct mempool_ext_bad *bad, const char *where)
{
	atomic_long_add(bad->nr, &pool->debug_reports);
	mempool_ext_warn_once(pool, MEMPOOL_EXT_WARN_POISON,
			      "reserve element %p poison corrupted at offset %zu (0x%02x, expected 0x%02x), found by %s: written after it was freed (use-after-free) or overflowed into\n",
			      bad->element, bad->offset, bad->found,
			      bad->expected, where);
	memset(bad, 0, sizeof(*bad));
}

bool mempool_ext_debug_in_reserve(struct mempool_ext *pool, void *element)
{
	int i;

	lockdep_assert_held(&pool->lock);
	for (i = 0; i < pool->curr_nr; i++) {
		if (pool->elements[i] == element)
			return true;
	}
	return false;
}

void mempool_ext_debug_report_double_free(struct mempool_ext *pool,
					  void *element, unsigned int nr)
{
	atomic_long_add(nr, &pool->debug_reports);
	mempool_ext_warn_once(pool, MEMPOOL_EXT_WARN_DOUBLE_FREE,
			      "double free of %p: it is already in the reserve; free ignored\n",
			      element);
}

/**
 * mempool_ext_set_debug - turn the debug checks of one pool on or off
 * @pool: the pool
 * @enable: true to poison and check, false to stop
 *
 * Pools start with the value of the module parameter "debug" at the time
 * they are created. Turning the checks on poisons the elements already in
 * the reserve. Poisoning needs a pool backed by the slab, kmalloc or page
 * helpers; the double-free check works with any pool.
 *
 * Context: Any context (takes the pool's lock, IRQ-safe).
 * Return: 0, or -EINVAL for an uninitialised pool.
 */
int mempool_ext_set_debug(struct mempool_ext *pool, bool enable)
{
	unsigned long flags;
	int i;

	if (!pool || !mempool_ext_initialized(pool))
		return -EINVAL;
	/*
	 * Under the lock, so that every element in the reserve is poisoned
	 * exactly when the bit says so: puts and takes test the bit under
	 * the same lock. The lockless fast paths see the bit a little late
	 * at worst, and a free that misses it never touches the reserve.
	 */
	spin_lock_irqsave(&pool->lock, flags);
	if (enable && !test_and_set_bit(MEMPOOL_EXT_F_DEBUG, &pool->flags)) {
		for (i = 0; i < pool->curr_nr; i++)
			__mempool_ext_debug_poison(pool, pool->elements[i]);
	} else if (!enable) {
		clear_bit(MEMPOOL_EXT_F_DEBUG, &pool->flags);
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return 0;
}
EXPORT_SYMBOL_GPL(mempool_ext_set_debug);
