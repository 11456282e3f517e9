/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: debugfs output is not built, only declared. */
#ifndef _MC_LINUX_SEQ_FILE_H
#define _MC_LINUX_SEQ_FILE_H

struct seq_file;

static inline void seq_printf(struct seq_file *m, const char *fmt, ...)
{
}

#endif /* _MC_LINUX_SEQ_FILE_H */
