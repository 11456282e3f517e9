// SPDX-License-Identifier: GPL-2.0
/*
 * An interleaving model checker for genpool_ext's lockless code.
 *
 * The real bitmap.c, index.c, algos.c, alloc.c, core.c and stats.c are
 * built unmodified against the shims in include/linux/, where every
 * READ_ONCE(), WRITE_ONCE(), atomic and barrier is a switch point of a
 * seeded scheduler (sched.c). Each seed builds a pool of one or two chunks
 * three to four index groups wide and fragments it. Then it runs rounds:
 * 2-4 simulated threads run 1-3 random operations each, through the public
 * API: first fit, best fit, fixed offset, order-aligned and address-aligned
 * allocations, frees of old blocks and of their own new ones; and a
 * search's tightening steps on their own, of a group summary (see
 * do_tighten()) and of a chunk's longest-run hint (do_chunk_tighten()).
 * Most rounds aim
 * their operations at one "hot" index group (see in_hot()). The scheduler
 * interleaves them by PCT, by PCT with its preemptions on the hot group's
 * memory, or by uniform random switching. When a round is over and
 * nothing is in flight, the checker checks:
 *  (a) the bitmap is exactly the set of live blocks, no block was handed
 *      out twice, and avail agrees;
 *  (b) the index holds every bucket and edge bit that a recount of the
 *      bitmap has ("a set bit may be stale, a clear bit must be a fact"),
 *      and each chunk's longest-run hint is at least its longest free run;
 *  (c) first fit and best fit through the index return what a plain linear
 *      search of the same bitmap returns, for sampled sizes and alignments.
 * Any warning from the code under test fails the run too. A failure prints
 * the seed, the round, and the round's interleaving; the seed replays it.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "genpool_ext/index.h"
#include "mc.h"

#define MAX_CHUNKS	2
#define MAX_OPS		3
#define MAX_BLOCKS	(2 * MAX_CHUNKS * 4 * GPX_GROUP_BITS)
#define SUM_MEANT	(GPX_SUM_BUCKETS | GPX_SUM_PREFIX | GPX_SUM_SUFFIX)
#ifndef GPX_SUM_TOUCHED
#define GPX_SUM_TOUCHED	0UL		/* an index without a TOUCHED bit */
#endif
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Options. */
static unsigned long opt_first = 1, opt_seeds = 10000, opt_rounds = 25;
static int opt_threads, opt_policy = -1;
static bool opt_verbose, opt_keep_going, opt_trace, opt_single;

/* The pool of the current seed. */
static struct genpool_ext *pool;
static struct genpool_ext_chunk *chunk[MAX_CHUNKS];
static int nchunks, order;
static unsigned long unit;
static u64 wl;			/* the workload's random state */

/* The model: live blocks, and which block owns each unit. */
struct block {
	unsigned long addr, bytes, units, bit;
	int c;
	bool live;
	bool doomed;			/* a free of it is planned this round */
};

static struct block blk[MAX_BLOCKS];
static int free_slot[MAX_BLOCKS], nfree_slot;
static int live[MAX_BLOCKS], live_pos[MAX_BLOCKS], nlive;
static unsigned long live_units;
static int *owner[MAX_CHUNKS];		/* slot + 1 per unit, 0 if free */
/* A chunk's whole index: 4 summaries and 53 one-word rows at most. */
static long saved_index[MAX_CHUNKS][64];

/* The round's plan. */
enum { OP_ALLOC, OP_FREE, OP_FREE_OWN, OP_TIGHTEN, OP_CHUNK_TIGHTEN };
enum { A_FIRST, A_BEST, A_FIXED, A_ORDER, A_ALIGN, A_NR };

static const char *const algo_name[A_NR] = {
	"first_fit", "best_fit", "fixed", "order_align", "first_fit_align",
};

static const genpool_ext_algo_t algo_fn[A_NR] = {
	genpool_ext_first_fit, genpool_ext_best_fit, genpool_ext_fixed_alloc,
	genpool_ext_first_fit_order_align, genpool_ext_first_fit_align,
};

struct op {
	int kind;
	int algo;
	unsigned long bytes;
	struct genpool_ext_data_fixed fixed;
	struct genpool_ext_data_align align;
	/* OP_FREE: block; OP_FREE_OWN: index of own op; *TIGHTEN: chunk */
	int slot;
	unsigned long group;		/* OP_TIGHTEN */
	int got;			/* OP_ALLOC: slot obtained, or -1 */
};

static struct op plan[MC_MAX_THREADS][MAX_OPS];
static int nops[MC_MAX_THREADS], nthreads;

/* Free runs seen at the start of a round, to aim allocations at. */
struct run {
	int c;
	unsigned long rs, len;
};

static struct run *runs, *edge_runs, *hot_runs;
static int nruns, nedge_runs, nhot_runs;
static unsigned long longest_run, longest_before_hot;
static struct run *hot_cross;		/* the run crossing into the hot group */

/* Failure of the current seed: the first message wins. */
static bool failed;
static char fail_msg[8192];

/* Totals for the summary line. */
static unsigned long tot_rounds, tot_steps, tot_switches, tot_ops, tot_allocs_ok;

static __printf(1, 2) void fail(const char *fmt, ...)
{
	size_t n = strlen(fail_msg);
	va_list ap;

	if (failed && n)
		return;
	va_start(ap, fmt);
	vsnprintf(fail_msg + n, sizeof(fail_msg) - n, fmt, ap);
	va_end(ap);
	failed = true;
	if (mc_active)
		mc_log("!! %s", fail_msg);
}

static unsigned long below(unsigned long n)
{
	return mc_below(&wl, n);
}

static bool unit_busy(const unsigned long *map, unsigned long b)
{
	return (map[BIT_WORD(b)] >> (b % BITS_PER_LONG)) & 1;
}

/* The first unit at or after @b that is busy (@busy) or free, or @n. */
static unsigned long next_unit(const unsigned long *map, unsigned long b,
			       unsigned long n, bool busy)
{
	unsigned long w, v;

	if (b >= n)
		return n;
	w = BIT_WORD(b);
	v = (busy ? map[w] : ~map[w]) & BITMAP_FIRST_WORD_MASK(b);
	while (!v) {
		if (++w >= BITS_TO_LONGS(n))
			return n;
		v = busy ? map[w] : ~map[w];
	}
	return min(w * BITS_PER_LONG + __ffs(v), n);
}

