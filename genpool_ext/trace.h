/* SPDX-License-Identifier: GPL-2.0 */
/*
 * genpool_ext tracepoints: events/genpool_ext/ in tracefs.
 *
 * Every event carries the pool's name and id (the id also names its
 * debugfs directory), so a trace can be filtered per pool
 * (echo 'id == 3' > events/genpool_ext/filter). Off, each call site is a
 * static branch around an out-of-line call: the arguments given to the
 * trace_*() calls are values the paths hold anyway, and everything else
 * (the name, the algorithm) is read in TP_fast_assign, which runs only
 * when the event is on.
 *
 * Defined the out-of-tree way: TRACE_INCLUDE_PATH names this directory
 * relative to the suite root, which every source has on its include path.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM genpool_ext

#if !defined(_GENPOOL_EXT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _GENPOOL_EXT_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>
#include <genpool_ext/genpool_ext.h>

/* Bytes of a pool's name kept in an event (longer names are cut). */
#define GPX_TRACE_NAME	32

DECLARE_EVENT_CLASS(genpool_ext_block,
	TP_PROTO(struct genpool_ext *pool, unsigned long addr, size_t size,
		 unsigned long caller),
	TP_ARGS(pool, addr, size, caller),
	TP_STRUCT__entry(
		__array(char, name, GPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(unsigned long, addr)
		__field(size_t, size)
		__field(unsigned long, caller)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name ?: "pool", GPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->addr = addr;
		__entry->size = size;
		__entry->caller = caller;
	),
	TP_printk("pool=%s id=%u addr=0x%lx size=%zu caller=%pS",
		  __entry->name, __entry->id, __entry->addr, __entry->size,
		  (void *)__entry->caller)
);

/* A successful allocation; @algo is the placement function used. */
TRACE_EVENT(genpool_ext_alloc,
	TP_PROTO(struct genpool_ext *pool, unsigned long addr, size_t size,
		 genpool_ext_algo_t algo, unsigned long caller),
	TP_ARGS(pool, addr, size, algo, caller),
	TP_STRUCT__entry(
		__array(char, name, GPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(unsigned long, addr)
		__field(size_t, size)
		__field(void *, algo)
		__field(unsigned long, caller)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name ?: "pool", GPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->addr = addr;
		__entry->size = size;
		__entry->algo = algo;
		__entry->caller = caller;
	),
	TP_printk("pool=%s id=%u addr=0x%lx size=%zu algo=%ps caller=%pS",
		  __entry->name, __entry->id, __entry->addr, __entry->size,
		  __entry->algo, (void *)__entry->caller)
);

/* A successful free. */
DEFINE_EVENT(genpool_ext_block, genpool_ext_free,
	TP_PROTO(struct genpool_ext *pool, unsigned long addr, size_t size,
		 unsigned long caller),
	TP_ARGS(pool, addr, size, caller)
);

/*
 * An allocation that found no room: @avail free bytes in all, @largest
 * the longest free run (worked out only while this event is on).
 */
TRACE_EVENT(genpool_ext_alloc_fail,
	TP_PROTO(struct genpool_ext *pool, size_t size, size_t avail,
		 size_t largest, unsigned long caller),
	TP_ARGS(pool, size, avail, largest, caller),
	TP_STRUCT__entry(
		__array(char, name, GPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(size_t, size)
		__field(size_t, avail)
		__field(size_t, largest)
		__field(unsigned long, caller)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name ?: "pool", GPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->size = size;
		__entry->avail = avail;
		__entry->largest = largest;
		__entry->caller = caller;
	),
	TP_printk("pool=%s id=%u size=%zu avail=%zu largest=%zu caller=%pS",
		  __entry->name, __entry->id, __entry->size, __entry->avail,
		  __entry->largest, (void *)__entry->caller)
);

TRACE_DEFINE_ENUM(GPX_MISUSE_FOREIGN);
TRACE_DEFINE_ENUM(GPX_MISUSE_UNALIGNED);
TRACE_DEFINE_ENUM(GPX_MISUSE_RANGE);
TRACE_DEFINE_ENUM(GPX_MISUSE_DOUBLE);
TRACE_DEFINE_ENUM(GPX_MISUSE_PARTIAL);
TRACE_DEFINE_ENUM(GPX_MISUSE_ZERO);
TRACE_DEFINE_ENUM(GPX_MISUSE_FIXED_OFFSET);
TRACE_DEFINE_ENUM(GPX_MISUSE_BOUNDARY);

/*
 * A refused call (bad free, bad fixed offset). The kind is kept as a
 * number, not as a pointer to its text: a trace may be read after the
 * module is gone.
 */
TRACE_EVENT(genpool_ext_misuse,
	TP_PROTO(struct genpool_ext *pool, int kind, unsigned long addr,
		 size_t size, unsigned long caller),
	TP_ARGS(pool, kind, addr, size, caller),
	TP_STRUCT__entry(
		__array(char, name, GPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(int, kind)
		__field(unsigned long, addr)
		__field(size_t, size)
		__field(unsigned long, caller)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name ?: "pool", GPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->kind = kind;
		__entry->addr = addr;
		__entry->size = size;
		__entry->caller = caller;
	),
	TP_printk("pool=%s id=%u what=%s addr=0x%lx size=%zu caller=%pS",
		  __entry->name, __entry->id,
		  __print_symbolic(__entry->kind,
				   { GPX_MISUSE_FOREIGN, "foreign" },
				   { GPX_MISUSE_UNALIGNED, "unaligned" },
				   { GPX_MISUSE_RANGE, "range" },
				   { GPX_MISUSE_DOUBLE, "double_free" },
				   { GPX_MISUSE_PARTIAL, "partial_free" },
				   { GPX_MISUSE_ZERO, "zero_size" },
				   { GPX_MISUSE_FIXED_OFFSET, "fixed_offset" },
				   { GPX_MISUSE_BOUNDARY, "boundary" }),
		  __entry->addr, __entry->size, (void *)__entry->caller)
);

#endif /* _GENPOOL_EXT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH genpool_ext
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
