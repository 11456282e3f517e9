// SPDX-License-Identifier: GPL-2.0
/*
 * The classic mempool flow: a kmem_cache for the driver's objects, a
 * slab-backed pool of 10 reserved objects on top of it, one object
 * allocated and freed, then teardown in reverse order.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <mempool_ext/mempool_ext.h>

#include "demo.h"

#define CLASSIC_MIN_NR	10

struct demo_object {
	u64 id;
	char payload[120];
};

bool demo_mempool_classic(void)
{
	const char *scn = "classic";
	struct mempool_ext *pool;
	struct kmem_cache *cache;
	struct demo_object *obj;
	bool ok = false;

	cache = kmem_cache_create("pool_ext_demo_obj", sizeof(*obj), 0,
				  SLAB_HWCACHE_ALIGN, NULL);
	if (!cache)
		return false;
	demo_info(scn, "kmem_cache \"pool_ext_demo_obj\": %u-byte objects\n",
		  kmem_cache_size(cache));

	pool = mempool_ext_create_slab_pool(CLASSIC_MIN_NR, cache);
	if (!pool)
		goto destroy_cache;
	demo_info(scn, "mempool with min_nr=%d, saturated=%s\n", CLASSIC_MIN_NR,
		  mempool_ext_is_saturated(pool) ? "yes" : "no");

	obj = mempool_ext_alloc(pool, GFP_KERNEL);
	if (obj) {
		obj->id = 42;
		demo_info(scn, "allocated object id=%llu\n", obj->id);
		mempool_ext_free(obj, pool);
		demo_info(scn, "freed object, saturated=%s\n",
			  mempool_ext_is_saturated(pool) ? "yes" : "no");
		ok = mempool_ext_is_saturated(pool);
	}
	mempool_ext_destroy(pool);
	demo_info(scn, "pool destroyed\n");
destroy_cache:
	kmem_cache_destroy(cache);
	demo_info(scn, "cache destroyed\n");
	return ok;
}
