// SPDX-License-Identifier: GPL-2.0
/*
 * dmapool_ext_iommu: dmapool_ext on a real PCI device behind a translating
 * IOMMU (make iommu-check, scripts/iommu-check.sh).
 *
 * Behind an IOMMU, dma_alloc_coherent() with a sleeping gfp builds the
 * buffer from pages and vmap()s them, so a buffer larger than a page comes
 * back page-aligned only, not aligned to its size as it is without an
 * IOMMU. This module finds a PCI device that has no driver bound (QEMU's
 * NVMe controller by default, whose driver is not in the initramfs),
 * checks that its DMA goes through a translating domain and that a plain
 * dma_alloc_coherent() of two pages indeed comes back vmap()ed, then runs
 * one case per block size (8, 16 and 64 KiB) and gfp (GFP_KERNEL,
 * GFP_ATOMIC): a fresh pool, @blocks allocations, each block filled with
 * its own pattern, then every block checked and freed, and the pool's
 * counters checked. Each case prints one line:
 *
 *   dmapool_ext_iommu: case size=8192 gfp=GFP_KERNEL allocated=64/64
 *	verified=64/64 freed=64/64 unaligned=31 bad_frees=0 in_use=0: PASS
 *
 * ("unaligned" counts blocks whose CPU address is not aligned to the
 * block's power-of-two size, the layout that defeated the old page
 * lookup.) Then a summary line, "dmapool_ext_iommu: N cases: P PASS,
 * F FAIL". The module does its work at init and returns 0 only if every
 * case passed, so insmod reports the verdict.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <dmapool_ext/dmapool_ext.h>

static unsigned int vendor = 0x1b36;	/* Red Hat, QEMU's devices */
module_param(vendor, uint, 0444);
MODULE_PARM_DESC(vendor, "PCI vendor ID of the device to use (default 0x1b36)");

static unsigned int device = 0x0010;	/* QEMU NVMe controller */
module_param(device, uint, 0444);
MODULE_PARM_DESC(device, "PCI device ID of the device to use (default 0x0010)");

static unsigned int blocks = 64;
module_param(blocks, uint, 0444);
MODULE_PARM_DESC(blocks, "blocks allocated per case (default 64)");

struct dpxi_block {
	void *vaddr;
	dma_addr_t dma;
};

static u32 dpxi_word(unsigned int i, size_t w)
{
	return 0x9e3779b9u * (i + 1) ^ (u32)w;
}

static void dpxi_fill(void *vaddr, size_t size, unsigned int i)
{
	u32 *p = vaddr;
	size_t w;

	for (w = 0; w < size / sizeof(u32); w++)
		p[w] = dpxi_word(i, w);
}

static bool dpxi_check(const void *vaddr, size_t size, unsigned int i)
{
	const u32 *p = vaddr;
	size_t w;

	for (w = 0; w < size / sizeof(u32); w++)
		if (p[w] != dpxi_word(i, w))
			return false;
	return true;
}

