// SPDX-License-Identifier: GPL-2.0
/*
 * What the kernel-header shims need at run time, and stubs for the parts
 * of genpool_ext the checker does not build (debugfs.c, devres.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "genpool_ext/internal.h"
#include "mc.h"

/* Warnings seen since the counter was last cleared; each fails the run. */
unsigned long mc_warnings;

void mc_warn(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	mc_warnings++;
	printf("WARNING: %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!*fmt || fmt[strlen(fmt) - 1] != '\n')
		printf("\n");
	if (mc_active)
		mc_log("WARNING at %s:%d", file, line);
}

void gpx_debugfs_init(void)
{
}

void gpx_debugfs_exit(void)
{
}

void gpx_debugfs_add(struct genpool_ext *pool)
{
}

void gpx_debugfs_remove(struct genpool_ext *pool)
{
}