static unsigned long nwords(int c)
{
	return BITS_TO_LONGS(chunk[c]->nbits);
}

static unsigned long ngroups(int c)
{
	return DIV_ROUND_UP(chunk[c]->nbits, GPX_GROUP_BITS);
}

/* ---- describing what happened ---- */

static void describe(const void *addr, char *buf, size_t n)
{
	const char *p = (const char *)addr;
	int c;

	for (c = 0; c < nchunks; c++) {
		const char *bits = (const char *)chunk[c]->bits;
		const char *idx = (const char *)chunk[c]->index;

		if (p >= bits && p < bits + nwords(c) * sizeof(long)) {
			snprintf(buf, n, "c%d.bits[%ld]", c,
				 (long)((p - bits) / sizeof(long)));
			return;
		}
		if (p >= idx && p < idx + ngroups(c) * sizeof(long)) {
			snprintf(buf, n, "c%d.sum[%ld]", c,
				 (long)((p - idx) / sizeof(long)));
			return;
		}
		if (p >= idx && p < idx + gpx_index_words(chunk[c]->nbits) * sizeof(long)) {
			long w = (p - idx) / sizeof(long) - ngroups(c);

			snprintf(buf, n, "c%d.row[%ld]", c, w);
			return;
		}
		if (p == (const char *)&chunk[c]->avail) {
			snprintf(buf, n, "c%d.avail", c);
			return;
		}
		if (p == (const char *)&chunk[c]->longest) {
			snprintf(buf, n, "c%d.longest", c);
			return;
		}
		/* The debug checks' first-unit marks, then the last-unit ones. */
		if (chunk[c]->marks && p >= (const char *)chunk[c]->marks &&
		    p < (const char *)(chunk[c]->marks + 2 * nwords(c))) {
			long w = (p - (const char *)chunk[c]->marks) / sizeof(long);

			snprintf(buf, n, "c%d.%s[%ld]", c, w < (long)nwords(c) ? "firsts" : "lasts",
				 w % (long)nwords(c));
			return;
		}
	}
	if (p == (const char *)&pool->warned)
		snprintf(buf, n, "pool.warned");
	else if (p == (const char *)&pool->algo)
		snprintf(buf, n, "pool.algo");
	else if (p == (const char *)&pool->data)
		snprintf(buf, n, "pool.data");
	else if (!p)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "other");
}

static bool is_sum(const void *addr)
{
	const char *p = (const char *)addr;
	int c;

	for (c = 0; c < nchunks; c++) {
		const char *idx = (const char *)chunk[c]->index;

		if (p >= idx && p < idx + ngroups(c) * sizeof(long))
			return true;
	}
	return false;
}

/* A summary word in words: edge bits, TOUCHED, and the run lengths of its buckets. */
static void decode_sum(unsigned long v, char *buf, size_t n)
{
	const char *sep = "";
	size_t len = 0;
	unsigned int b;

	len += snprintf(buf + len, n - len, "%s%s%s{", v & GPX_SUM_PREFIX ? "P" : "",
			v & GPX_SUM_SUFFIX ? "S" : "", v & GPX_SUM_TOUCHED ? "T" : "");
	for (b = 0; b < GPX_NR_BUCKETS && len < n; b++) {
		unsigned long lo, hi;

		if (!(v & BIT(b)))
			continue;
		lo = gpx_bucket_lo(b);
		hi = b + 1 < GPX_NR_BUCKETS ? gpx_bucket_lo(b + 1) - 1 : GPX_GROUP_BITS - 1;
		if (lo == hi)
			len += snprintf(buf + len, n - len, "%s%lu", sep, lo);
		else
			len += snprintf(buf + len, n - len, "%s%lu-%lu", sep, lo, hi);
		sep = ",";
	}
	if (len < n)
		len += snprintf(buf + len, n - len, "}");
	v &= ~(SUM_MEANT | GPX_SUM_TOUCHED);
	if (v && len < n)
		snprintf(buf + len, n - len, " other %#lx", v);
}

static const char *base_name(const char *file)
{
	const char *s = file ? strrchr(file, '/') : NULL;

	return s ? s + 1 : file ? file : "";
}

static const char *const kind_name[] = {
	[MC_READ] = "read", [MC_WRITE] = "write", [MC_RMW] = "rmw",
	[MC_CAS] = "cas", [MC_FENCE] = "mb", [MC_YIELD] = "yield",
};

static void print_ev(const struct mc_ev *e, bool verbose)
{
	char where[64], dec[256];
	bool changed;

	switch (e->kind) {
	case MC_EV_TEXT:
		if (e->tid == 0xff)
			printf("  %7u      %s\n", e->step, mc_text + e->text);
		else
			printf("  %7u T%d   %s\n", e->step, e->tid, mc_text + e->text);
		return;
	case MC_EV_SWITCH:
		describe(e->addr, where, sizeof(where));
		printf("  %7u T%d   ~~ preempted before %s %s in %s() %s:%d; T%d runs\n",
		       e->step, e->tid, kind_name[e->before], where, e->func,
		       base_name(e->file), e->line, e->next);
		return;
	}
	changed = e->kind != MC_READ && e->kind != MC_FENCE && e->before != e->after;
	if (!verbose && !changed)
		return;
	describe(e->addr, where, sizeof(where));
	printf("  %7u T%d     %-5s %-12s %#018lx -> %#018lx  %s() %s:%d\n",
	       e->step, e->tid, kind_name[e->kind], where, e->before, e->after,
	       e->func, base_name(e->file), e->line);
	if (is_sum(e->addr) && changed) {
		decode_sum(e->after, dec, sizeof(dec));
		printf("  %7s          now %s\n", "", dec);
	}
}

static void print_trace(bool verbose)
{
	unsigned long i;

	for (i = 0; i < mc_nevs; i++)
		print_ev(&mc_evs[i], verbose);
}

/* ---- the model ---- */

static int find_chunk(unsigned long addr)
{
	int c;

	for (c = 0; c < nchunks; c++)
		if (addr >= chunk[c]->start_addr && addr <= chunk[c]->end_addr)
			return c;
	return -1;
}

