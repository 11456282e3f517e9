/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the suite's KUnit modules.
 *
 * Declaring an expected warning: a test that misuses an API on purpose
 * wraps the call in POOL_EXT_EXPECT_WARN_BEGIN/END with a pattern. The
 * harness (scripts/ktap_parse.py) accepts a WARNING block printed between
 * the two markers only if the block's text contains the pattern; any other
 * warning, and every oops, KASAN, lockdep or kmemleak report, still fails
 * the run. The pattern is usually the warning's message or the name of the
 * function that warns.
 */
#ifndef _POOL_EXT_TEST_H
#define _POOL_EXT_TEST_H

#include <linux/printk.h>

#define POOL_EXT_EXPECT_WARN_BEGIN(pattern) \
	pr_warn("pool_ext-expect-warning: begin %s\n", pattern)
#define POOL_EXT_EXPECT_WARN_END(pattern) \
	pr_warn("pool_ext-expect-warning: end %s\n", pattern)

#endif /* _POOL_EXT_TEST_H */
