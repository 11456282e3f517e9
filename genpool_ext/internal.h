/* SPDX-License-Identifier: GPL-2.0 */
/*
 * genpool_ext internals shared by all of the module's sources. Not for
 * clients: they include <genpool_ext/genpool_ext.h> only. The search index
 * and the word scans have their own private header, index.h.
 *
 * Layering: core.c (pool and chunk lifetime) and alloc.c (alloc/free) sit
 * on bitmap.c (lock-free bit updates), index.c (the search index, index.h)
 * and algos.c (placement). stats.c, debug.c, debugfs.c and devres.c hang
 * off the core.
 */
#ifndef _GENPOOL_EXT_INTERNAL_H
#define _GENPOOL_EXT_INTERNAL_H

#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/bitmap.h>
#include <linux/percpu.h>
#include <genpool_ext/genpool_ext.h>

/*
 * Every warning of the module starts with the module's name; the prefix is
 * added here, in one place, so the messages cannot drift apart.
 */
#define gpx_warn(cond, fmt, ...) \
	WARN(cond, KBUILD_MODNAME ": " fmt, ##__VA_ARGS__)

/*
 * Per-CPU counters, summed by genpool_ext_get_stats(), and @last, the chunk
 * of this CPU's latest allocation: a free looks there before it walks the
 * chunk list. Only a hint, checked against the address; chunks live as
 * long as their pool, so it never dangles. Read and written whole by
 * this_cpu ops, in any context.
 */
struct genpool_ext_pcpu {
	unsigned long allocs;
	unsigned long frees;
	unsigned long alloc_failures;
	unsigned long misuse;
	unsigned long search_words;
	struct genpool_ext_chunk *last;
};

/* Misuse kinds; each warns once per pool (bit in genpool_ext.warned). */
enum gpx_misuse {
	GPX_MISUSE_FOREIGN,
	GPX_MISUSE_UNALIGNED,
	GPX_MISUSE_RANGE,
	GPX_MISUSE_DOUBLE,
	GPX_MISUSE_PARTIAL,
	GPX_MISUSE_ZERO,
	GPX_MISUSE_FIXED_OFFSET,
	GPX_MISUSE_BOUNDARY,
	GPX_MISUSE_NR,
};

/*
 * What the warning for each misuse kind says. The tests declare these
 * texts as the expected warnings, so they live here, once.
 */
static inline const char *gpx_misuse_text(enum gpx_misuse kind)
{
	static const char * const what[GPX_MISUSE_NR] = {
		[GPX_MISUSE_FOREIGN] = "free of an address outside the pool",
		[GPX_MISUSE_UNALIGNED] = "free of an address not on an allocation unit",
		[GPX_MISUSE_RANGE] = "free running past the end of its chunk",
		[GPX_MISUSE_DOUBLE] = "double free",
		[GPX_MISUSE_PARTIAL] = "partial free (range only partly allocated)",
		[GPX_MISUSE_ZERO] = "free of zero bytes",
		[GPX_MISUSE_FIXED_OFFSET] = "fixed offset not on an allocation unit",
		[GPX_MISUSE_BOUNDARY] =
			"free not matching one allocation (part, or over a neighbour)",
	};

	return what[kind];
}

/* bitmap.c: lock-free updates and word scans */
bool gpx_bitmap_set(unsigned long *map, unsigned long start,
		    unsigned long nr, unsigned long *undone);
enum gpx_clear {
	GPX_CLEARED,
	GPX_CLEAR_NONE_SET,
	GPX_CLEAR_PARTIAL,
};

enum gpx_clear gpx_bitmap_clear(unsigned long *map, unsigned long start,
				unsigned long nr);
/* core.c */
typedef void (*gpx_chunk_fn)(struct genpool_ext *pool,
			     struct genpool_ext_chunk *chunk, void *data);

static inline size_t gpx_chunk_size(const struct genpool_ext_chunk *chunk)
{
	return chunk->end_addr - chunk->start_addr + 1;
}

struct genpool_ext *gpx_pool_new(int min_alloc_order, int nid,
				 const char *name);

/* alloc.c */
void gpx_misuse(struct genpool_ext *pool, enum gpx_misuse kind,
		unsigned long addr, size_t size, unsigned long caller);

/*
 * Test hooks (testhooks.c): built only with POOL_EXT_TEST_HOOKS=y, for the
 * KUnit modules, and empty inline stubs otherwise. Each sits at a point
 * where a concurrent alloc or free can change what the code is looking
 * at, so that a test can run that interfering operation right there,
 * deterministically, instead of hoping a stress test hits the window.
 */
enum gpx_hook {
	GPX_HOOK_CLEAR_WORD,	/* a free released one word of its range */
	GPX_HOOK_TIGHTEN,	/* a tightener recounted, before it installs */
	GPX_HOOK_RECOUNT,	/* a recount read the group's edge bits */
	GPX_HOOK_CHUNK_TIGHTEN,	/* lowering a chunk hint: before (arg 0), */
				/* after the install (arg 1) */
	GPX_HOOK_ROW_TIGHTEN,	/* a row tightener recounted, before it */
				/* installs */
};

#ifdef POOL_EXT_TEST_HOOKS
/* @map: the bitmap being worked on; @arg: the word, or the group. */
typedef void (*gpx_hook_fn)(void *data, enum gpx_hook point,
			    const unsigned long *map, unsigned long arg);

void gpx_test_hook(enum gpx_hook point, const unsigned long *map,
		   unsigned long arg);
void genpool_ext_test_set_hook(gpx_hook_fn fn, void *data);
unsigned long genpool_ext_test_recount(struct genpool_ext_chunk *chunk,
				       unsigned long g);
#else
static inline void gpx_test_hook(enum gpx_hook point,
				 const unsigned long *map, unsigned long arg)
{
}
#endif

/* debug.c: allocation-boundary checks, behind pool->debug */
extern bool gpx_debug_default;
int gpx_debug_chunk_init(struct genpool_ext *pool,
			 struct genpool_ext_chunk *chunk);
void __gpx_debug_alloc(struct genpool_ext_chunk *chunk, unsigned long bit,
		       unsigned long nr, unsigned long caller);
enum gpx_misuse __gpx_debug_free(struct genpool_ext_chunk *chunk,
				 unsigned long bit, unsigned long nr);

static inline void gpx_debug_alloc(struct genpool_ext *pool,
				   struct genpool_ext_chunk *chunk,
				   unsigned long bit, unsigned long nr,
				   unsigned long caller)
{
	if (unlikely(READ_ONCE(pool->debug)))
		__gpx_debug_alloc(chunk, bit, nr, caller);
}

/* %GPX_MISUSE_NR if the free may go on. */
static inline enum gpx_misuse gpx_debug_free(struct genpool_ext *pool,
					     struct genpool_ext_chunk *chunk,
					     unsigned long bit,
					     unsigned long nr)
{
	if (unlikely(READ_ONCE(pool->debug)))
		return __gpx_debug_free(chunk, bit, nr);
	return GPX_MISUSE_NR;
}

struct pool_ext_leaks;
bool gpx_debug_leaks(struct genpool_ext_chunk *chunk, int order,
		     struct pool_ext_leaks *l);
void gpx_debug_report_leaks(struct genpool_ext *pool);

/* stats.c: the alloc_fail event's arguments, only while it is on */
void gpx_trace_alloc_fail(struct genpool_ext *pool, size_t size,
			  unsigned long caller);

/* debugfs.c */
void gpx_debugfs_init(void);
void gpx_debugfs_exit(void);
void gpx_debugfs_add(struct genpool_ext *pool);
void gpx_debugfs_remove(struct genpool_ext *pool);

#endif /* _GENPOOL_EXT_INTERNAL_H */
