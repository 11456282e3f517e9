// SPDX-License-Identifier: GPL-2.0
/*
 * What the built-in SRAM driver has and a module lacks: the kernel does
 * not export devm_ioremap_resource_wc() (drivers/misc/sram.c is never a
 * module), so the port calls this instead (sram_ext_main.c renames the
 * call).
 * It keeps that function's contract with exported calls only: check the
 * resource, claim the region, map it write-combining, all managed.
 */
#include <linux/device.h>
#include <linux/err.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include "sram_ext.h"

void __iomem *sram_ext_ioremap_resource_wc(struct device *dev,
					   const struct resource *res)
{
	void __iomem *base;
	resource_size_t size;

	if (!res || resource_type(res) != IORESOURCE_MEM)
		return IOMEM_ERR_PTR(dev_err_probe(dev, -EINVAL,
						   "invalid resource %pR\n", res));
	size = resource_size(res);
	/* Named after the device, as the kernel's own version names it. */
	if (!devm_request_mem_region(dev, res->start, size, dev_name(dev)))
		return IOMEM_ERR_PTR(dev_err_probe(dev, -EBUSY,
						   "can't request region for resource %pR\n",
						   res));
	base = devm_ioremap_wc(dev, res->start, size);
	if (!base) {
		devm_release_mem_region(dev, res->start, size);
		return IOMEM_ERR_PTR(dev_err_probe(dev, -ENOMEM,
						   "ioremap failed for resource %pR\n",
						   res));
	}
	return base;
}
