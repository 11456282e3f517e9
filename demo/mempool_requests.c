// SPDX-License-Identifier: GPL-2.0
/*
 * A block driver's request pool: 32 requests reserved from kmalloc, so
 * that the I/O path can always get one even while memory is short. Requests
 * are allocated with GFP_NOIO, as on a writeback path: the allocator may
 * sleep but must not recurse into I/O.
 *
 * To show the reserve at work the demo turns on the pool's fault
 * injection, so that the backing allocator fails every time: all 32
 * requests still come from the reserve. The pool lives until rmmod, like
 * a driver's, so its statistics can be read in debugfs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <mempool_ext/mempool_ext.h>

#include "demo.h"

#define REQ_POOL_MIN	32

struct demo_request {
	u64 sector;
	u32 len;
	u32 flags;
	void *private;
};

static struct mempool_ext *req_pool;
static const char *scn = "requests";

/* reserve_max_drain: how deep the reserve was drained, at most REQ_POOL_MIN. */
static void req_stats(const char *when)
{
	struct mempool_ext_stats st;

	mempool_ext_get_stats(req_pool, &st);
	demo_info(scn, "%s: curr_nr=%d min_nr=%d reserve_hits=%lu alloc_failures=%lu faults_injected=%lu reserve_max_drain=%lu\n",
		  when, READ_ONCE(req_pool->curr_nr), READ_ONCE(req_pool->min_nr),
		  st.reserve_hits, st.alloc_failures, st.faults_injected,
		  st.reserve_max_drain);
}

static unsigned long req_reserve_hits(void)
{
	struct mempool_ext_stats st;

	mempool_ext_get_stats(req_pool, &st);
	return st.reserve_hits;
}

bool demo_mempool_requests(void)
{
	struct demo_request *rq[REQ_POOL_MIN], *extra;
	unsigned long hits_before;
	bool ok = true;
	int i, got = 0;

	req_pool = mempool_ext_create_kmalloc_pool(REQ_POOL_MIN,
						   sizeof(struct demo_request));
	if (!req_pool)
		return false;
	req_stats("created");

	/* Memory pressure, simulated: the backing kmalloc always fails. */
	if (mempool_ext_set_fault(req_pool, MEMPOOL_EXT_FAULT_ALWAYS, 0))
		ok = false;
	hits_before = req_reserve_hits();
	for (i = 0; i < REQ_POOL_MIN; i++) {
		rq[i] = mempool_ext_alloc(req_pool, GFP_NOIO);
		if (!rq[i])
			break;
		rq[i]->sector = 8 * i;
		rq[i]->len = 4096;
		got++;
	}
	demo_info(scn, "allocator failing: %d of %d GFP_NOIO requests served from the reserve\n",
		  got, REQ_POOL_MIN);
	ok = ok && got == REQ_POOL_MIN &&
	     req_reserve_hits() - hits_before == REQ_POOL_MIN;
	/*
	 * One more, from a context that cannot sleep: with the allocator
	 * failing and the reserve empty, it fails at once (a GFP_NOIO
	 * request would wait for a completion instead).
	 */
	extra = mempool_ext_alloc(req_pool, GFP_NOWAIT);
	demo_info(scn, "reserve empty: a GFP_NOWAIT request %s\n",
		  extra ? "was served (unexpected)" : "fails at once");
	if (extra) {
		mempool_ext_free(extra, req_pool);
		ok = false;
	}
	req_stats("reserve drained");

	/* Completions return the requests: they refill the reserve first. */
	for (i = 0; i < got; i++)
		mempool_ext_free(rq[i], req_pool);
	mempool_ext_set_fault(req_pool, MEMPOOL_EXT_FAULT_OFF, 0);
	req_stats("requests completed");
	return ok && mempool_ext_is_saturated(req_pool);
}

void demo_mempool_requests_remove(void)
{
	mempool_ext_destroy(req_pool);
	req_pool = NULL;
}
