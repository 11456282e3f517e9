/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pool_ext_demo: the suite's allocators used the way a driver uses them.
 * Each scenario lives in its own file, prints a short report and returns
 * true on PASS. Scenarios that model a driver's lifetime (the DMA rings,
 * the request pool) keep their pools until the module is removed, so the
 * pools can be inspected in debugfs meanwhile.
 */
#ifndef _POOL_EXT_DEMO_H
#define _POOL_EXT_DEMO_H

#include <linux/types.h>

#define demo_info(scn, fmt, ...) pr_info("[%s] " fmt, scn, ##__VA_ARGS__)

bool demo_genpool_basic(void);
bool demo_genpool_platform(void);
bool demo_genpool_algos(void);
bool demo_dma_rings(void);
void demo_dma_rings_remove(void);
bool demo_mempool_requests(void);
void demo_mempool_requests_remove(void);
bool demo_mempool_classic(void);

#endif /* _POOL_EXT_DEMO_H */
