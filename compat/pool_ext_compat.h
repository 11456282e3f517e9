/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pool_ext_compat.h - the one place where the suite meets kernel API drift.
 *
 * The suite builds from the same source, without a warning, on every
 * kernel of the matrix in scripts/kernels.list (Debian's 6.1, 6.12,
 * 6.12-rt and 7.2 today). When a kernel changes an interface the suite
 * uses, the difference is absorbed here and nowhere else: a small inline
 * wrapper or macro behind one test of LINUX_VERSION_CODE (include
 * <linux/version.h> for it), or better of a feature macro the change
 * itself introduced, and the modules call the wrapper. make lint
 * (scripts/lint.sh) fails on LINUX_VERSION_CODE anywhere else.
 *
 * Each entry says which release changed what (with the upstream commit
 * subject), and which kernels of the matrix take which side, so that it
 * can be deleted when the oldest kernel that needs it leaves the matrix.
 *
 * There are no entries today: every interface the suite uses is the same
 * on 6.1 and 7.2. The changes in between that could have reached it, the
 * allocation-profiling *_noprof variants and mempool_alloc() becoming a
 * macro (both 6.10), do not: it calls the kernel's allocators by their
 * ordinary names, which work as functions and as macros alike, and its
 * own names are prefixed. Which KUnit modules build (6.12+ only) is a
 * build-time choice made in tests/Kbuild.
 *
 * Each module's internal.h includes this file, so an entry added here is
 * seen by all of the module's sources.
 */
#ifndef _POOL_EXT_COMPAT_H
#define _POOL_EXT_COMPAT_H

#endif /* _POOL_EXT_COMPAT_H */
