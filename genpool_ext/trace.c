// SPDX-License-Identifier: GPL-2.0
/*
 * The one place genpool_ext's tracepoints are instantiated (see trace.h
 * for the events and their cost when off).
 */
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"
