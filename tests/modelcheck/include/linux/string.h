/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: the C library's string functions. */
#ifndef _MC_LINUX_STRING_H
#define _MC_LINUX_STRING_H

#include <string.h>

#endif /* _MC_LINUX_STRING_H */
