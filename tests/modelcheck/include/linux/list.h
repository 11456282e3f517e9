/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: doubly linked lists. */
#ifndef _MC_LINUX_LIST_H
#define _MC_LINUX_LIST_H

#include <linux/types.h>

struct list_head {
	struct list_head *next, *prev;
};

#define container_of(ptr, type, member)					\
	((type *)((char *)(ptr) - offsetof(type, member)))

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}

static inline void list_add(struct list_head *new, struct list_head *head)
{
	new->next = head->next;
	new->prev = head;
	head->next->prev = new;
	head->next = new;
}

static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = NULL;
	entry->prev = NULL;
}

static inline int list_empty(const struct list_head *head)
{
	return head->next == head;
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(head, type, member)				\
	list_entry((head)->next, type, member)

/*
 * The iterators walk the links with cursors of their own, so that each
 * argument is named once (pos[0] has the entry type, like *pos).
 */
#define list_for_each_entry(pos, head, member)				\
	for (struct list_head *__mc_h = (head), *__mc_l = __mc_h->next;	\
	     __mc_l != __mc_h &&						\
	     ((pos) = list_entry(__mc_l, __typeof__(pos[0]), member), 1); \
	     __mc_l = __mc_l->next)

/*
 * The body may delete @pos: the next link is read before it runs. @n, the
 * kernel's temporary, is set to NULL: genpool_ext does not read it.
 */
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (struct list_head *__mc_h = (head), *__mc_l = __mc_h->next, *__mc_x; \
	     __mc_l != __mc_h && (__mc_x = __mc_l->next, (n) = NULL,	\
		(pos) = list_entry(__mc_l, __typeof__(pos[0]), member), 1); \
	     __mc_l = __mc_x)

#endif /* _MC_LINUX_LIST_H */
