// SPDX-License-Identifier: GPL-2.0
/*
 * sram_ext_client: a device-tree client of on-chip SRAM, the way the
 * kernel's SoC drivers use drivers/misc/sram.c, on genpool_ext.
 *
 * It binds a node
 *
 *	sram-client {
 *		compatible = "pool-ext,sram-client";
 *		sram = <&partition_a>, <&partition_b>;
 *	};
 *
 * and, for every phandle of its "sram" property, finds the pool that
 * sram_ext made for that partition with of_genpool_ext_get(), checks that
 * the pool covers exactly the partition's "reg" (translated to a physical
 * address through the SRAM node's "ranges"), allocates from it, writes and
 * reads the SRAM through the pool's virtual address, and checks
 * genpool_ext_virt_to_phys() against the "reg". The allocations are freed
 * by devres when the client unbinds, so an unbind and a rebind must find
 * every pool whole again: the probe refuses a pool with anything allocated.
 *
 * Until the pools exist (sram_ext not loaded or not bound yet) the probe
 * defers.
 */
#include <linux/device.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>
#include <genpool_ext/genpool_ext.h>

/* The first allocation: small, to see where first fit puts it. */
#define CLIENT_ALLOC_A	256
/* The second: not a multiple of sram_ext's 32-byte unit, to see rounding. */
#define CLIENT_ALLOC_B	1000

struct client_alloc {
	struct genpool_ext *pool;
	unsigned long addr;
	size_t size;
};

static void client_free(void *data)
{
	struct client_alloc *a = data;

	genpool_ext_free(a->pool, a->addr, a->size);
}

/* An allocation freed by devres when the client unbinds. */
static int client_alloc(struct device *dev, struct genpool_ext *pool,
			size_t size, unsigned long *addr)
{
	struct client_alloc *a;

	a = devm_kzalloc(dev, sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->addr = genpool_ext_alloc(pool, size);
	if (!a->addr)
		return -ENOMEM;
	a->pool = pool;
	a->size = size;
	*addr = a->addr;
	return devm_add_action_or_reset(dev, client_free, a);
}

/*
 * Write a pattern through the mapping and read it back: the SRAM is
 * mapped as I/O memory (write-combining unless "no-memory-wc"), so 32-bit
 * I/O accessors, which are aligned on every architecture.
 */
static int client_pattern(struct device *dev, unsigned long addr, size_t size,
			  u32 seed)
{
	void __iomem *p = (void __iomem *)addr;
	size_t i, words = size / sizeof(u32);

	for (i = 0; i < words; i++)
		iowrite32(seed ^ (u32)(i * 0x9e3779b9u), p + i * sizeof(u32));
	for (i = 0; i < words; i++) {
		u32 got = ioread32(p + i * sizeof(u32));
		u32 want = seed ^ (u32)(i * 0x9e3779b9u);

		if (got != want) {
			dev_err(dev, "SRAM word %zu reads %#x, wrote %#x\n",
				i, got, want);
			return -EIO;
		}
	}
	return 0;
}

/* Check and use the pool behind phandle @index of the "sram" property. */
static int client_use_pool(struct device *dev, int index)
{
	struct device_node *np = dev->of_node, *part;
	struct genpool_ext *pool;
	unsigned long a, b;
	phys_addr_t pa, pb;
	struct resource res;
	size_t size;
	int ret;

	pool = of_genpool_ext_get(np, "sram", index);
	if (!pool)
		return dev_err_probe(dev, -EPROBE_DEFER,
				     "no pool for sram[%d] yet\n", index);

	part = of_parse_phandle(np, "sram", index);
	if (!part)
		return -EINVAL;
	ret = of_address_to_resource(part, 0, &res);
	if (ret) {
		dev_err(dev, "%pOF: no reg: %d\n", part, ret);
		goto out;
	}

	size = genpool_ext_size(pool);
	if (size != resource_size(&res) || genpool_ext_avail(pool) != size) {
		dev_err(dev, "pool %s: size %zu, avail %zu; %pOF is %pR\n",
			pool->name ?: "(unnamed)", size, genpool_ext_avail(pool),
			part, &res);
		ret = -EINVAL;
		goto out;
	}

	ret = client_alloc(dev, pool, CLIENT_ALLOC_A, &a);
	if (!ret)
		ret = client_alloc(dev, pool, CLIENT_ALLOC_B, &b);
	if (ret) {
		dev_err(dev, "pool %s: allocation failed\n", pool->name);
		goto out;
	}
	pa = genpool_ext_virt_to_phys(pool, a);
	pb = genpool_ext_virt_to_phys(pool, b);
	/*
	 * First fit on a whole pool: the first block at the partition's
	 * start, the second right after it.
	 */
	if (pa != res.start || pb != res.start + CLIENT_ALLOC_A ||
	    !genpool_ext_has_addr(pool, b, CLIENT_ALLOC_B)) {
		dev_err(dev, "pool %s: blocks at %pa and %pa, partition %pR\n",
			pool->name, &pa, &pb, &res);
		ret = -EINVAL;
		goto out;
	}
	ret = client_pattern(dev, a, CLIENT_ALLOC_A, 0x5a5a0000u + index);
	if (!ret)
		ret = client_pattern(dev, b, CLIENT_ALLOC_B, 0xa5a50000u + index);
	if (ret)
		goto out;

	dev_info(dev, "sram[%d] -> %pOF: pool \"%s\" found via the device tree, reg %pR, %zu bytes\n",
		 index, part, pool->name, &res, size);
	dev_info(dev, "sram[%d]: %d B at phys %pa, %d B at phys %pa, pattern read back, avail %zu of %zu\n",
		 index, CLIENT_ALLOC_A, &pa, CLIENT_ALLOC_B, &pb,
		 genpool_ext_avail(pool), size);
out:
	of_node_put(part);
	return ret;
}

static int client_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	int i, n, ret;

	n = of_count_phandle_with_args(dev->of_node, "sram", NULL);
	if (n <= 0)
		return dev_err_probe(dev, -EINVAL, "no \"sram\" phandles\n");
	for (i = 0; i < n; i++) {
		ret = client_use_pool(dev, i);
		if (ret)
			return ret;
	}
	dev_info(dev, "%d SRAM pools in use\n", n);
	return 0;
}

static const struct of_device_id client_of_ids[] = {
	{ .compatible = "pool-ext,sram-client" },
	{ }
};
MODULE_DEVICE_TABLE(of, client_of_ids);

static struct platform_driver client_driver = {
	.driver = {
		.name = "sram_ext_client",
		.of_match_table = client_of_ids,
	},
	.probe = client_probe,
};
module_platform_driver(client_driver);

MODULE_DESCRIPTION("A device-tree client of sram_ext's genpool_ext pools");
MODULE_LICENSE("GPL");
