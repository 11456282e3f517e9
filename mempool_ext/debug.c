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
 * - Every element handed out (by the allocator or from the reserve, any
 *   backing allocator) is recorded in a hash set, struct mempool_ext_track,
 *   and every free looks it up and removes it. A free of an element that
 *   is not there is refused: found in the reserve, it is a double free;
 *   otherwise the pool never handed it out (a foreign pointer) or already
 *   got it back and passed it on to the allocator. Either way it is
 *   dropped: the reserve never holds an element twice, the allocator never
 *   gets an element the pool does not own, and the outstanding count stays
 *   exact.
 *
 * Elements handed out while the checks were off are not in the set: when
 * the checks are turned on, the pool notes how many elements are out, and
 * accepts that many unknown frees before it refuses any. An element that
 * finds no room in the set (it grows outside the lock, with the
 * allocation's gfp mask, and may fail to) is counted the same way. So the
 * checks refuse no element of the pool's own (but for an allocation in
 * flight at the very moment they are switched on at run time, see
 * mempool_ext_set_debug()); they may, in those two cases only, let a bad
 * free through.
 *
 * The checks run under pool->lock, the reports after it is dropped.
 * Poisoning does not use KASAN's mempool hooks (not exported to modules),
 * so it also works, and is tested, on KASAN kernels. None of this is on
 * the fast paths: a pool with the checks on never takes them.
 */
#include <linux/hash.h>
#include <linux/highmem.h>
#include <linux/kmemleak.h>
#include <linux/moduleparam.h>
#include <linux/overflow.h>
#include <linux/poison.h>
#include <linux/slab.h>
#include <linux/string.h>

#include <common/pool_ext_leak.h>
#include "internal.h"

bool mpx_debug_default;
module_param_named(debug, mpx_debug_default, bool, 0644);
MODULE_PARM_DESC(debug,
		 "Poison reserve elements, check them for use-after-free, refuse double frees and frees of pointers the pool never handed out (applies to pools created afterwards)");

/*
 * The elements a pool with debug checks has handed out: a set of their
 * addresses, open addressing with linear probing and deletion by backward
 * shift (so no tombstones), under pool->lock. Grown to at most half full
 * by mpx_debug_make_room(), outside the lock; inserting stops at
 * three quarters.
 */
struct mempool_ext_track {
	long untracked;		/* out but not in @slot: unknown frees to accept */
	unsigned int bits;	/* log2 of the number of slots */
	unsigned int used;	/* addresses in @slot */
	/*
	 * Element addresses, 0 for an empty slot, then as many callers: the
	 * return address into the code each element was handed out to, in
	 * the slot of the same number (leak reports, debugfs "leaks").
	 */
	unsigned long slot[];
};

static inline unsigned long *mpx_track_callers(struct mempool_ext_track *t)
{
	return t->slot + (1UL << t->bits);
}

#define MEMPOOL_EXT_TRACK_MIN_BITS	4

static struct mempool_ext_track *mpx_track_new(unsigned int bits,
					       gfp_t gfp_mask)
{
	struct mempool_ext_track *t;

	t = kzalloc(struct_size(t, slot, 2UL << bits),
		    (gfp_mask & ~__GFP_ZERO) | __GFP_NOWARN | __GFP_NOMEMALLOC);
	if (!t)
		return NULL;
	t->bits = bits;
	/*
	 * The set holds the address of every element out: kmemleak must not
	 * count that as a reference, or an element the user leaks while the
	 * checks are on would never be reported.
	 */
	kmemleak_no_scan(t);
	return t;
}

static unsigned int mpx_track_slot(struct mempool_ext_track *t,
				   unsigned long addr)
{
	return hash_long(addr, t->bits);
}

/* Does the set take @nr more addresses and stay at most half full? */
static bool mpx_track_fits(struct mempool_ext_track *t,
			   unsigned long nr)
{
	return (t->used + nr) * 2 <= 1UL << t->bits;
}

