// SPDX-License-Identifier: GPL-2.0
/*
 * pool_ext_demo: runs the scenarios selected by the "scenarios" parameter
 * (all by default) and prints a PASS/FAIL line for each, then a summary.
 * Loading always succeeds so that the report can be read; the harness
 * (make run) fails the run on any FAIL line.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/string.h>

#include "demo.h"

static char *scenarios = "all";
module_param(scenarios, charp, 0444);
MODULE_PARM_DESC(scenarios,
		 "comma-separated: basic,platform,algos,rings,requests,classic (default all)");

struct demo_scenario {
	const char *name;
	const char *what;
	bool (*run)(void);
	void (*remove)(void);	/* for scenarios that keep pools until rmmod */
	bool ran;
};

static struct demo_scenario demo_scenarios[] = {
	{ "basic", "general pool on a kmalloc'd region", demo_genpool_basic },
	{ "platform", "driver-style general pool, devm + lookup by name",
	  demo_genpool_platform },
	{ "algos", "allocation algorithms on one fragmented pool",
	  demo_genpool_algos },
	{ "rings", "network-style DMA descriptor rings", demo_dma_rings,
	  demo_dma_rings_remove },
	{ "requests", "block-style request pool under injected failure",
	  demo_mempool_requests, demo_mempool_requests_remove },
	{ "classic", "kmem_cache + slab-backed mempool", demo_mempool_classic },
};

static bool demo_selected(const char *name)
{
	size_t len = strlen(name);
	const char *p = scenarios;

	if (!strcmp(scenarios, "all"))
		return true;
	while ((p = strstr(p, name))) {
		bool starts = p == scenarios || p[-1] == ',';
		bool ends = p[len] == '\0' || p[len] == ',';

		if (starts && ends)
			return true;
		p += len;
	}
	return false;
}

static int __init demo_init(void)
{
	unsigned int pass = 0, fail = 0, i;

	for (i = 0; i < ARRAY_SIZE(demo_scenarios); i++) {
		struct demo_scenario *s = &demo_scenarios[i];
		bool ok;

		if (!demo_selected(s->name))
			continue;
		pr_info("[%s] --- %s\n", s->name, s->what);
		ok = s->run();
		s->ran = true;
		pr_info("[%s] %s\n", s->name, ok ? "PASS" : "FAIL");
		if (ok)
			pass++;
		else
			fail++;
	}
	pr_info("%u scenarios: %u PASS, %u FAIL\n", pass + fail, pass, fail);
	return 0;
}

static void __exit demo_exit(void)
{
	int i;

	for (i = ARRAY_SIZE(demo_scenarios) - 1; i >= 0; i--)
		if (demo_scenarios[i].ran && demo_scenarios[i].remove)
			demo_scenarios[i].remove();
	pr_info("unloaded, all pools released\n");
}

module_init(demo_init);
module_exit(demo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("pool_ext demo: genpool_ext, mempool_ext and dmapool_ext used like a driver");
