/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pool_ext_leak.h - live allocations grouped by the code that made them.
 *
 * Shared by the three modules (header only: each module is built alone).
 * With a module's runtime debug checks on, every live allocation keeps
 * the return address into its caller (_RET_IP_ of the exported call).
 * A module walks its live allocations and adds each to a small table,
 * one row per caller with a count and a byte total; the table then goes
 * out as the report of a destroy that found allocations still live, and
 * as the "leaks" debugfs file, one line per caller:
 *
 *   3 blocks (192 bytes) from mydrv_xmit+0x4c/0x120 [mydrv]
 *
 * The table has a fixed size, so filling it needs no allocation (destroy
 * paths may run where allocating is a bad idea): callers beyond it are
 * counted as "others" and the report says so.
 */
#ifndef _POOL_EXT_LEAK_H
#define _POOL_EXT_LEAK_H

#include <linux/printk.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/types.h>

/* Callers a table keeps (and a report prints) by name. */
#define POOL_EXT_LEAK_CALLERS	8

struct pool_ext_leak_row {
	unsigned long caller;	/* return address, 0: not recorded */
	unsigned long count;
	unsigned long bytes;
};

struct pool_ext_leaks {
	struct pool_ext_leak_row row[POOL_EXT_LEAK_CALLERS];
	unsigned int nr;		/* rows in use */
	unsigned long count;		/* all live allocations */
	unsigned long bytes;
	unsigned long other_count;	/* those of callers without a row */
	unsigned long other_bytes;
};

static inline void pool_ext_leaks_init(struct pool_ext_leaks *l)
{
	memset(l, 0, sizeof(*l));
}

/* Count one live allocation of @bytes made from @caller. */
static inline void pool_ext_leaks_add(struct pool_ext_leaks *l,
				      unsigned long caller,
				      unsigned long bytes)
{
	unsigned int i;

	l->count++;
	l->bytes += bytes;
	for (i = 0; i < l->nr; i++) {
		if (l->row[i].caller == caller) {
			l->row[i].count++;
			l->row[i].bytes += bytes;
			return;
		}
	}
	if (l->nr == POOL_EXT_LEAK_CALLERS) {
		l->other_count++;
		l->other_bytes += bytes;
		return;
	}
	l->row[l->nr].caller = caller;
	l->row[l->nr].count = 1;
	l->row[l->nr].bytes = bytes;
	l->nr++;
}

/* Biggest byte totals first, so that a cut report keeps what matters. */
static inline void pool_ext_leaks_sort(struct pool_ext_leaks *l)
{
	struct pool_ext_leak_row t;
	unsigned int i, j;

	for (i = 1; i < l->nr; i++) {
		t = l->row[i];
		for (j = i; j > 0 && t.bytes > l->row[j - 1].bytes; j--)
			l->row[j] = l->row[j - 1];
		l->row[j] = t;
	}
}

/*
 * One row as text ("3 blocks (192 bytes) from f+0x4c/0x120 [mod]"); the
 * same words in the destroy report and in debugfs.
 */
#define POOL_EXT_LEAK_FMT	"%lu %s (%lu bytes) from %pS"

/*
 * Print the table after a destroy's warning, each line naming the pool
 * as "pool @name-@id:" after the module's pr_fmt() prefix; @id negative
 * prints "pool @name:", for a name that has the id already. @units is
 * "blocks" or "elements".
 */
static inline void pool_ext_leaks_print(struct pool_ext_leaks *l,
					const char *name, int id,
					const char *units)
{
	struct pool_ext_leak_row *r;
	unsigned int i;

	pool_ext_leaks_sort(l);
	for (i = 0; i < l->nr; i++) {
		r = &l->row[i];
		if (id < 0)
			pr_warn("pool %s: " POOL_EXT_LEAK_FMT "\n", name,
				r->count, units, r->bytes, (void *)r->caller);
		else
			pr_warn("pool %s-%d: " POOL_EXT_LEAK_FMT "\n", name, id,
				r->count, units, r->bytes, (void *)r->caller);
	}
	if (l->other_count)
		pr_warn("pool %s: %lu %s (%lu bytes) from other callers\n",
			name, l->other_count, units, l->other_bytes);
}

/* The same table as a debugfs file's content. */
static inline void pool_ext_leaks_show(struct seq_file *m,
				       struct pool_ext_leaks *l,
				       const char *units)
{
	unsigned int i;

	pool_ext_leaks_sort(l);
	for (i = 0; i < l->nr; i++)
		seq_printf(m, POOL_EXT_LEAK_FMT "\n", l->row[i].count, units,
			   l->row[i].bytes, (void *)l->row[i].caller);
	if (l->other_count)
		seq_printf(m, "%lu %s (%lu bytes) from other callers\n",
			   l->other_count, units, l->other_bytes);
	seq_printf(m, "total: %lu %s (%lu bytes)\n", l->count, units,
		   l->bytes);
}

#endif /* _POOL_EXT_LEAK_H */