/* Record a block the pool handed out; fail if anyone else owns part of it. */
static int model_add(unsigned long addr, unsigned long bytes)
{
	unsigned long units = DIV_ROUND_UP(bytes, unit), bit, u;
	int c = find_chunk(addr), slot;

	if (c < 0 || (addr - chunk[c]->start_addr) % unit) {
		fail("alloc returned %#lx, in no chunk or not on a unit", addr);
		return -1;
	}
	bit = (addr - chunk[c]->start_addr) / unit;
	if (units > chunk[c]->nbits - bit) {
		fail("alloc returned c%d bit %lu + %lu units, past the chunk end %lu",
		     c, bit, units, chunk[c]->nbits);
		return -1;
	}
	for (u = bit; u < bit + units; u++) {
		if (owner[c][u]) {
			struct block *o = &blk[owner[c][u] - 1];

			fail("double hand-out: c%d [%lu,%lu) overlaps live block [%lu,%lu)",
			     c, bit, bit + units, o->bit, o->bit + o->units);
			return -1;
		}
	}
	if (!nfree_slot) {
		fail("model out of block slots");
		return -1;
	}
	slot = free_slot[--nfree_slot];
	blk[slot] = (struct block){ .addr = addr, .bytes = bytes, .units = units,
				    .bit = bit, .c = c, .live = true };
	for (u = bit; u < bit + units; u++)
		owner[c][u] = slot + 1;
	live_pos[slot] = nlive;
	live[nlive++] = slot;
	live_units += units;
	return slot;
}

static void model_remove(int slot)
{
	struct block *b = &blk[slot];
	unsigned long u;

	for (u = b->bit; u < b->bit + b->units; u++)
		owner[b->c][u] = 0;
	b->live = false;
	b->doomed = false;
	live_units -= b->units;
	free_slot[nfree_slot++] = slot;
	live[live_pos[slot]] = live[--nlive];
	live_pos[live[nlive]] = live_pos[slot];
}

/* ---- operations, as a simulated thread runs them ---- */

static void *op_data(struct op *o)
{
	if (o->algo == A_FIXED)
		return &o->fixed;
	if (o->algo == A_ALIGN)
		return &o->align;
	return NULL;
}

static void check_placement_rule(struct op *o, int slot)
{
	struct block *b = &blk[slot];
	unsigned long nr = b->units;

	if (o->algo == A_FIXED && b->bit * unit != o->fixed.offset)
		fail("fixed alloc at offset %#lx returned offset %#lx",
		     o->fixed.offset, b->bit * unit);
	if (o->algo == A_ORDER && b->bit % roundup_pow_of_two(nr))
		fail("order-aligned alloc of %lu units returned bit %lu", nr, b->bit);
	if (o->algo == A_ALIGN && b->addr % o->align.align)
		fail("alloc aligned to %d returned %#lx", o->align.align, b->addr);
}

static void do_alloc(struct op *o)
{
	unsigned long addr;

	if (o->algo == A_FIXED)
		mc_log("alloc fixed at unit %lu, %lu bytes", o->fixed.offset / unit, o->bytes);
	else if (o->algo == A_ALIGN)
		mc_log("alloc %s %lu bytes, align %d", algo_name[o->algo], o->bytes,
		       o->align.align);
	else
		mc_log("alloc %s %lu bytes", algo_name[o->algo], o->bytes);
	addr = genpool_ext_alloc_algo(pool, o->bytes, algo_fn[o->algo], op_data(o));
	o->got = -1;
	if (!addr) {
		mc_log("  alloc failed");
		return;
	}
	o->got = model_add(addr, o->bytes);
	if (o->got < 0)
		return;
	tot_allocs_ok += mc_active;
	mc_log("  alloc -> c%d [%lu,%lu)", blk[o->got].c, blk[o->got].bit,
	       blk[o->got].bit + blk[o->got].units);
	check_placement_rule(o, o->got);
}

static void do_free(int slot)
{
	struct block b = blk[slot];

	mc_log("free c%d [%lu,%lu)", b.c, b.bit, b.bit + b.units);
	/* From here on the units may be handed out again. */
	model_remove(slot);
	genpool_ext_free(pool, b.addr, b.bytes);
	mc_log("  free done");
}

/*
 * What a search does when a group it scanned promised more than it held.
 * A search decides that from reads that concurrent updates may already
 * have made stale, so any group may be tightened at any moment; calling
 * the step directly reaches those interleavings without waiting for a
 * search to be misled in just the right way.
 */
static void do_tighten(int c, unsigned long g)
{
	struct gpx_ctx ctx = {
		.map = chunk[c]->bits,
		.size = chunk[c]->nbits,
		.index = chunk[c]->index,
	};

	mc_log("tighten c%d group %lu", c, g);
	gpx_index_tighten(&ctx, g, SUM_MEANT);
	mc_log("  tighten c%d group %lu's rows", c, g);
	gpx_rows_tighten(&ctx, g, SUM_MEANT);
	mc_log("  tighten done");
}

/*
 * What an allocation does when its whole search of a chunk found no room:
 * it read the chunk's hint before searching, and lowers it to what its
 * search saw. The search here is a plain measurement of the longest run,
 * racing with the other threads like a real search; a real search's
 * failure proves about as much (see gpx_fail_bound() in alloc.c). Called
 * directly so that a chunk hint can be lowered at any moment, not only
 * when a search happens to fail in just the right way.
 */
static void do_chunk_tighten(int c)
{
	struct gpx_ctx ctx = { .map = chunk[c]->bits, .size = chunk[c]->nbits };
	unsigned long seen, bound, words = 0;

	mc_log("tighten c%d's longest-run hint", c);
	seen = atomic_long_read(&chunk[c]->longest);
	bound = gpx_chunk_longest(&ctx);
	mc_log("  seen %lu, search saw %lu", seen, bound);
	gpx_chunk_tighten(chunk[c], seen, bound, &words);
	mc_log("  tighten done");
}

static void worker(int tid)
{
	int i;

	for (i = 0; i < nops[tid]; i++) {
		struct op *o = &plan[tid][i];

		mc_yield();
		tot_ops++;
		switch (o->kind) {
		case OP_ALLOC:
			do_alloc(o);
			break;
		case OP_FREE:
			do_free(o->slot);
			break;
		case OP_FREE_OWN:
			if (plan[tid][o->slot].got >= 0)
				do_free(plan[tid][o->slot].got);
			break;
		case OP_TIGHTEN:
			do_tighten(o->slot, o->group);
			break;
		case OP_CHUNK_TIGHTEN:
			do_chunk_tighten(o->slot);
			break;
		}
	}
}

/* ---- planning ---- */

static void recount(int c, unsigned long *want);

