/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mempool_ext tracepoints: events/mempool_ext/ in tracefs.
 *
 * Every event carries the pool's name and id (the id also names its
 * debugfs directory), so a trace can be filtered per pool
 * (echo 'id == 3' > events/mempool_ext/filter). Off, each call site is a
 * static branch around an out-of-line call; the trace_*() calls are given
 * values the paths hold anyway (a wait's length is measured only while
 * the alloc event is on), and the name is copied in TP_fast_assign, which
 * runs only when the event is on.
 *
 * Defined the out-of-tree way: TRACE_INCLUDE_PATH names this directory
 * relative to the suite root, which every source has on its include path.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mempool_ext

#if !defined(_MEMPOOL_EXT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MEMPOOL_EXT_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

/* Bytes of a pool's name kept in an event (longer names are cut). */
#define MPX_TRACE_NAME	32

/*
 * An element handed out, from the backing allocator or the reserve, after
 * a wait of @waited_ns (0: no sleep), to the code at @caller.
 */
TRACE_EVENT(mempool_ext_alloc,
	TP_PROTO(struct mempool_ext *pool, void *element, bool reserve,
		 u64 waited_ns, unsigned long caller),
	TP_ARGS(pool, element, reserve, waited_ns, caller),
	TP_STRUCT__entry(
		__array(char, name, MPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(void *, element)
		__field(bool, reserve)
		__field(u64, waited_ns)
		__field(unsigned long, caller)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name, MPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->element = element;
		__entry->reserve = reserve;
		__entry->waited_ns = waited_ns;
		__entry->caller = caller;
	),
	TP_printk("pool=%s id=%u element=%p from=%s waited_ns=%llu caller=%pS",
		  __entry->name, __entry->id, __entry->element,
		  __entry->reserve ? "reserve" : "allocator",
		  (unsigned long long)__entry->waited_ns,
		  (void *)__entry->caller)
);

/* An element given back, into the reserve or to the backing allocator. */
TRACE_EVENT(mempool_ext_free,
	TP_PROTO(struct mempool_ext *pool, void *element, bool reserve,
		 unsigned long caller),
	TP_ARGS(pool, element, reserve, caller),
	TP_STRUCT__entry(
		__array(char, name, MPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(void *, element)
		__field(bool, reserve)
		__field(unsigned long, caller)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name, MPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->element = element;
		__entry->reserve = reserve;
		__entry->caller = caller;
	),
	TP_printk("pool=%s id=%u element=%p to=%s caller=%pS",
		  __entry->name, __entry->id, __entry->element,
		  __entry->reserve ? "reserve" : "allocator",
		  (void *)__entry->caller)
);

/*
 * An allocation found the reserve empty (after the allocator failed): it
 * sleeps if @may_sleep, else it fails.
 */
TRACE_EVENT(mempool_ext_reserve_empty,
	TP_PROTO(struct mempool_ext *pool, int min_nr, bool may_sleep),
	TP_ARGS(pool, min_nr, may_sleep),
	TP_STRUCT__entry(
		__array(char, name, MPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(int, min_nr)
		__field(bool, may_sleep)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name, MPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->min_nr = min_nr;
		__entry->may_sleep = may_sleep;
	),
	TP_printk("pool=%s id=%u min_nr=%d %s", __entry->name, __entry->id,
		  __entry->min_nr, __entry->may_sleep ? "waits" : "fails")
);

TRACE_DEFINE_ENUM(MEMPOOL_EXT_FAULT_ALWAYS);
TRACE_DEFINE_ENUM(MEMPOOL_EXT_FAULT_EVERY_NTH);
TRACE_DEFINE_ENUM(MEMPOOL_EXT_FAULT_PROBABILITY);

/* mempool_ext_set_fault() made a call of the backing allocator fail. */
TRACE_EVENT(mempool_ext_fault,
	TP_PROTO(struct mempool_ext *pool, unsigned long mode),
	TP_ARGS(pool, mode),
	TP_STRUCT__entry(
		__array(char, name, MPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(unsigned long, mode)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name, MPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->mode = mode;
	),
	TP_printk("pool=%s id=%u mode=%s", __entry->name, __entry->id,
		  __print_symbolic(__entry->mode,
				   { MEMPOOL_EXT_FAULT_ALWAYS, "always" },
				   { MEMPOOL_EXT_FAULT_EVERY_NTH, "every_nth" },
				   { MEMPOOL_EXT_FAULT_PROBABILITY, "probability" }))
);

#endif /* _MEMPOOL_EXT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH mempool_ext
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
