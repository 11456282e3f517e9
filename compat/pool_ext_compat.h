/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pool_ext_compat.h - the one place where the suite meets kernel API drift.
 *
 * The suite builds from the same source, without a warning, on every
 * kernel of the matrix in scripts/kernels.list (Debian's 6.1, 6.12,
 * 6.12-rt and 7.2, and the 6.12 and 7.2 debug kernels). The code is
 * written against the newest kernel's interfaces; when a kernel changes
 * one the suite uses, this file supplies the new interface on the older
 * kernels, behind one test of LINUX_VERSION_CODE (or of a feature macro
 * the change itself introduced), and nowhere else: make lint
 * (scripts/lint.sh) fails on a version test in any other file.
 *
 * Each entry says which release changed what (with the upstream commit
 * subject) and which kernels of the matrix take which side, so that it
 * can be deleted, with no other change, once the last kernel that needs
 * it leaves the matrix.
 *
 * The allocator modules need no entry: every interface they use is the
 * same on 6.1 and 7.2. The 6.10 changes that could have reached them (the
 * allocation-profiling *_noprof variants, mempool_alloc() becoming a
 * macro) do not: they call the kernel's allocators by their ordinary
 * names, which work as functions and as macros alike, and their own names
 * are prefixed. Which KUnit modules build at all (6.12+) is a build-time
 * choice made in tests/Kbuild.
 *
 * It is included where an entry is used: by tests/pool_ext_test.h, for
 * the KUnit modules. A module that comes to need an entry includes it from
 * its internal.h (genpool_ext's sources are also compiled in userspace by
 * tests/modelcheck/, against shims of the kernel headers: that build then
 * needs shims of what the entry uses).
 */
#ifndef _POOL_EXT_COMPAT_H
#define _POOL_EXT_COMPAT_H

#include <linux/hrtimer.h>
#include <linux/version.h>

/*
 * hrtimer_setup(), new in 6.13 ("hrtimers: Introduce hrtimer_setup() to
 * replace hrtimer_init()"), sets the callback along with the rest;
 * hrtimer_init() was removed after the tree moved over ("hrtimers: Delete
 * hrtimer_init()"), and 7.2 has none. Used by the KUnit stress tests'
 * interrupt-context timers. 6.1, 6.12, 6.12-rt and 6.12-debug: this
 * fallback; 7.2 and 7.2-debug: the kernel's own.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

#endif /* _POOL_EXT_COMPAT_H */
