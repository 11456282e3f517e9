/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private to genpool_ext_test.ko, the KUnit module for genpool_ext. It is
 * built from one file per concern (tests/Kbuild), each holding its suites:
 *
 *   genpool_ext_api_test.c     genpool_ext         every exported function
 *                                                  and algorithm, edge cases
 *                              genpool_ext_misuse  every misuse: an expected
 *                                                  warning, then proof that
 *                                                  the pool is unchanged and
 *                                                  still works
 *   genpool_ext_diff_test.c    genpool_ext_diff    differential runs against
 *                                                  the in-kernel gen_pool
 *                              genpool_ext_model   random operations checked
 *                                                  against a naive model
 *   genpool_ext_index_test.c   genpool_ext_index   the index skips full
 *                                                  regions (operation counts)
 *   genpool_ext_stress_test.c  genpool_ext_stress  kthreads on every CPU and
 *                                                  a hardirq timer sharing
 *                                                  one pool, stamping and
 *                                                  checking their blocks
 *                              genpool_ext_race    forced interleavings
 *                                                  (POOL_EXT_TEST_HOOKS=y)
 *
 * A new case for an exported function goes into genpool_ext_cases[] in
 * genpool_ext_api_test.c; a new suite goes into the file of its concern.
 *
 * Most pools here manage made-up address ranges: the allocator never
 * touches the memory it manages, so only the tests that write to blocks
 * (zalloc, stress) use real memory.
 *
 * The helpers below are the ones more than one file uses; a helper one
 * file uses stays static in that file.
 */
#ifndef _GENPOOL_EXT_TEST_H
#define _GENPOOL_EXT_TEST_H

#include <kunit/test.h>
#include <genpool_ext/genpool_ext.h>

#include "pool_ext_test.h"

#define FAKE_BASE	0x40000000UL

/* A block a test holds: its address and size. */
struct gpt_block {
	unsigned long addr;
	size_t size;
};

struct genpool_ext *gpt_pool(struct kunit *test, int order,
			     unsigned long base, unsigned long units);
unsigned long gpt_misuse(struct genpool_ext *pool);

#endif /* _GENPOOL_EXT_TEST_H */