/*
 * Most rounds aim their operations at one index group, the "hot" one:
 * allocations at its free runs and at the bucket lengths its summary
 * claims but the bitmap no longer has (so that searches tighten it), frees
 * of its blocks. Races need operations that meet in one place.
 */
static int hot_c = -1;
static unsigned long hot_g, hot_stale;

static bool in_hot(int c, unsigned long s, unsigned long e)
{
	unsigned long gs = hot_g * GPX_GROUP_BITS;

	/* The group, and the runs and blocks that reach its edges. */
	return c == hot_c && s <= gs + GPX_GROUP_BITS && e >= gs;
}

static void snapshot_runs(void)
{
	int c;

	nruns = 0;
	nedge_runs = 0;
	nhot_runs = 0;
	longest_run = 0;
	longest_before_hot = 0;
	hot_cross = NULL;
	for (c = 0; c < nchunks; c++) {
		const unsigned long *map = chunk[c]->bits;
		unsigned long b = 0, rs, n = chunk[c]->nbits;

		for (;;) {
			rs = next_unit(map, b, n, false);
			if (rs >= n)
				break;
			b = next_unit(map, rs, n, true);
			runs[nruns++] = (struct run){ c, rs, b - rs };
			longest_run = max(longest_run, b - rs);
			/* Runs that touch or cross a group boundary. */
			if (rs / GPX_GROUP_BITS != (b - 1) / GPX_GROUP_BITS ||
			    rs % GPX_GROUP_BITS == 0 || b % GPX_GROUP_BITS == 0)
				edge_runs[nedge_runs++] = runs[nruns - 1];
			if (in_hot(c, rs, b))
				hot_runs[nhot_runs++] = runs[nruns - 1];
			if (c == hot_c && rs < hot_g * GPX_GROUP_BITS &&
			    b > hot_g * GPX_GROUP_BITS)
				hot_cross = &runs[nruns - 1];
			/* Searches try newer chunks first, groups in address order. */
			if (hot_c >= 0 &&
			    (c > hot_c || (c == hot_c && rs < (hot_g + 1) * GPX_GROUP_BITS)))
				longest_before_hot = max(longest_before_hot, b - rs);
		}
	}
}

static unsigned long random_units(void)
{
	unsigned long k = below(100);

	if (k < 45)
		return 1 + below(8);
	if (k < 80)
		return 9 + below(56);
	return 65 + below(400);
}

static unsigned long to_bytes(unsigned long units)
{
	/* Now and then a size that is not a whole number of units. */
	if (unit > 1 && !below(4))
		return units * unit - below(unit);
	return units * unit;
}

/* A random set bit of @v, which is not 0. */
static unsigned int random_bit(unsigned long v)
{
	unsigned int n = below(hweight_long(v));

	while (n--)
		v &= v - 1;
	return __ffs(v);
}

static void plan_alloc(struct op *o)
{
	unsigned long k = below(100), units;
	struct run *r = NULL;

	o->kind = OP_ALLOC;
	o->algo = k < 30 ? A_FIRST : k < 55 ? A_BEST : k < 75 ? A_FIXED :
		  k < 90 ? A_ORDER : A_ALIGN;
	o->align.align = unit << below(5);
	k = below(100);
	if (k < 15 && o->algo != A_FIXED) {
		/* Longer than any free run: fails, and tightens every group it passes. */
		units = longest_run ? gpx_bucket_lo(gpx_bucket(longest_run) + 1) : 1;
		units += below(8);
		o->bytes = to_bytes(units);
		return;
	}
	/* The shortest length in a bucket above every run before the hot group. */
	units = longest_before_hot ? gpx_bucket_lo(gpx_bucket(longest_before_hot) + 1) : 1;
	if (hot_c >= 0 && k < 40 && o->algo != A_FIXED &&
	    (atomic_long_read(&chunk[hot_c]->index[hot_g]) & gpx_buckets_from(units))) {
		/*
		 * Fits nowhere before the hot group, whose summary promises it:
		 * the search reaches the group and tightens it.
		 */
		o->bytes = to_bytes(units);
		return;
	}
	if (hot_stale && k < 40 && o->algo != A_FIXED) {
		/* A length the hot group's summary promises and does not have. */
		units = gpx_bucket_lo(random_bit(hot_stale));
		o->bytes = to_bytes(units);
		return;
	}
	if (hot_cross && k < 55) {
		/*
		 * Take the part of the run crossing into the hot group from
		 * some point at or before the group's start to the run's end,
		 * which leaves no remainder in the group.
		 */
		unsigned long gs = hot_g * GPX_GROUP_BITS;
		unsigned long x = hot_cross->rs + below(gs - hot_cross->rs + 1);

		o->algo = A_FIXED;
		o->fixed.offset = x * unit;
		o->bytes = to_bytes(hot_cross->rs + hot_cross->len - x);
		return;
	}
	/* Aim at a free run (often one at a group edge) or pick a size. */
	if (k < 70 && nruns) {
		if (nhot_runs && below(3))
			r = &hot_runs[below(nhot_runs)];
		else if (nedge_runs && below(2))
			r = &edge_runs[below(nedge_runs)];
		else
			r = &runs[below(nruns)];
	}
	if (r) {
		units = below(2) ? r->len : 1 + below(r->len);
		o->fixed.offset = (r->rs + (below(3) ? 0 : below(r->len - units + 1))) * unit;
	} else {
		int c = below(nchunks);

		units = random_units();
		o->fixed.offset = below(chunk[c]->nbits) * unit;
	}
	o->bytes = to_bytes(units);
}

/* A live block no free is planned for yet, or -1. */
static int pick_block(void)
{
	int i, best = -1;

	for (i = 0; i < 16 && nlive; i++) {
		int s = live[below(nlive)];
		struct block *b = &blk[s];
		bool words, groups;

		if (b->doomed)
			continue;
		if (best < 0)
			best = s;
		if (hot_c >= 0 && i < 12) {
			if (in_hot(b->c, b->bit, b->bit + b->units) && below(4))
				return s;
			continue;
		}
		words = BIT_WORD(b->bit) != BIT_WORD(b->bit + b->units - 1);
		groups = b->bit / GPX_GROUP_BITS !=
			 (b->bit + b->units - 1) / GPX_GROUP_BITS;
		/* Prefer blocks whose free releases several words, or crosses groups. */
		if ((words && below(2)) || (groups && below(4)))
			return s;
	}
	return best;
}

