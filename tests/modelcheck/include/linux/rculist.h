/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-checker shim: RCU lists. The checker adds chunks before its
 * simulated threads start and frees them after they end, so the list is
 * immutable while anything runs concurrently: plain list operations and
 * an empty read-side critical section model it exactly.
 */
#ifndef _MC_LINUX_RCULIST_H
#define _MC_LINUX_RCULIST_H

#include <linux/list.h>

#define rcu_read_lock()		do { } while (0)
#define rcu_read_unlock()	do { } while (0)
#define list_add_rcu(new, head)	list_add((new), (head))
#define list_del_rcu(entry)	list_del(entry)
#define list_for_each_entry_rcu(pos, head, member, ...)		\
	list_for_each_entry(pos, head, member)

#endif /* _MC_LINUX_RCULIST_H */
