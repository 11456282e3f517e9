/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mempool_ext internals shared by the module's source files. Not part of
 * the API: drivers include only <mempool_ext/mempool_ext.h>.
 */
#ifndef _MEMPOOL_EXT_INTERNAL_H
#define _MEMPOOL_EXT_INTERNAL_H

#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/minmax.h>
#include <linux/types.h>

#include <mempool_ext/mempool_ext.h>

/* Bits of pool->warned: each kind of misuse warns once per pool. */
enum mempool_ext_warning {
	MEMPOOL_EXT_WARN_GFP_ZERO,
	MEMPOOL_EXT_WARN_RESIZE,
	MEMPOOL_EXT_WARN_BULK,
	MEMPOOL_EXT_WARN_POISON,
	MEMPOOL_EXT_WARN_DOUBLE_FREE,
	MEMPOOL_EXT_WARN_UNINIT,
};

/*
 * WARN the first time a pool sees a given kind of problem (a bit of
 * pool->warned); later ones of that kind stay silent. The message is
 * prefixed with "mempool_ext: <pool name>: ". Defined in core.c.
 */
__printf(3, 4)
void mempool_ext_warn_once(struct mempool_ext *pool,
			   enum mempool_ext_warning bit, const char *fmt, ...);

/*
 * How many elements free refills the reserve to. A zero-minimum pool still
 * holds one element: otherwise a free would have nowhere to put the element
 * a sleeping allocation is waiting for (mainline's 2025 lost wake-up).
 */
static inline int mempool_ext_target(struct mempool_ext *pool)
{
	return max(1, READ_ONCE(pool->min_nr));
}

/*
 * A corrupted reserve element found while taking it out under pool->lock;
 * reported (mempool_ext_debug_report()) once the lock is dropped.
 */
struct mempool_ext_bad {
	void *element;		/* first corrupted element, or NULL */
	size_t offset;		/* offset of its first bad byte */
	u8 found;		/* the byte found there */
	u8 expected;		/* the poison byte expected there */
	unsigned int nr;	/* corrupted elements found in total */
};

/* alloc.c: the reserve stack. Both are called with pool->lock held. */
void mempool_ext_reserve_put(struct mempool_ext *pool, void *element);
void *mempool_ext_reserve_take(struct mempool_ext *pool,
			       struct mempool_ext_bad *bad);

/* debug.c: poisoning and double-free checks (no-ops unless pool->debug). */
extern bool mempool_ext_debug_default;
void mempool_ext_debug_poison(struct mempool_ext *pool, void *element);
void mempool_ext_debug_verify(struct mempool_ext *pool, void *element,
			      struct mempool_ext_bad *bad);
void mempool_ext_debug_report(struct mempool_ext *pool,
			      struct mempool_ext_bad *bad, const char *where);
bool mempool_ext_debug_in_reserve(struct mempool_ext *pool, void *element);
void mempool_ext_debug_report_double_free(struct mempool_ext *pool,
					  void *element, unsigned int nr);

/* faultinject.c */
bool mempool_ext_should_fail(struct mempool_ext *pool);
void mempool_ext_fault_describe(struct mempool_ext *pool, char *buf,
				size_t len);
int mempool_ext_fault_parse(struct mempool_ext *pool, char *cmd);

/* debugfs.c */
void mempool_ext_debugfs_init(void);
void mempool_ext_debugfs_exit(void);
void mempool_ext_debugfs_add(struct mempool_ext *pool);
void mempool_ext_debugfs_remove(struct mempool_ext *pool);

#endif /* _MEMPOOL_EXT_INTERNAL_H */