static void plan_round(void)
{
	unsigned long want[8];
	int t, i;

	hot_c = -1;
	hot_stale = 0;
	if (below(10) < 7) {
		hot_c = below(nchunks);
		hot_g = below(ngroups(hot_c));
		recount(hot_c, want);
		hot_stale = atomic_long_read(&chunk[hot_c]->index[hot_g]) &
			    ~want[hot_g] & GPX_SUM_BUCKETS;
	}
	snapshot_runs();
	nthreads = opt_threads ? opt_threads : 2 + below(MC_MAX_THREADS - 1);
	for (t = 0; t < nthreads; t++) {
		nops[t] = 1 + below(MAX_OPS);
		for (i = 0; i < nops[t]; i++) {
			struct op *o = &plan[t][i];
			unsigned long k = below(100);
			int s = k < 35 ? pick_block() : -1;

			memset(o, 0, sizeof(*o));
			o->got = -1;
			if (k >= 90) {
				o->kind = OP_CHUNK_TIGHTEN;
				o->slot = hot_c >= 0 ? hot_c : (int)below(nchunks);
			} else if (k >= 80) {
				o->kind = OP_TIGHTEN;
				o->slot = hot_c >= 0 ? hot_c : (int)below(nchunks);
				o->group = hot_c >= 0 ? hot_g : below(ngroups(o->slot));
			} else if (s >= 0) {
				o->kind = OP_FREE;
				o->slot = s;
				blk[s].doomed = true;
			} else if (k < 45 && i > 0 && plan[t][i - 1].kind == OP_ALLOC) {
				o->kind = OP_FREE_OWN;
				o->slot = i - 1;
			} else {
				plan_alloc(o);
			}
		}
	}
}

/*
 * How the scheduler interleaves this round: PCT over all switch points,
 * uniform random switching, or (in a round with a hot group) PCT whose
 * change points fall on accesses to the hot group's bitmap words and
 * summary. @est and @est_focus: what the last rounds took of each.
 */
static void plan_schedule(struct mc_sched_cfg *cfg, unsigned long est,
			  unsigned long est_focus)
{
	static const unsigned int inv_p[] = { 2, 4, 8, 16, 64, 256 };
	unsigned long k = below(100), gw;

	memset(cfg, 0, sizeof(*cfg));
	cfg->policy = k < 25 ? MC_PCT : k < 45 || hot_c < 0 ? MC_RANDOM : MC_PCT_FOCUS;
	if (opt_policy >= 0)
		cfg->policy = opt_policy == MC_PCT_FOCUS && hot_c < 0 ? MC_PCT : opt_policy;
	cfg->depth = 2 + below(3);
	cfg->est_steps = est ? est : 300UL * nthreads;
	cfg->inv_p = inv_p[below(ARRAY_SIZE(inv_p))];
	if (cfg->policy == MC_PCT_FOCUS) {
		/* The hot group's bitmap words, one more each side, and its summary. */
		gw = hot_g * GPX_GROUP_WORDS;
		cfg->est_steps = est_focus ? est_focus : 30UL * nthreads;
		cfg->focus[0].lo = chunk[hot_c]->bits + (gw ? gw - 1 : 0);
		cfg->focus[0].hi = chunk[hot_c]->bits +
				   min(gw + GPX_GROUP_WORDS + 1, nwords(hot_c));
		cfg->focus[1].lo = &chunk[hot_c]->index[hot_g];
		/* The hot group's summary, then the rows (all groups'). */
		cfg->focus[1].hi = &chunk[hot_c]->index[gpx_index_words(chunk[hot_c]->nbits)];
		cfg->focus[2].lo = &chunk[hot_c]->longest;
		cfg->focus[2].hi = &chunk[hot_c]->longest + 1;
	}
	cfg->seed = mc_rand(&wl);
	cfg->max_steps = 2000000;
}

/* ---- single-threaded set-up and rebalancing ---- */

static void alloc_now(int algo, unsigned long bytes, unsigned long offset)
{
	struct op o = { .kind = OP_ALLOC, .algo = algo, .bytes = bytes };

	o.fixed.offset = offset;
	o.align.align = unit;
	do_alloc(&o);
}

/* Units in use: outside a round, what the bitmaps hold (check (a)). */
static unsigned long busy_units(void)
{
	return live_units;
}

static unsigned long total_units(void)
{
	unsigned long n = 0;
	int c;

	for (c = 0; c < nchunks; c++)
		n += chunk[c]->nbits;
	return n;
}

static void free_random(unsigned long keep_busy)
{
	int guard = 100000;

	while (busy_units() > keep_busy && guard--) {
		int s = pick_block();

		if (s >= 0)
			do_free(s);
	}
}

static void fragment(void)
{
	unsigned long total = total_units();
	unsigned long target = total * (50 + below(45)) / 100;
	unsigned long tries = total / 2;
	int c;

	while (busy_units() < target && tries--) {
		c = below(nchunks);
		alloc_now(A_FIXED, to_bytes(random_units()),
			  below(chunk[c]->nbits) * unit);
	}
	free_random(busy_units() * (55 + below(35)) / 100);
	/* Some searches, which leave stale bits behind. */
	for (tries = 0; tries < 20; tries++)
		alloc_now(below(2) ? A_FIRST : A_BEST, to_bytes(random_units()), 0);
}

static void rebalance(void)
{
	unsigned long total = total_units(), busy = busy_units(), tries = 200;

	if (busy * 100 > total * 93)
		free_random(total * (70 + below(15)) / 100);
	else
		while (busy_units() * 100 < total * 40 && tries--)
			alloc_now(below(2) ? A_FIRST : A_BEST, to_bytes(random_units()), 0);
}

/* ---- the invariants, at quiescence ---- */

/* (a) The bitmap is the model's live set, and avail agrees. */
static void check_bitmap(int c)
{
	struct genpool_ext_chunk *ch = chunk[c];
	unsigned long w, u, want, busy = 0;

	for (w = 0; w < nwords(c); w++) {
		want = 0;
		for (u = w * BITS_PER_LONG; u < (w + 1) * BITS_PER_LONG && u < ch->nbits; u++)
			if (owner[c][u])
				want |= BIT(u % BITS_PER_LONG);
		if (ch->bits[w] != want) {
			unsigned long diff = ch->bits[w] ^ want;

			fail("bitmap: c%d word %lu is %#lx, live blocks make %#lx: unit %lu is %s",
			     c, w, ch->bits[w], want, w * BITS_PER_LONG + __ffs(diff),
			     ch->bits[w] & BIT(__ffs(diff)) ? "busy but owned by no block" :
			     "free but owned by a live block");
			return;
		}
		busy += hweight_long(want);
	}
	if ((unsigned long)atomic_long_read(&ch->avail) !=
	    gpx_chunk_size(ch) - busy * unit)
		fail("avail: c%d says %ld bytes free, the bitmap %lu",
		     c, (long)atomic_long_read(&ch->avail), gpx_chunk_size(ch) - busy * unit);
}

