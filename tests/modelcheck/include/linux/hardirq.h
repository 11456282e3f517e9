/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: the simulated threads are plain tasks. */
#ifndef _MC_LINUX_HARDIRQ_H
#define _MC_LINUX_HARDIRQ_H

#define in_nmi()	0
#define in_task()	1

#endif /* _MC_LINUX_HARDIRQ_H */
