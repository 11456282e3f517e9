/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: module parameters are plain variables. */
#ifndef _MC_LINUX_MODULEPARAM_H
#define _MC_LINUX_MODULEPARAM_H

#include <assert.h>

#define module_param_named(name, value, type, perm)			\
	static_assert(sizeof(value) && (perm) >= 0, #name)
#define MODULE_PARM_DESC(name, desc)	static_assert(sizeof(desc) > 1, #name)

#endif /* _MC_LINUX_MODULEPARAM_H */