/* The summaries the bitmap calls for: the contract of index.c, recounted. */
static void recount(int c, unsigned long *want)
{
	struct genpool_ext_chunk *ch = chunk[c];
	unsigned long n = ch->nbits, g, gs, ge, b = 0, rs;

	for (g = 0; g < ngroups(c); g++) {
		gs = g * GPX_GROUP_BITS;
		ge = min((g + 1) * GPX_GROUP_BITS, n);
		want[g] = 0;
		if (!unit_busy(ch->bits, gs))
			want[g] |= GPX_SUM_PREFIX;
		if (!unit_busy(ch->bits, ge - 1))
			want[g] |= GPX_SUM_SUFFIX;
	}
	for (;;) {
		rs = next_unit(ch->bits, b, n, false);
		if (rs >= n)
			break;
		b = next_unit(ch->bits, rs, n, true);
		/* Interior: ends before the last bit of the group it starts in. */
		g = rs / GPX_GROUP_BITS;
		if (b < min((g + 1) * GPX_GROUP_BITS, n))
			want[g] |= BIT(gpx_bucket(b - rs));
	}
}

/* The free runs of group @g in bucket @bucket, as "[rs,re)" text. */
static void runs_in_bucket(int c, unsigned long g, unsigned int bucket,
			   char *buf, size_t len)
{
	struct genpool_ext_chunk *ch = chunk[c];
	unsigned long gs = g * GPX_GROUP_BITS, ge = min(gs + GPX_GROUP_BITS, ch->nbits);
	unsigned long b = gs, rs;
	size_t n = 0;

	buf[0] = 0;
	while (b < ge) {
		if (unit_busy(ch->bits, b)) {
			b++;
			continue;
		}
		rs = b;
		while (b < ch->nbits && !unit_busy(ch->bits, b))
			b++;
		if ((rs == 0 || unit_busy(ch->bits, rs - 1)) && b < ge &&
		    gpx_bucket(b - rs) == bucket && n < len)
			n += snprintf(buf + n, len - n, " [%lu,%lu)", rs, b);
	}
}

/* (b) The chunk's hint is at least its longest free run. */
static void check_longest(int c)
{
	struct genpool_ext_chunk *ch = chunk[c];
	unsigned long b = 0, rs, re, best = 0, best_rs = 0, n = ch->nbits;
	unsigned long raw = atomic_long_read(&ch->longest);
	unsigned long hint = raw & GPX_LONGEST_LEN;
	struct gpx_ctx ctx = { .map = ch->bits, .size = ch->nbits };

	for (;;) {
		rs = next_unit(ch->bits, b, n, false);
		if (rs >= n)
			break;
		re = next_unit(ch->bits, rs, n, true);
		if (re - rs > best) {
			best = re - rs;
			best_rs = rs;
		}
		b = re;
	}
	if (raw & ~GPX_LONGEST_LEN)
		fail("chunk hint: c%d: %lu lowerings still in progress with nothing in flight",
		     c, raw >> GPX_LONGEST_SHIFT);
	else if (hint < best)
		fail("chunk hint: c%d says no free run is longer than %lu, but [%lu,%lu) is free",
		     c, hint, best_rs, best_rs + best);
	else if (gpx_chunk_longest(&ctx) != best)
		fail("chunk hint: c%d: gpx_chunk_longest() gives %lu, longest run [%lu,%lu)",
		     c, gpx_chunk_longest(&ctx), best_rs, best_rs + best);
}

/*
 * (b) The rows: every bucket and suffix bit a recount sets for a group has
 * the group's bit in its row, so best fit never passes over the group.
 */
static bool check_rows(int c, const unsigned long *want)
{
	struct genpool_ext_chunk *ch = chunk[c];
	unsigned long ng = ngroups(c), g, miss, b;
	atomic_long_t *row;
	char a[256], r[512];

	for (g = 0; g < ng; g++) {
		miss = 0;
		for (b = 0; b < BITS_PER_LONG; b++) {
			if (!(want[g] & GPX_ROW_BITS & BIT(b)))
				continue;
			row = gpx_row(ch->index, ng, gpx_row_of(b));
			if (!(atomic_long_read(&row[g / BITS_PER_LONG]) &
			      BIT(g % BITS_PER_LONG)))
				miss |= BIT(b);
		}
		if (!miss)
			continue;
		decode_sum(miss, a, sizeof(a));
		r[0] = 0;
		if (miss & GPX_SUM_BUCKETS)
			runs_in_bucket(c, g, __ffs(miss & GPX_SUM_BUCKETS), r, sizeof(r));
		fail("rows: c%d group %lu is missing from the rows of %s that the bitmap has%s%s",
		     c, g, a, r[0] ? ": free run" : "", r);
		return false;
	}
	return true;
}

/* (b) Every bit a recount sets is set in the summary. */
static void check_index(int c)
{
	struct genpool_ext_chunk *ch = chunk[c];
	struct gpx_ctx ctx = { .map = ch->bits, .size = ch->nbits, .index = ch->index };
	unsigned long want[8], g, sum, miss, exact;
	char a[256], b[256], r[512];

	recount(c, want);
	for (g = 0; g < ngroups(c); g++) {
		sum = atomic_long_read(&ch->index[g]);
		exact = gpx_index_exact(&ctx, g) & SUM_MEANT;
		if (exact != want[g]) {
			decode_sum(exact, a, sizeof(a));
			decode_sum(want[g], b, sizeof(b));
			fail("recount: c%d group %lu: gpx_index_exact() gives %s, the recount %s",
			     c, g, a, b);
			return;
		}
		miss = want[g] & ~sum & SUM_MEANT;
		if (!miss)
			continue;
		decode_sum(sum, a, sizeof(a));
		decode_sum(miss, b, sizeof(b));
		r[0] = 0;
		if (miss & GPX_SUM_BUCKETS)
			runs_in_bucket(c, g, __ffs(miss & GPX_SUM_BUCKETS), r, sizeof(r));
		fail("index: c%d group %lu summary %s lacks %s that the bitmap has%s%s",
		     c, g, a, b, r[0] ? ": free run" : "", r);
		return;
	}
	if (check_rows(c, want))
		check_longest(c);
}

