// SPDX-License-Identifier: GPL-2.0
/*
 * The same fragmented pool asked for the same 64 bytes by each algorithm.
 * The pool has 32-byte units; busy units are fixed so that every
 * algorithm has a different right answer:
 *
 *   unit:  0 | 1 2 3 | 4 | 5 6 | 7 .. 11 | 12 13 | 14 .. 17 | 18 ...
 *          B |  free | B | free|   busy  | free  |   busy   | free
 *
 * first-fit takes the first hole (unit 1), best-fit the smallest hole
 * that fits (unit 5), first-fit with 128-byte alignment the first free
 * multiple of 4 (unit 12), order-aligned the first free even unit
 * (unit 2), and fixed the offset it is told (unit 64).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/numa.h>
#include <linux/slab.h>
#include <genpool_ext/genpool_ext.h>

#include "demo.h"

#define ALGO_ORDER	5
#define ALGO_UNIT	BIT(ALGO_ORDER)
#define ALGO_UNITS	128
#define ALGO_REQ	(2 * ALGO_UNIT)

struct algo_case {
	const char *name;
	genpool_ext_algo_t algo;
	void *data;
	unsigned long want_unit;
};

bool demo_genpool_algos(void)
{
	static const struct { unsigned int first, nr; } busy[] = {
		{ 0, 1 }, { 4, 1 }, { 7, 5 }, { 14, 4 },
	};
	struct genpool_ext_data_align align = { .align = 4 * ALGO_UNIT };
	struct genpool_ext_data_fixed fixed = { .offset = 64 * ALGO_UNIT };
	struct algo_case cases[] = {
		{ "first-fit", genpool_ext_first_fit, NULL, 1 },
		{ "best-fit", genpool_ext_best_fit, NULL, 5 },
		{ "first-fit-align(128)", genpool_ext_first_fit_align, &align, 12 },
		{ "order-align", genpool_ext_first_fit_order_align, NULL, 2 },
		{ "fixed(2048)", genpool_ext_fixed_alloc, &fixed, 64 },
	};
	const char *scn = "algos";
	struct genpool_ext *pool;
	unsigned long base, a;
	bool ok = true;
	void *region;
	int i;

	region = kmalloc(ALGO_UNITS * ALGO_UNIT, GFP_KERNEL);
	if (!region)
		return false;
	base = (unsigned long)region;
	pool = genpool_ext_create(ALGO_ORDER, NUMA_NO_NODE);
	if (!pool || genpool_ext_add(pool, base, ALGO_UNITS * ALGO_UNIT,
				     NUMA_NO_NODE)) {
		ok = false;
		goto out;
	}
	/* Fragment: occupy the busy runs with fixed-offset allocations. */
	for (i = 0; i < ARRAY_SIZE(busy); i++) {
		struct genpool_ext_data_fixed at = {
			.offset = busy[i].first * ALGO_UNIT,
		};

		if (!genpool_ext_alloc_algo(pool, busy[i].nr * ALGO_UNIT,
					    genpool_ext_fixed_alloc, &at))
			ok = false;
	}
	demo_info(scn, "fragmented: busy units 0, 4, 7-11, 14-17; avail=%zu of %zu\n",
		  genpool_ext_avail(pool), genpool_ext_size(pool));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		long unit = -1;

		a = genpool_ext_alloc_algo(pool, ALGO_REQ, cases[i].algo,
					   cases[i].data);
		if (a)
			unit = (a - base) / ALGO_UNIT;
		demo_info(scn, "%-22s -> unit %3ld (expected %lu)\n",
			  cases[i].name, unit, cases[i].want_unit);
		if (a != base + cases[i].want_unit * ALGO_UNIT)
			ok = false;
		if (a)
			genpool_ext_free(pool, a, ALGO_REQ);
	}
	for (i = 0; i < ARRAY_SIZE(busy); i++)
		genpool_ext_free(pool, base + busy[i].first * ALGO_UNIT,
				 busy[i].nr * ALGO_UNIT);
	ok = ok && genpool_ext_avail(pool) == genpool_ext_size(pool);
out:
	if (pool)
		genpool_ext_destroy(pool);
	kfree(region);
	return ok;
}
