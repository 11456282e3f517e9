// SPDX-License-Identifier: GPL-2.0
/*
 * sram_ext: the kernel's SRAM driver (drivers/misc/sram.c) on genpool_ext.
 *
 * The driver itself is not in this tree. At build time the Kbuild copies
 * sram.c and sram.h out of Debian's linux-source-6.12 and ports them to
 * the suite with scripts/port-driver alone (scripts/port-from-source.sh;
 * what the tool changed is in port.patch beside them). This file holds
 * only what makes a module of a built-in driver, none of it an allocator
 * conversion:
 * - the kernel does not export devm_ioremap_resource_wc(), so the driver
 *   calls sram_ext_ioremap_resource_wc() (ioremap.c) with its contract;
 * - sram-exec.c (CONFIG_SRAM_EXEC, ARM32's fncpy) is not built, so its
 *   hooks stay out whatever the kernel's configuration says;
 * - stock arm64 kernels have CONFIG_SRAM=y, a built-in driver named
 *   "sram": ours registers as "sram_ext", so both can exist and whichever
 *   is bound to a node is visible in sysfs;
 * - a module must unload: an exit function unregisters the driver.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include "sram_ext.h"

#define devm_ioremap_resource_wc sram_ext_ioremap_resource_wc
#undef CONFIG_SRAM_EXEC

/*
 * In a module postcore_initcall() is module_init(); here it only records
 * the driver's own init function, which sram_ext_init() calls once the
 * driver has its new name.
 */
#undef postcore_initcall
#define postcore_initcall(fn) \
	static initcall_t sram_ext_upstream_init __initdata = fn

#include "sram.c"

static int __init sram_ext_init(void)
{
	sram_driver.driver.name = "sram_ext";
	return sram_ext_upstream_init();
}
module_init(sram_ext_init);

static void __exit sram_ext_exit(void)
{
	platform_driver_unregister(&sram_driver);
}
module_exit(sram_ext_exit);

MODULE_DESCRIPTION("Generic on-chip SRAM driver on genpool_ext (drivers/misc/sram.c ported at build time)");
MODULE_LICENSE("GPL");