/* One case; Return: true if it passed. */
static bool dpxi_case(struct device *dev, size_t size, gfp_t gfp,
		      const char *gfp_name)
{
	unsigned int i, allocated = 0, verified = 0, freed = 0, unaligned = 0;
	struct dmapool_ext_stats st;
	struct dmapool_ext *pool;
	struct dpxi_block *b;
	bool pass;

	b = kcalloc(blocks, sizeof(*b), GFP_KERNEL);
	if (!b)
		return false;
	pool = dmapool_ext_create("iommu", dev, size, 0, 0);
	if (!pool) {
		pr_err("case size=%zu gfp=%s: cannot create the pool: FAIL\n",
		       size, gfp_name);
		kfree(b);
		return false;
	}
	for (i = 0; i < blocks; i++) {
		b[i].vaddr = dmapool_ext_alloc(pool, gfp | __GFP_NOWARN,
					       &b[i].dma);
		if (!b[i].vaddr)
			continue;
		allocated++;
		if (!IS_ALIGNED((unsigned long)b[i].vaddr,
				roundup_pow_of_two(size)))
			unaligned++;
		dpxi_fill(b[i].vaddr, size, i);
	}
	/* Every block kept its own pattern: no two blocks overlap. */
	for (i = 0; i < blocks; i++)
		if (b[i].vaddr && dpxi_check(b[i].vaddr, size, i))
			verified++;
	for (i = 0; i < blocks; i++) {
		if (!b[i].vaddr)
			continue;
		dmapool_ext_free(pool, b[i].vaddr, b[i].dma);
		freed++;
	}
	dmapool_ext_get_stats(pool, &st);
	pass = allocated == blocks && verified == blocks && freed == blocks &&
	       !st.bad_frees && !st.blocks_in_use && !st.alloc_failures;
	pr_info("case size=%zu gfp=%s allocated=%u/%u verified=%u/%u freed=%u/%u unaligned=%u bad_frees=%lu in_use=%zu alloc_failures=%lu: %s\n",
		size, gfp_name, allocated, blocks, verified, blocks, freed,
		blocks, unaligned, st.bad_frees, st.blocks_in_use,
		st.alloc_failures, pass ? "PASS" : "FAIL");
	dmapool_ext_destroy(pool);
	kfree(b);
	return pass;
}

/*
 * The device's DMA is translated, and a two-page coherent buffer comes
 * back vmap()ed: otherwise the cases below would prove nothing.
 * Return: 0 or a negative errno.
 */
static int dpxi_setup(struct device *dev)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(dev);
	dma_addr_t dma;
	void *vaddr;

	if (!domain || !(domain->type & __IOMMU_DOMAIN_DMA_API)) {
		pr_err("%s: DMA is not translated by an IOMMU (domain type %#x)\n",
		       dev_name(dev), domain ? domain->type : 0);
		return -ENODEV;
	}
	pr_info("%s: driver=%s iommu domain type %#x: translated\n",
		dev_name(dev), dev->driver ? dev->driver->name : "none",
		domain->type);
	vaddr = dma_alloc_coherent(dev, 2 * PAGE_SIZE, &dma, GFP_KERNEL);
	if (!vaddr)
		return -ENOMEM;
	pr_info("%s: dma_alloc_coherent(%lu, GFP_KERNEL) gave a %s address%s\n",
		dev_name(dev), 2 * PAGE_SIZE,
		is_vmalloc_addr(vaddr) ? "vmap()ed" : "linear-map",
		IS_ALIGNED((unsigned long)vaddr, 2 * PAGE_SIZE) ?
		", aligned to its size" : "");
	dma_free_coherent(dev, 2 * PAGE_SIZE, vaddr, dma);
	return 0;
}

static int __init dmapool_ext_iommu_init(void)
{
	static const size_t sizes[] = { SZ_8K, SZ_16K, SZ_64K };
	unsigned int i, passed = 0, cases = 0;
	struct pci_dev *pdev;
	int ret;

	pdev = pci_get_device(vendor, device, NULL);
	if (!pdev) {
		pr_err("no PCI device %04x:%04x\n", vendor, device);
		return -ENODEV;
	}
	if (pdev->dev.driver) {
		pr_err("%s: bound to %s; need a device with no driver\n",
		       pci_name(pdev), pdev->dev.driver->name);
		ret = -EBUSY;
		goto put;
	}
	ret = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (ret)
		goto put;
	ret = dpxi_setup(&pdev->dev);
	if (ret)
		goto put;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		passed += dpxi_case(&pdev->dev, sizes[i], GFP_KERNEL,
				    "GFP_KERNEL");
		passed += dpxi_case(&pdev->dev, sizes[i], GFP_ATOMIC,
				    "GFP_ATOMIC");
		cases += 2;
	}
	pr_info("%u cases: %u PASS, %u FAIL\n", cases, passed, cases - passed);
	if (passed != cases)
		ret = -EIO;
put:
	pci_dev_put(pdev);
	return ret;
}

static void __exit dmapool_ext_iommu_exit(void)
{
}

module_init(dmapool_ext_iommu_init);
module_exit(dmapool_ext_iommu_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("dmapool_ext on a PCI device behind a translating IOMMU");
