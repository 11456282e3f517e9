// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for scripts/port-driver: what the tool must list, not guess.
 * Not built: compared with listed.c.expected and listed.list.
 */
#include <dmapool_ext/dmapool_ext.h>
#include <mempool_ext/mempool_ext.h>

struct fx_listed {
	struct dmapool_ext *pool;
	struct mempool_ext *mp;
	void *cookie;
};

static size_t fx_listed_use(struct fx_listed *fx)
{
	struct dmapool_ext *p = (struct dmapool_ext *)fx->cookie;

	fx->cookie = (void *)fx->mp;
	if (waitqueue_active(&fx->mp->wait))
		return 0;
	return fx->pool->size + (p != fx->pool);
}