/* (c) Index searches place like plain searches of the same bitmap. */
static void check_placement(int c)
{
	static const unsigned long sizes[] = {
		1, 2, 3, 4, 5, 7, 8, 12, 16, 31, 32, 33, 40, 64, 100, 128, 170, 257, 600,
	};
	struct genpool_ext_chunk *ch = chunk[c];
	struct gpx_ctx ic = { .map = ch->bits, .size = ch->nbits, .index = ch->index };
	struct gpx_ctx pc = { .map = ch->bits, .size = ch->nbits };
	unsigned long i, nr, start, a, b;
	struct gpx_req r;
	int k;

	/* A sample each round: sizes at bucket edges, and free runs' lengths. */
	for (i = 0; i < 12; i++) {
		if (i & 1 || !nruns)
			nr = sizes[below(ARRAY_SIZE(sizes))];
		else
			nr = runs[below(nruns)].len + below(2);
		start = below(2) ? below(ch->nbits) : 0;
		r = (struct gpx_req){ .nr = nr };
		k = below(4);
		if (k == 2)
			r.amask = roundup_pow_of_two(nr) - 1;
		if (k == 3) {
			r.amask = BIT(below(6)) - 1;
			r.aoff = below(r.amask + 1);
		}
		a = gpx_search_first(&ic, start, &r);
		b = gpx_plain_first(&pc, start, &r);
		if (a != b) {
			fail("placement: c%d first fit %lu from %lu (align %lu/%lu): %s %lu, %s%lu",
			     c, nr, start, r.amask, r.aoff, "index search", a, "linear search ", b);
			return;
		}
		a = gpx_search_best(&ic, start, nr);
		b = gpx_plain_best(&pc, start, nr);
		if (a != b) {
			fail("placement: c%d best fit %lu from %lu: %s %lu, %s %lu",
			     c, nr, start, "index search", a, "linear search", b);
			return;
		}
	}
}

static void check_quiescent(void)
{
	int c;

	for (c = 0; c < nchunks && !failed; c++)
		check_bitmap(c);
	for (c = 0; c < nchunks && !failed; c++)
		check_index(c);
	if (!failed && genpool_ext_validate(pool))
		fail("genpool_ext_validate() fails where the checker's recount passes");
	snapshot_runs();
	/*
	 * The searches of (c) tighten summaries and rows. Put back what
	 * the rounds left, stale bits included: they are what makes the
	 * next round's searches tighten, concurrently with other updates.
	 */
	for (c = 0; c < nchunks; c++)
		memcpy(saved_index[c], chunk[c]->index,
		       gpx_index_words(chunk[c]->nbits) * sizeof(long));
	for (c = 0; c < nchunks && !failed; c++)
		check_placement(c);
	for (c = 0; c < nchunks; c++)
		memcpy(chunk[c]->index, saved_index[c],
		       gpx_index_words(chunk[c]->nbits) * sizeof(long));
	if (!failed && mc_warnings)
		fail("the code under test warned");
}

/* ---- seeds ---- */

static void setup_pool(void)
{
	int c;

	order = below(3);
	unit = 1UL << order;
	nchunks = 1 + !below(3);
	pool = genpool_ext_create(order, NUMA_NO_NODE);
	if (!pool) {
		fprintf(stderr, "modelcheck: genpool_ext_create failed\n");
		exit(2);
	}
	/* A third of the seeds check every free against allocation boundaries. */
	if (!below(3) && genpool_ext_set_debug(pool, true)) {
		fprintf(stderr, "modelcheck: genpool_ext_set_debug failed\n");
		exit(2);
	}
	for (c = 0; c < nchunks; c++) {
		/* 3 or 4 groups, the last one sometimes partial. */
		unsigned long nbits = (3 + below(2)) * GPX_GROUP_BITS;
		unsigned long base = (2UL + c) << (BITS_PER_LONG / 2);
		size_t size;

		if (!below(3))
			nbits -= 1 + below(GPX_GROUP_BITS - 1);
		size = nbits * unit + (below(4) ? 0 : below(unit));
		base += below(64) * unit;
		if (genpool_ext_add(pool, base, size, NUMA_NO_NODE)) {
			fprintf(stderr, "modelcheck: genpool_ext_add failed\n");
			exit(2);
		}
		/* Newest first on the pool's list. */
		chunk[c] = list_first_entry(&pool->chunks, struct genpool_ext_chunk,
					    next_chunk);
		owner[c] = calloc(nbits, sizeof(int));
		if (!owner[c]) {
			perror("modelcheck");
			exit(2);
		}
	}
}

static void teardown_pool(void)
{
	int c;

	/* After a failure the pool may not match the model: leave it be. */
	if (!failed) {
		while (nlive)
			do_free(live[0]);
		genpool_ext_destroy(pool);
	}
	pool = NULL;
	for (c = 0; c < nchunks; c++) {
		free(owner[c]);
		owner[c] = NULL;
		chunk[c] = NULL;
	}
	nchunks = 0;
}

static void report(unsigned long seed, unsigned long round,
		   const struct mc_sched_cfg *cfg, unsigned long steps)
{
	int t, i;

	printf("FAIL seed %lu round %lu: %s\n", seed, round, fail_msg);
	if (opt_keep_going && !opt_single)
		return;
	printf("  pool: unit %lu bytes, debug checks %s, %d chunk(s):", unit,
	       pool && pool->debug ? "on" : "off", nchunks);
	for (i = 0; i < nchunks; i++)
		printf(" c%d %lu units (%lu groups)", i, chunk[i]->nbits, ngroups(i));
	printf("\n  round: %d threads, ", nthreads);
	if (cfg->policy == MC_PCT)
		printf("PCT depth %u over ~%lu steps", cfg->depth, cfg->est_steps);
	else if (cfg->policy == MC_RANDOM)
		printf("random switching, p = 1/%u", cfg->inv_p);
	else
		printf("PCT depth %u over ~%lu accesses to c%d group %lu (its words and summary)",
		       cfg->depth, cfg->est_steps, hot_c, hot_g);
	printf(", %lu switch points\n  plan:", steps);
	for (t = 0; t < nthreads; t++) {
		printf(" T%d:", t);
		for (i = 0; i < nops[t]; i++) {
			struct op *o = &plan[t][i];

			printf(" %s", o->kind == OP_FREE ? "free" :
			       o->kind == OP_FREE_OWN ? "free-own" :
			       o->kind == OP_TIGHTEN ? "tighten" :
			       o->kind == OP_CHUNK_TIGHTEN ? "tighten-chunk" :
			       algo_name[o->algo]);
		}
	}
	printf("\n  interleaving (step, thread; %s):\n", opt_verbose ? "every access" :
	       "operations, preemptions and every write that changed memory");
	print_trace(opt_verbose);
	printf("  replay: %s --seed %lu%s\n", "scripts/modelcheck.sh", seed,
	       opt_verbose ? "" : " --verbose");
}

