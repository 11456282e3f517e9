/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-checker shim: warnings. Every warning is reported by the checker
 * and fails the run: its workload never misuses the API, so a warning
 * means the code saw something it believes cannot happen.
 */
#ifndef _MC_LINUX_BUG_H
#define _MC_LINUX_BUG_H

#include <linux/compiler.h>

__printf(3, 4) void mc_warn(const char *file, int line, const char *fmt, ...);

#define WARN(cond, fmt...) ({						\
	int __mc_c = !!(cond);						\
	if (__mc_c)							\
		mc_warn(__FILE__, __LINE__, fmt);			\
	__mc_c;								\
})

#define WARN_ON(cond)		WARN((cond), "%s", #cond)
#define WARN_ONCE(cond, fmt...)	WARN((cond), fmt)
#define WARN_ON_ONCE(cond)	WARN_ON(cond)

#endif /* _MC_LINUX_BUG_H */
