// SPDX-License-Identifier: GPL-2.0
/*
 * A general pool the way a platform driver builds one: the device carries
 * a memory resource, probe() maps it and creates a device-managed pool,
 * other code finds the pool by name, and nothing is freed by hand: when
 * the device goes away, devres destroys the pool.
 *
 * The demo plays both sides: it reserves 2 MiB of RAM to stand in for
 * on-chip SRAM, registers a platform device describing it, and binds a
 * small platform driver to it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/numa.h>
#include <linux/sizes.h>
#include <linux/platform_device.h>
#include <genpool_ext/genpool_ext.h>

#include "demo.h"

#define SRAM_NAME	"pool_ext_demo_sram"
#define SRAM_SIZE	SZ_2M
#define SRAM_ORDER	12	/* 4 KiB granularity */
#define SRAM_BUF	SZ_1M

static const char *scn = "platform";
static bool sram_probed;

static int sram_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct genpool_ext *pool;
	struct resource *res;
	void *base;
	int ret;

	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!res)
		return -ENODEV;
	base = devm_memremap(dev, res->start, resource_size(res), MEMREMAP_WB);
	if (IS_ERR(base))
		return PTR_ERR(base);

	pool = devm_genpool_ext_create(dev, SRAM_ORDER, NUMA_NO_NODE, "sram");
	if (IS_ERR(pool))
		return PTR_ERR(pool);
	ret = genpool_ext_add_virt(pool, (unsigned long)base, res->start,
				   resource_size(res), NUMA_NO_NODE);
	if (ret)
		return ret;
	demo_info(scn, "probe: %pR -> pool \"sram\" of %zu bytes, %d-byte units\n",
		  res, genpool_ext_size(pool), 1 << SRAM_ORDER);
	sram_probed = true;
	return 0;
}

static struct platform_driver sram_driver = {
	.probe = sram_probe,
	.driver = { .name = SRAM_NAME },
};

/* What another part of the driver does: look the pool up, use it. */
static bool sram_use(struct device *dev, phys_addr_t sram_phys)
{
	struct genpool_ext *pool = genpool_ext_get(dev, "sram");
	unsigned long buf;
	phys_addr_t phys;
	bool ok;

	if (!pool) {
		demo_info(scn, "lookup by name failed\n");
		return false;
	}
	buf = genpool_ext_alloc(pool, SRAM_BUF);
	if (!buf) {
		demo_info(scn, "1 MiB allocation failed\n");
		return false;
	}
	phys = genpool_ext_virt_to_phys(pool, buf);
	demo_info(scn, "got 1 MiB at phys %pa (offset %llu), avail now %zu\n",
		  &phys, (unsigned long long)(phys - sram_phys),
		  genpool_ext_avail(pool));
	ok = phys >= sram_phys && phys + SRAM_BUF <= sram_phys + SRAM_SIZE &&
	     genpool_ext_has_addr(pool, buf, SRAM_BUF) &&
	     genpool_ext_avail(pool) == SRAM_SIZE - SRAM_BUF;
	genpool_ext_free(pool, buf, SRAM_BUF);
	return ok && genpool_ext_avail(pool) == SRAM_SIZE;
}

bool demo_genpool_platform(void)
{
	struct platform_device *pdev;
	struct resource res = {};
	void *sram;
	bool ok = false;

	sram = alloc_pages_exact(SRAM_SIZE, GFP_KERNEL);
	if (!sram)
		return false;
	res.start = virt_to_phys(sram);
	res.end = res.start + SRAM_SIZE - 1;
	res.flags = IORESOURCE_MEM;
	res.name = "demo-sram";

	if (platform_driver_register(&sram_driver))
		goto free_sram;
	pdev = platform_device_register_simple(SRAM_NAME, PLATFORM_DEVID_NONE,
					       &res, 1);
	if (IS_ERR(pdev))
		goto unregister_driver;
	if (sram_probed)
		ok = sram_use(&pdev->dev, res.start);
	else
		demo_info(scn, "probe did not bind\n");

	/* The device goes away: devres destroys the pool and the mapping. */
	platform_device_unregister(pdev);
	demo_info(scn, "device removed, pool released by devres\n");
unregister_driver:
	platform_driver_unregister(&sram_driver);
free_sram:
	free_pages_exact(sram, SRAM_SIZE);
	return ok;
}