static bool run_seed(unsigned long seed)
{
	unsigned long round, steps = 0, est = 0, est_focus = 0;
	struct mc_sched_cfg cfg;
	int s;

	wl = seed * 0x2545f4914f6cdd1dULL;
	mc_rand(&wl);
	failed = false;
	fail_msg[0] = 0;
	mc_warnings = 0;
	nfree_slot = 0;
	nlive = 0;
	live_units = 0;
	for (s = MAX_BLOCKS - 1; s >= 0; s--) {
		blk[s].live = false;
		free_slot[nfree_slot++] = s;
	}
	mc_log_reset();
	hot_c = -1;
	setup_pool();
	fragment();
	for (round = 1; round <= opt_rounds && !failed; round++) {
		mc_log_reset();
		plan_round();
		plan_schedule(&cfg, est, est_focus);
		steps = mc_run(nthreads, worker, &cfg);
		tot_steps += steps;
		tot_rounds++;
		for (s = 0; s < (int)mc_nevs; s++)
			tot_switches += mc_evs[s].kind == MC_EV_SWITCH;
		est = (est + steps) / 2 + 1;
		if (cfg.policy == MC_PCT_FOCUS)
			est_focus = (est_focus + mc_focus_steps()) / 2 + 1;
		if (mc_overran())
			fail("no progress after %lu switch points", cfg.max_steps);
		if (!failed)
			check_quiescent();
		if (failed) {
			report(seed, round, &cfg, steps);
			break;
		}
		if (opt_trace) {
			printf("seed %lu round %lu: %d threads, %lu switch points\n",
			       seed, round, nthreads, steps);
			print_trace(opt_verbose);
		}
		mc_log_reset();
		hot_c = -1;
		rebalance();
		if (failed) {
			report(seed, round, &cfg, 0);
			break;
		}
	}
	/* After an overrun the abandoned threads' state is lost with the pool. */
	teardown_pool();
	if (!failed && mc_warnings) {
		printf("FAIL seed %lu: the code under test warned at teardown\n", seed);
		failed = true;
	}
	return !failed;
}

static void help(const char *argv0)
{
	printf("usage: %s [--seed N | --first N --seeds N] [--rounds N] [--threads 2-4]\n"
	       "       [--policy pct|random|focus] [--keep-going] [--trace] [--verbose]\n"
	       "  --seed N      run seed N only (replay a failure)\n"
	       "  --first N     first seed (default %lu)\n"
	       "  --seeds N     number of seeds (default %lu)\n"
	       "  --rounds N    rounds per seed (default %lu)\n"
	       "  --threads N   simulated threads per round (default: 2-4 at random)\n"
	       "  --policy P    scheduling policy (default: PCT or random per round)\n"
	       "  --keep-going  run every seed; one line per failing seed\n"
	       "  --trace       print each round's interleaving\n"
	       "  --verbose     print every access, reads included, in traces\n",
	       argv0, opt_first, opt_seeds, opt_rounds);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "first", required_argument, NULL, 'f' },
		{ "seeds", required_argument, NULL, 'n' },
		{ "rounds", required_argument, NULL, 'r' },
		{ "threads", required_argument, NULL, 't' },
		{ "policy", required_argument, NULL, 'p' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "trace", no_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	unsigned long seed, nfail = 0, first_fail = 0, nseeds = 0;
	struct timespec t0, t1;
	int ch;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((ch = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			opt_first = strtoul(optarg, NULL, 0);
			opt_seeds = 1;
			opt_single = true;
			break;
		case 'f':
			opt_first = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			opt_seeds = strtoul(optarg, NULL, 0);
			break;
		case 'r':
			opt_rounds = strtoul(optarg, NULL, 0);
			break;
		case 't':
			opt_threads = atoi(optarg);
			if (opt_threads < 2 || opt_threads > MC_MAX_THREADS) {
				help(argv[0]);
				return 2;
			}
			break;
		case 'p':
			if (!strcmp(optarg, "pct")) {
				opt_policy = MC_PCT;
			} else if (!strcmp(optarg, "random")) {
				opt_policy = MC_RANDOM;
			} else if (!strcmp(optarg, "focus")) {
				opt_policy = MC_PCT_FOCUS;
			} else {
				help(argv[0]);
				return 2;
			}
			break;
		case 'k':
			opt_keep_going = true;
			break;
		case 'T':
			opt_trace = true;
			break;
		case 'v':
			opt_verbose = true;
			break;
		case 'h':
			help(argv[0]);
			return 0;
		default:
			help(argv[0]);
			return 2;
		}
	}
	runs = calloc(2 * MAX_CHUNKS * 4 * GPX_GROUP_BITS, sizeof(*runs));
	edge_runs = calloc(2 * MAX_CHUNKS * 4 * GPX_GROUP_BITS, sizeof(*edge_runs));
	hot_runs = calloc(2 * MAX_CHUNKS * 4 * GPX_GROUP_BITS, sizeof(*hot_runs));
	if (!runs || !edge_runs || !hot_runs) {
		perror("modelcheck");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (seed = opt_first; seed < opt_first + opt_seeds; seed++) {
		nseeds++;
		if (run_seed(seed))
			continue;
		if (!nfail++)
			first_fail = seed;
		if (!opt_keep_going)
			break;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("modelcheck: %lu seed(s) from %lu, %lu rounds, %lu operations", nseeds,
	       opt_first, tot_rounds, tot_ops);
	printf(" (%lu allocations succeeded), %lu switch points, %lu preemptions, %.1f s: ",
	       tot_allocs_ok, tot_steps, tot_switches,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (nfail)
		printf("%lu FAILED (first: seed %lu)\n", nfail, first_fail);
	else
		printf("all invariants held\n");
	return nfail ? 1 : 0;
}
