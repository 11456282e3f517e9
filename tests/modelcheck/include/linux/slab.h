/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: kernel allocators on the C library's. */
#ifndef _MC_LINUX_SLAB_H
#define _MC_LINUX_SLAB_H

#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#define PAGE_SIZE	4096UL

static inline void *kzalloc_node(size_t size, gfp_t gfp, int nid)
{
	return calloc(1, size);
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return calloc(1, size);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t gfp)
{
	return calloc(n, size);
}

static inline void kfree(const void *p)
{
	free((void *)p);
}

static inline void kvfree(const void *p)
{
	free((void *)p);
}

static inline void kfree_const(const void *p)
{
	free((void *)p);
}

static inline const char *kstrdup_const(const char *s, gfp_t gfp)
{
	return strdup(s);
}

#endif /* _MC_LINUX_SLAB_H */
