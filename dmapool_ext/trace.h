/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmapool_ext tracepoints: events/dmapool_ext/ in tracefs.
 *
 * Every event carries the pool's name and id (the id also names its
 * debugfs directory), so a trace can be filtered per pool
 * (echo 'id == 3' > events/dmapool_ext/filter). Off, each call site is a
 * static branch around an out-of-line call; the trace_*() calls are given
 * values the paths hold anyway, and the name is copied in TP_fast_assign,
 * which runs only when the event is on.
 *
 * Defined the out-of-tree way: TRACE_INCLUDE_PATH names this directory
 * relative to the suite root, which every source has on its include path.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM dmapool_ext

#if !defined(_DMAPOOL_EXT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _DMAPOOL_EXT_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

/* Bytes of a pool's name kept in an event (longer names are cut). */
#define DPX_TRACE_NAME	32

/* An allocation or a free of one block, and the code that asked. */
DECLARE_EVENT_CLASS(dmapool_ext_block,
	TP_PROTO(struct dmapool_ext *pool, void *vaddr, dma_addr_t dma,
		 unsigned long caller),
	TP_ARGS(pool, vaddr, dma, caller),
	TP_STRUCT__entry(
		__array(char, name, DPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(unsigned int, size)
		__field(void *, vaddr)
		__field(u64, dma)
		__field(unsigned long, caller)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name, DPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->size = pool->size;
		__entry->vaddr = vaddr;
		__entry->dma = dma;
		__entry->caller = caller;
	),
	TP_printk("pool=%s id=%u size=%u vaddr=%p dma=0x%llx caller=%pS",
		  __entry->name, __entry->id, __entry->size, __entry->vaddr,
		  (unsigned long long)__entry->dma, (void *)__entry->caller)
);

DEFINE_EVENT(dmapool_ext_block, dmapool_ext_alloc,
	TP_PROTO(struct dmapool_ext *pool, void *vaddr, dma_addr_t dma,
		 unsigned long caller),
	TP_ARGS(pool, vaddr, dma, caller)
);

DEFINE_EVENT(dmapool_ext_block, dmapool_ext_free,
	TP_PROTO(struct dmapool_ext *pool, void *vaddr, dma_addr_t dma,
		 unsigned long caller),
	TP_ARGS(pool, vaddr, dma, caller)
);

TRACE_DEFINE_ENUM(DPX_BAD_FOREIGN);
TRACE_DEFINE_ENUM(DPX_BAD_INSIDE);
TRACE_DEFINE_ENUM(DPX_BAD_DMA);
TRACE_DEFINE_ENUM(DPX_BAD_DOUBLE);

/* A free that validation refused, and why; the pool did not change. */
TRACE_EVENT(dmapool_ext_bad_free,
	TP_PROTO(struct dmapool_ext *pool, const void *vaddr, dma_addr_t dma,
		 int reason),
	TP_ARGS(pool, vaddr, dma, reason),
	TP_STRUCT__entry(
		__array(char, name, DPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(const void *, vaddr)
		__field(u64, dma)
		__field(int, reason)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name, DPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->vaddr = vaddr;
		__entry->dma = dma;
		__entry->reason = reason;
	),
	TP_printk("pool=%s id=%u vaddr=%p dma=0x%llx reason=%s",
		  __entry->name, __entry->id, __entry->vaddr,
		  (unsigned long long)__entry->dma,
		  __print_symbolic(__entry->reason,
				   { DPX_BAD_FOREIGN, "foreign" },
				   { DPX_BAD_INSIDE, "not_block_start" },
				   { DPX_BAD_DMA, "dma_mismatch" },
				   { DPX_BAD_DOUBLE, "double_free" }))
);

/* A page of DMA memory added to the pool (@added) or given back. */
TRACE_EVENT(dmapool_ext_page,
	TP_PROTO(struct dmapool_ext *pool, void *vaddr, dma_addr_t dma,
		 bool added),
	TP_ARGS(pool, vaddr, dma, added),
	TP_STRUCT__entry(
		__array(char, name, DPX_TRACE_NAME)
		__field(unsigned int, id)
		__field(unsigned int, bytes)
		__field(void *, vaddr)
		__field(u64, dma)
		__field(bool, added)
	),
	TP_fast_assign(
		strscpy(__entry->name, pool->name, DPX_TRACE_NAME);
		__entry->id = pool->id;
		__entry->bytes = pool->allocation;
		__entry->vaddr = vaddr;
		__entry->dma = dma;
		__entry->added = added;
	),
	TP_printk("pool=%s id=%u %s vaddr=%p dma=0x%llx bytes=%u",
		  __entry->name, __entry->id,
		  __entry->added ? "added" : "released", __entry->vaddr,
		  (unsigned long long)__entry->dma, __entry->bytes)
);

#endif /* _DMAPOOL_EXT_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH dmapool_ext
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
