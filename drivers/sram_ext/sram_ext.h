/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sram_ext adds to the ported drivers/misc/sram.c (see ioremap.c and
 * sram_ext_main.c); module-internal, nothing is exported.
 */
#ifndef _SRAM_EXT_H
#define _SRAM_EXT_H

#include <linux/compiler_types.h>

struct device;
struct resource;

void __iomem *sram_ext_ioremap_resource_wc(struct device *dev,
					   const struct resource *res);

#endif /* _SRAM_EXT_H */
