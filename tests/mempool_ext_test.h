/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to mempool_ext_test.ko, the KUnit module for mempool_ext. It is
 * built from one file per concern (tests/Kbuild), each holding one suite:
 *
 *   mempool_ext_api_test.c          mempool_ext: the API, one case per
 *                                   behaviour and misuse
 *   mempool_ext_helpers_test.c      mempool_ext_helpers: slab/kmalloc/page
 *                                   helpers and their pools
 *   mempool_ext_concurrency_test.c  mempool_ext_concurrency: wake-ups, bulk
 *                                   waiters, resize under load and the
 *                                   forward-progress stress, with kthreads
 *   mempool_ext_debug_test.c        mempool_ext_debug: the runtime checks
 *                                   and their reports
 *
 * A new case for an exported function goes into mempool_ext_test_cases[]
 * in mempool_ext_api_test.c; a new suite goes into the file of its concern.
 *
 * Most cases use a counting backing allocator (struct mpt_backing) so that
 * they can check element conservation: every element the backing handed
 * out is either in the reserve, outstanding, or given back. Misuse that
 * warns is wrapped in POOL_EXT_EXPECT_WARN_BEGIN/END; cases that must say
 * what a warning prints read it back from /dev/kmsg (struct mpt_kmsg).
 * Nothing is judged on absolute time except the wake-up latency, which is
 * compared with the safety-net timeout by a wide margin.
 *
 * The helpers below are the ones more than one file uses (defined in
 * mempool_ext_api_test.c); a helper one file uses stays static in it.
 */
#ifndef _MEMPOOL_EXT_TEST_H
#define _MEMPOOL_EXT_TEST_H

#include <kunit/test.h>
#include <linux/kmsg_dump.h>
#include <mempool_ext/mempool_ext.h>

#include "pool_ext_test.h"

#define MPT_ELEM_SIZE	64

/* A kmalloc()-based backing allocator that counts and can fail. */
struct mpt_backing {
	atomic_t live;		/* elements out of the backing right now */
	atomic_t allocs;	/* successful allocations */
	atomic_t calls;		/* calls of mpt_alloc() */
	unsigned int fail_pct;	/* fail this percentage of calls */
	bool fail;		/* fail every call */
	int fail_after;		/* if > 0, fail once this many succeeded */
};

/* One field of a fresh statistics snapshot, as a signed number. */
#define mpt_stat(pool, field)						\
({									\
	struct mempool_ext_stats __st;					\
									\
	mempool_ext_get_stats(pool, &__st);				\
	(long long)__st.field;						\
})

/*
 * The kernel log, read through the kmsg_dump iterator (what a panic
 * dumper uses): positioned after the last record when opened, so that
 * mpt_kmsg_read() returns the messages printed since. In the kernel, with
 * no user buffer: /dev/kmsg's read() would need a user mapping of the
 * test thread, which kmemleak reported as leaked on arm64 (see
 * pool_ext_read_debugfs()).
 */
#define MPT_KMSG_LEN	(16 * 1024)

struct mpt_kmsg {
	struct kmsg_dump_iter iter;
	char *text;		/* the records' messages, one per line */
};

void *mpt_alloc(gfp_t gfp_mask, void *pool_data);
void mpt_free(void *element, void *pool_data);
struct mpt_backing *mpt_backing_new(struct kunit *test);
void mpt_manage(struct kunit *test, struct mempool_ext *pool);
void mpt_destroy(struct kunit *test, struct mempool_ext *pool);
struct mempool_ext *mpt_create(struct kunit *test, int min_nr,
			       struct mpt_backing *b);
struct mpt_kmsg *mpt_kmsg_open(struct kunit *test);
const char *mpt_kmsg_read(struct mpt_kmsg *k);
int mpt_count(const char *text, const char *needle);
ssize_t mpt_write_file(const char *path, const char *text);

#endif /* _MEMPOOL_EXT_TEST_H */
