/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model-checker shim: tracepoints compiled out, as in a kernel without
 * CONFIG_TRACEPOINTS: each trace_NAME() is an empty inline function and
 * trace_NAME_enabled() is false.
 */
#ifndef _MC_LINUX_TRACEPOINT_H
#define _MC_LINUX_TRACEPOINT_H

#define TP_PROTO(args...)	args
#define TP_ARGS(args...)	args

#define DECLARE_EVENT_CLASS(name, proto, args, tstruct, assign, print)
#define DEFINE_EVENT(template, name, proto, args)			\
	static inline void trace_##name(proto) { }			\
	static inline bool trace_##name##_enabled(void) { return false; }
#define TRACE_EVENT(name, proto, args, tstruct, assign, print)		\
	DEFINE_EVENT(name, name, PARAMS(proto), PARAMS(args))
#define TRACE_DEFINE_ENUM(a)
#define PARAMS(args...)		args

#endif /* _MC_LINUX_TRACEPOINT_H */
