/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: module metadata; init and exit are never called. */
#ifndef _MC_LINUX_MODULE_H
#define _MC_LINUX_MODULE_H

#include <assert.h>
#include <linux/compiler.h>

#define module_init(fn)		int (*mc_init_##fn)(void) = fn
#define module_exit(fn)		void (*mc_exit_##fn)(void) = fn
#define MODULE_LICENSE(s)	static_assert(sizeof(s) > 1, "a licence")
#define MODULE_DESCRIPTION(s)	static_assert(sizeof(s) > 1, "a description")

#endif /* _MC_LINUX_MODULE_H */
