// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for scripts/port-driver: what the tool must list, not guess.
 * Not built: compared with listed.c.expected and listed.list.
 */
#include <linux/dmapool.h>
#include <linux/mempool.h>

struct fx_listed {
	struct dma_pool *pool;
	mempool_t *mp;
	void *cookie;
};

static size_t fx_listed_use(struct fx_listed *fx)
{
	struct dma_pool *p = (struct dma_pool *)fx->cookie;

	fx->cookie = (void *)fx->mp;
	if (!fx->mp->elements)
		return 0;
	return fx->pool->size + (p != fx->pool);
}
