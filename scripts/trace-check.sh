#!/bin/bash
# Check the tracepoints' recorded fields in a smoke boot's serial log.
#
# usage: scripts/trace-check.sh SERIAL_LOG
#
# The guest (scripts/guest-init.sh, smoke mode) turns the suite's events on
# through tracefs after the three modules load and before the demo, and
# prints the trace between "POOL_EXT: trace-begin" and "trace-end" while
# the demo is still loaded (so callers resolve to its functions). The
# demo's own operations are checked, field by field:
#   genpool_ext  the "basic" scenario's 128-byte alloc and its free: same
#                pool name and id, same address, the pool's algorithm,
#                the caller demo_genpool_basic in pool_ext_demo
#   dmapool_ext  a page added to "tx_desc", then its first block allocated
#                at the page's DMA address by the demo's ring_fill() (or
#                demo_dma_rings(), into which it may be inlined), and that
#                block freed with the same vaddr and dma by the same code
#   mempool_ext  the "requests" scenario under injected faults: faults
#                reported, allocations served from the reserve by
#                demo_mempool_requests, the reserve found empty, the
#                elements freed back into the reserve
# Exit status: 0 when all hold, 1 otherwise (each miss is named).
set -uo pipefail
[ $# = 1 ] || { echo "usage: $0 SERIAL_LOG" >&2; exit 2; }

tr -d '\r' < "$1" | sed -e 's/^\[ *[0-9.]*\] //' |
	sed -n '/^POOL_EXT: trace-begin/,/^POOL_EXT: trace-end/p' |
	awk '
function field(k,   i) {
	for (i = 1; i <= NF; i++)
		if (index($i, k "=") == 1)
			return substr($i, length(k) + 2)
	return ""
}
function ok(what) { print "trace: ok   " what; }
# ring_fill() of the demo, or demo_dma_rings() if the compiler inlined it,
# or a part of either that it moved out of line (demo_dma_rings.cold on 6.1).
function demo_rings_caller() {
	return field("caller") ~ /^(ring_fill|demo_dma_rings)(\.[a-z]+(\.[0-9]+)?)?\+0x[0-9a-f]+\/0x[0-9a-f]+$/ && $NF == "[pool_ext_demo]"
}
function bad(what) { print "trace: FAIL " what; failed = 1 }
/^POOL_EXT: trace-begin/ { begun = 1; next }
/^POOL_EXT: trace-end/ { ended = 1; next }
{ lines++ }
/ genpool_ext_alloc: / && field("size") == "128" && field("caller") ~ /^demo_genpool_basic\+0x[0-9a-f]+\/0x[0-9a-f]+$/ && $NF == "[pool_ext_demo]" && !g_addr {
	g_addr = field("addr"); g_id = field("id"); g_pool = field("pool"); g_algo = field("algo")
}
/ genpool_ext_free: / && g_addr != "" && field("addr") == g_addr && !g_free {
	g_free = field("id") == g_id && field("pool") == g_pool && field("size") == "128" &&
		 field("caller") ~ /^demo_genpool_basic\+/
}
/ dmapool_ext_page: / && field("pool") == "tx_desc" && $0 ~ / added / && !d_page {
	d_page = field("dma"); d_id = field("id")
}
/ dmapool_ext_alloc: / && field("pool") == "tx_desc" && d_page != "" && !d_vaddr {
	if (field("dma") == d_page && field("id") == d_id && demo_rings_caller())
		{ d_vaddr = field("vaddr"); d_caller = field("caller") }
	else
		d_first_bad = $0
}
/ dmapool_ext_free: / && field("pool") == "tx_desc" && d_vaddr != "" && field("vaddr") == d_vaddr && !d_free {
	d_free = field("dma") == d_page && field("id") == d_id && demo_rings_caller()
}
/ mempool_ext_fault: / && field("mode") == "always" { m_fault++ }
/ mempool_ext_alloc: / && field("from") == "reserve" && field("caller") ~ /^demo_mempool_requests\+0x/ { m_res++ }
/ mempool_ext_reserve_empty: / { m_empty++ }
/ mempool_ext_free: / && field("to") == "reserve" { m_free++ }
END {
	if (!begun || !ended) { bad("no trace between the guest markers"); exit 1 }
	print "trace: " lines " events recorded"
	if (g_addr == "") bad("genpool_ext_alloc: no 128-byte allocation by demo_genpool_basic [pool_ext_demo]")
	else ok("genpool_ext_alloc: pool=" g_pool " id=" g_id " addr=" g_addr " size=128 algo=" g_algo)
	if (g_algo != "genpool_ext_first_fit") bad("genpool_ext_alloc: algo=" g_algo ", not the pool default genpool_ext_first_fit")
	if (!g_free) bad("genpool_ext_free: no matching free of " g_addr)
	else ok("genpool_ext_free: same pool, id, address and size, same caller")
	if (d_page == "") bad("dmapool_ext_page: no page added to tx_desc")
	else ok("dmapool_ext_page: tx_desc id=" d_id " added dma=" d_page)
	if (d_vaddr == "") bad("dmapool_ext_alloc: first tx_desc block not at the page'"'"'s dma by the demo: " d_first_bad)
	else ok("dmapool_ext_alloc: first block at the page'"'"'s dma, vaddr=" d_vaddr ", caller " d_caller)
	if (!d_free) bad("dmapool_ext_free: no matching free of that block")
	else ok("dmapool_ext_free: same vaddr, dma and pool, caller in pool_ext_demo")
	if (MEMPOOL_TRACE) {
		if (m_fault < 32) bad("mempool_ext_fault: " m_fault " of 32 injected faults")
		else ok("mempool_ext_fault: " m_fault " injected faults")
		if (m_res < 32) bad("mempool_ext_alloc: " m_res " of 32 allocations from the reserve by demo_mempool_requests")
		else ok("mempool_ext_alloc: " m_res " allocations from the reserve by demo_mempool_requests")
		if (!m_empty) bad("mempool_ext_reserve_empty: never")
		else ok("mempool_ext_reserve_empty: " m_empty)
		if (m_free < 32) bad("mempool_ext_free: " m_free " frees into the reserve")
		else ok("mempool_ext_free: " m_free " frees into the reserve")
	}
	exit failed
}' MEMPOOL_TRACE=1
