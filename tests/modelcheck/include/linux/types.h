/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: the kernel's basic types, for x86-64 (LP64). */
#ifndef _MC_LINUX_TYPES_H
#define _MC_LINUX_TYPES_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed long long s64;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
#define __bitwise
typedef unsigned int __bitwise gfp_t;

#define GFP_KERNEL	0u
#define GFP_ATOMIC	1u
#define NUMA_NO_NODE	(-1)

#endif /* _MC_LINUX_TYPES_H */