static void mpx_track_insert(struct mempool_ext_track *t,
			     unsigned long addr, unsigned long caller)
{
	unsigned long mask = (1UL << t->bits) - 1;
	unsigned long i = mpx_track_slot(t, addr);

	while (t->slot[i])
		i = (i + 1) & mask;
	t->slot[i] = addr;
	mpx_track_callers(t)[i] = caller;
	t->used++;
}

static bool mpx_track_remove(struct mempool_ext_track *t,
			     unsigned long addr)
{
	unsigned long mask = (1UL << t->bits) - 1;
	unsigned long i = mpx_track_slot(t, addr), j, home;

	while (t->slot[i] != addr) {
		if (!t->slot[i])
			return false;
		i = (i + 1) & mask;
	}
	/* Backward shift: pull later entries of the probe run into the gap. */
	for (j = (i + 1) & mask; t->slot[j]; j = (j + 1) & mask) {
		home = mpx_track_slot(t, t->slot[j]);
		/* An entry whose home lies cyclically in (i, j] stays put. */
		if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
			continue;
		t->slot[i] = t->slot[j];
		mpx_track_callers(t)[i] = mpx_track_callers(t)[j];
		i = j;
	}
	t->slot[i] = 0;
	t->used--;
	return true;
}

/**
 * mpx_debug_make_room - grow the set of handed-out elements
 * @pool: the pool
 * @nr: elements about to be handed out
 * @gfp_mask: what the allocation may do to get memory
 *
 * Called without pool->lock by the allocation paths of a pool with debug
 * checks, before they hand out @nr elements. If memory is short the set
 * stays as it is: mpx_debug_track() then counts what does not fit.
 *
 * Context: As the allocation the elements are for.
 * Return: nothing.
 */
