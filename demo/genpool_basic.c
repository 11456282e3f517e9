// SPDX-License-Identifier: GPL-2.0
/*
 * The simplest general pool: a 1 MiB region from kmalloc, handed out in
 * 32-byte units. Real drivers do this for on-chip SRAM; here the memory is
 * ordinary RAM so the demo runs anywhere.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/numa.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <genpool_ext/genpool_ext.h>

#include "demo.h"

#define BASIC_REGION_SIZE	SZ_1M
#define BASIC_MIN_ORDER		5	/* 32-byte granularity */

bool demo_genpool_basic(void)
{
	const char *scn = "basic";
	struct genpool_ext *pool;
	unsigned long addr;
	void *region;
	bool ok = false;
	size_t i;

	region = kmalloc(BASIC_REGION_SIZE, GFP_KERNEL);
	if (!region)
		return false;
	pool = genpool_ext_create(BASIC_MIN_ORDER, NUMA_NO_NODE);
	if (!pool)
		goto free_region;
	if (genpool_ext_add(pool, (unsigned long)region, BASIC_REGION_SIZE,
			    NUMA_NO_NODE))
		goto destroy_pool;
	demo_info(scn, "pool: size=%zu avail=%zu\n", genpool_ext_size(pool),
		  genpool_ext_avail(pool));

	addr = genpool_ext_alloc(pool, 128);
	if (!addr)
		goto destroy_pool;
	memset((void *)addr, 0xa5, 128);
	for (i = 0; i < 128; i++)
		if (((u8 *)addr)[i] != 0xa5)
			break;
	demo_info(scn, "alloc 128 bytes at offset %lu, filled: %s, avail=%zu\n",
		  addr - (unsigned long)region, i == 128 ? "ok" : "bad",
		  genpool_ext_avail(pool));
	ok = i == 128 &&
	     genpool_ext_avail(pool) == BASIC_REGION_SIZE - 128;

	genpool_ext_free(pool, addr, 128);
	demo_info(scn, "freed: avail=%zu size=%zu\n", genpool_ext_avail(pool),
		  genpool_ext_size(pool));
	ok = ok && genpool_ext_avail(pool) == genpool_ext_size(pool);
destroy_pool:
	genpool_ext_destroy(pool);
free_region:
	kfree(region);
	return ok;
}
