/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: vmalloc is malloc. */
#ifndef _MC_LINUX_VMALLOC_H
#define _MC_LINUX_VMALLOC_H

#include <linux/slab.h>

static inline void *vzalloc_node(size_t size, int nid)
{
	return calloc(1, size);
}

static inline void vfree(const void *p)
{
	free((void *)p);
}

#endif /* _MC_LINUX_VMALLOC_H */