void mpx_debug_make_room(struct mempool_ext *pool, unsigned int nr,
			 gfp_t gfp_mask)
{
	struct mempool_ext_track *t, *bigger = NULL;
	unsigned long flags, i, want;
	unsigned int bits;

	for (;;) {
		spin_lock_irqsave(&pool->lock, flags);
		t = pool->track;
		if (!t || mpx_track_fits(t, nr))
			break;
		want = (t->used + (unsigned long)nr) * 2;
		/* t may be replaced and freed once the lock is dropped. */
		bits = max_t(unsigned int, order_base_2(want), t->bits + 1);
		if (bigger && want <= 1UL << bigger->bits) {
			for (i = 0; i < 1UL << t->bits; i++) {
				if (t->slot[i])
					mpx_track_insert(bigger, t->slot[i],
							 mpx_track_callers(t)[i]);
			}
			bigger->untracked = t->untracked;
			pool->track = bigger;
			bigger = t;	/* the old one, freed below */
			break;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
		kfree(bigger);
		bigger = mpx_track_new(bits, gfp_mask);
		if (!bigger)
			return;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	kfree(bigger);
}

/*
 * Record @element as handed out to @caller; pool->lock held, nothing
 * allocated.
 */
void mpx_debug_track(struct mempool_ext *pool, void *element,
		     unsigned long caller)
{
	struct mempool_ext_track *t = pool->track;

	lockdep_assert_held(&pool->lock);
	if (!t)
		return;
	if (t->used < (1UL << t->bits) - (1UL << t->bits) / 4)
		mpx_track_insert(t, (unsigned long)element, caller);
	else
		t->untracked++;
}

/* Record an element from the allocator; without pool->lock. */
void mpx_debug_track_new(struct mempool_ext *pool, void *element,
			 gfp_t gfp_mask, unsigned long caller)
{
	unsigned long flags;

	mpx_debug_make_room(pool, 1, gfp_mask);
	spin_lock_irqsave(&pool->lock, flags);
	mpx_debug_track(pool, element, caller);
	spin_unlock_irqrestore(&pool->lock, flags);
}

static bool mpx_debug_in_reserve(struct mempool_ext *pool,
				 void *element)
{
	int i;

	for (i = 0; i < pool->curr_nr; i++) {
		if (pool->elements[i] == element)
			return true;
	}
	return false;
}

/*
 * May @element be freed into the pool? pool->lock held, debug checks on.
 * An accepted element is no longer counted as handed out.
 */
enum mpx_free_check
mpx_debug_check_free(struct mempool_ext *pool, void *element)
{
	struct mempool_ext_track *t = pool->track;

	lockdep_assert_held(&pool->lock);
	if (t && mpx_track_remove(t, (unsigned long)element))
		return MEMPOOL_EXT_FREE_OK;
	if (mpx_debug_in_reserve(pool, element))
		return MEMPOOL_EXT_FREE_DOUBLE;
	if (!t)
		return MEMPOOL_EXT_FREE_OK;
	if (t->untracked > 0) {
		t->untracked--;
		return MEMPOOL_EXT_FREE_OK;
	}
	return MEMPOOL_EXT_FREE_FOREIGN;
}

/*
 * Add the elements @pool has handed out to a by-caller table; pool->lock
 * held, debug checks on. Bytes are counted where the pool knows its
 * elements' size (slab, kmalloc and page pools), else as 0.
 * Return: the elements out that the set does not know (handed out before
 * the checks were on, or when it had no room).
 */
long mpx_debug_leaks(struct mempool_ext *pool, struct pool_ext_leaks *l)
{
	struct mempool_ext_track *t = pool->track;
	unsigned int units;
	unsigned long i;
	size_t size;

	lockdep_assert_held(&pool->lock);
	if (!t)
		return 0;
	/* A page pool's element is @units pages of @size bytes. */
	size = mpx_geometry(pool, &size, &units) ? size * units : 0;
	for (i = 0; i < 1UL << t->bits; i++)
		if (t->slot[i])
			pool_ext_leaks_add(l, mpx_track_callers(t)[i], size);
	return t->untracked;
}

/* Forget the handed-out elements (exit; the pool is quiescent). */
void mpx_debug_stop(struct mempool_ext *pool)
{
	kfree(pool->track);
	pool->track = NULL;
}

void __mempool_ext_debug_poison(struct mempool_ext *pool, void *element)
{
	unsigned int i, units;
	size_t size;
	u8 *addr;

	if (!mpx_geometry(pool, &size, &units))
		return;
	for (i = 0; i < units; i++) {
		addr = mpx_map_unit(pool, element, i);
		memset(addr, POISON_FREE, size - 1);
		addr[size - 1] = POISON_END;
		mpx_unmap_unit(pool, addr);
	}
}

void __mempool_ext_debug_verify(struct mempool_ext *pool, void *element,
				struct mpx_bad *bad)
{
	unsigned int i, units;
	bool corrupt = false;
	size_t size;
	u8 *addr, *bad_byte;

	if (!mpx_geometry(pool, &size, &units))
		return;
	for (i = 0; i < units; i++) {
		addr = mpx_map_unit(pool, element, i);
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
		mpx_unmap_unit(pool, addr);
	}
	bad->nr += corrupt;
}

void __mempool_ext_debug_report(struct mempool_ext *pool,
				struct mpx_bad *bad, const char *where)
{
	atomic_long_add(bad->nr, &pool->debug_reports);
	mpx_warn_once(pool, MEMPOOL_EXT_WARN_POISON,
		      "reserve element %p poison corrupted at offset %zu (0x%02x, expected 0x%02x), found by %s: written after it was freed (use-after-free) or overflowed into\n",
		      bad->element, bad->offset, bad->found,
		      bad->expected, where);
	memset(bad, 0, sizeof(*bad));
}

void mpx_debug_report_double_free(struct mempool_ext *pool,
				  void *element, unsigned int nr)
{
	atomic_long_add(nr, &pool->debug_reports);
	mpx_warn_once(pool, MEMPOOL_EXT_WARN_DOUBLE_FREE,
		      "double free of %p: it is already in the reserve; free ignored\n",
		      element);
}

void mpx_debug_report_foreign(struct mempool_ext *pool, void *element,
			      unsigned int nr)
{
	atomic_long_add(nr, &pool->debug_reports);
	mpx_warn_once(pool, MEMPOOL_EXT_WARN_FOREIGN,
		      "free of %p refused: this pool did not hand out that element (a pointer from elsewhere, or one already freed)\n",
		      element);
}

/*
 * Turn the checks on, under pool->lock, with the set @t allocated for
 * them. Called by mempool_ext_set_debug() and by init (module parameter).
 * Returns @t if the checks were on already, for the caller to free.
 */
struct mempool_ext_track *mpx_debug_start(struct mempool_ext *pool,
					  struct mempool_ext_track *t)
{
	int i;

	lockdep_assert_held(&pool->lock);
	if (test_and_set_bit(MEMPOOL_EXT_F_DEBUG, &pool->flags))
		return t;
	/* What is out now is unknown to the set: accept that many frees. */
	t->untracked = max(0L, mpx_outstanding(pool));
	pool->track = t;
	for (i = 0; i < pool->curr_nr; i++)
		__mempool_ext_debug_poison(pool, pool->elements[i]);
	return NULL;
}

struct mempool_ext_track *mpx_debug_alloc(gfp_t gfp_mask)
{
	return mpx_track_new(MEMPOOL_EXT_TRACK_MIN_BITS, gfp_mask);
}

/**
 * mempool_ext_set_debug - turn the debug checks of one pool on or off
 * @pool: the pool
 * @enable: true to poison and check, false to stop
 *
 * Pools start with the value of the module parameter "debug" at the time
 * they are created. Turning the checks on poisons the elements already in
 * the reserve and starts recording the elements handed out, so that frees
 * of anything else are refused; the elements already out are accepted back
 * without question (see the top of debug.c; an allocation in flight at the
 * very moment of the switch may be missed). Poisoning needs a pool backed
 * by the slab, kmalloc or page helpers; the checks of frees work with any
 * pool. Turning the checks off forgets the record.
 *
 * Context: Any context (takes the pool's lock, IRQ-safe; allocates with
 * %GFP_ATOMIC when turning the checks on).
 * Return: 0, -EINVAL for an uninitialised pool, or -ENOMEM if the record
 * could not be allocated (the checks then stay off).
 */
int mempool_ext_set_debug(struct mempool_ext *pool, bool enable)
{
	struct mempool_ext_track *t = NULL;
	unsigned long flags;

	if (!pool || !mempool_ext_initialized(pool))
		return -EINVAL;
	if (enable) {
		t = mpx_debug_alloc(GFP_ATOMIC);
		if (!t)
			return -ENOMEM;
	}
	/*
	 * Under the lock, so that every element in the reserve is poisoned
	 * exactly when the bit says so: puts and takes test the bit under
	 * the same lock. The lockless fast paths see the bit a little late
	 * at worst. A free that misses it never touches the reserve. An
	 * allocation that missed it is counted as out by
	 * mpx_debug_start() once it has counted its allocator call,
	 * the instruction after its test of the bit: only one caught in
	 * between is missed, and its free is then refused as foreign. Turn
	 * the checks on with the module parameter, or on a quiet pool, to
	 * rule that out.
	 */
	spin_lock_irqsave(&pool->lock, flags);
	if (enable) {
		t = mpx_debug_start(pool, t);
	} else if (test_and_clear_bit(MEMPOOL_EXT_F_DEBUG, &pool->flags)) {
		t = pool->track;
		pool->track = NULL;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	kfree(t);
	return 0;
}
EXPORT_SYMBOL_GPL(mempool_ext_set_debug);
