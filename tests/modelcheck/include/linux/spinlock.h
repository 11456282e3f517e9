/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-checker shim: spinlocks. genpool_ext only takes its pool lock to
 * add chunks, which the checker does outside the simulated threads; a lock
 * taken twice means that changed, and is reported as a warning.
 */
#ifndef _MC_LINUX_SPINLOCK_H
#define _MC_LINUX_SPINLOCK_H

#include <linux/bug.h>
#include <linux/spinlock_types.h>

#define spin_lock_init(l)	((l)->locked = 0)
#define spin_lock(l)		((void)WARN_ON((l)->locked++))
#define spin_unlock(l)		((void)WARN_ON(!(l)->locked--))

#endif /* _MC_LINUX_SPINLOCK_H */
