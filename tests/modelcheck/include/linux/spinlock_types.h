/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: a spinlock is a flag (only setup code takes one). */
#ifndef _MC_LINUX_SPINLOCK_TYPES_H
#define _MC_LINUX_SPINLOCK_TYPES_H

#include <linux/types.h>

typedef struct { u8 locked; } spinlock_t;

#endif /* _MC_LINUX_SPINLOCK_TYPES_H */
