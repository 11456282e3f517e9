/* SPDX-License-Identifier: GPL-2.0 */
/* Model-checker shim: no trace events are created (see linux/tracepoint.h). */
