/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: symbol exports do nothing in one program. */
#ifndef _MC_LINUX_EXPORT_H
#define _MC_LINUX_EXPORT_H

/* A declaration, so that the semicolon after the macro is one. */
#define EXPORT_SYMBOL(SYM)	extern int mc_export_##SYM
/* The same, for GPL-only symbols. */
#define EXPORT_SYMBOL_GPL(SYM)	extern int mc_export_##SYM

#endif /* _MC_LINUX_EXPORT_H */
