# The minimal rename that ports drivers/misc/sram.c and sram.h of Linux
# 6.12 onto genpool_ext (issue 15), until scripts/port-driver (the
# Coccinelle tool) exists: sed -f port.sed. gen_pool names become
# genpool_ext names; CONFIG_SRAM_EXEC becomes CONFIG_SRAM_EXT_EXEC, which
# nothing sets, so sram-exec.c stays out (see README.md).
s|#include <linux/genalloc.h>|#include <genpool_ext/genpool_ext.h>|
s/\bstruct gen_pool\b/struct genpool_ext/g
s/\bdevm_gen_pool_create\b/devm_genpool_ext_create/g
s/\bgen_pool_add_virt\b/genpool_ext_add_virt/g
s/\bgen_pool_avail\b/genpool_ext_avail/g
s/\bgen_pool_size\b/genpool_ext_size/g
s/\bCONFIG_SRAM_EXEC\b/CONFIG_SRAM_EXT_EXEC/g
# The kernel does not export devm_ioremap_resource_wc(): sram_ext's own
# (ioremap.c, declared in sram_ext.h) keeps its contract.
s/\bdevm_ioremap_resource_wc\b/sram_ext_ioremap_resource_wc/g
s|^#include "sram.h"$|#include "sram.h"\
#include "sram_ext.h"|
# Module glue (the kernel's driver is built in): its own driver name, so
# it never collides with a built-in "sram" driver, and an exit function so
# that it unloads.
s/\.name = "sram",/.name = "sram_ext",/
/^postcore_initcall(sram_init);$/c\
module_init(sram_init);\
\
static void __exit sram_exit(void)\
{\
	platform_driver_unregister(&sram_driver);\
}\
module_exit(sram_exit);\
\
MODULE_DESCRIPTION("Generic on-chip SRAM driver on genpool_ext (port of drivers/misc/sram.c)");\
MODULE_LICENSE("GPL");
